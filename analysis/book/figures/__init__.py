"""One module of figures per chapter (the static matplotlib figure and its interactive Altair twin)."""
