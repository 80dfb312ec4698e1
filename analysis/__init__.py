"""Reusable logic of the evidence book: ``data`` (catalog, loaders), ``models``, ``metrics`` and ``book``
(glue, tables, figures for the notebooks), with ``config`` and ``errors`` shared by all.

Notebooks in ``chapters/`` import from here; nothing a second notebook needs is defined in a notebook.
"""
