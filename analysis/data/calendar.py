"""The federal fiscal calendar: fiscal year N runs from October of N-1 to September of N."""

from __future__ import annotations

import pandas as pd

FISCAL_MONTHS = ("OCT", "NOV", "DEC", "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP")


def fiscal_month_start(fy: pd.Series, month_abbr: pd.Series) -> pd.Series:
    """First day of the calendar month: fiscal year N runs from October of N-1 to September of N."""
    calendar_month = month_abbr.map({m: (i + 9) % 12 + 1 for i, m in enumerate(FISCAL_MONTHS)})
    calendar_year = fy - (calendar_month >= 10).astype(int)
    return pd.to_datetime(pd.DataFrame({"year": calendar_year, "month": calendar_month, "day": 1}))


def fiscal_year(month: pd.Series) -> pd.Series:
    """The fiscal year of a calendar month (October starts the next fiscal year)."""
    return month.dt.year + (month.dt.month >= 10).astype(int)
