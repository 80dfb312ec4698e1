"""Data: the catalog of raw inputs, curated tables, and the loaders that validate and normalize them.

A loader reads one publisher's files and returns a tidy frame (or raises ``analysis.errors.DataError``);
nothing here imports the models, metrics or book helpers.
"""
