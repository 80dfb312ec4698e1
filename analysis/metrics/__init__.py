"""Metrics: the numbers each chapter reports (port shares, budget shares, who is convicted, other checks)
and the claims register's verdict rules, computed from loaded data and model results.
"""
