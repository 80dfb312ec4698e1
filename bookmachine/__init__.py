"""The book machine: executes the chapter notebooks (papermill), stages and builds the book
(Jupyter Book 1, HTML and PDF), records provenance, releases, verifies and benchmarks.

It imports the science in ``analysis`` (catalog, loaders, metrics) but never the other way round:
a reviewer reading ``analysis/`` sees only the analysis.
"""
