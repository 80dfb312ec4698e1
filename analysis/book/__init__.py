"""Book helpers for the chapter notebooks: glue numbers into the text, tables, displays, figure style,
the interactive figure wrapper, and one figure module per chapter (``figures``).
"""
