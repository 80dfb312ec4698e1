"""Reusable logic of the evidence book: paths, data catalog, loaders, metrics, plots and the build.

Notebooks in ``chapters/`` import from here; nothing a second notebook needs is defined in a notebook.
"""
