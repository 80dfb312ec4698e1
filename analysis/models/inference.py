"""Reading a table of many tests: multiplicity adjustments and interval-versus-p agreement.

A chapter that scans many estimates (drugs x models) and reports the "significant" ones will find
some by chance alone: at the 5% level, about one in twenty when nothing is there. These pure
functions give the count, the adjusted p-values (Holm 1979, which controls the family-wise error
rate under any dependence among the tests; Benjamini-Hochberg 1995, which controls the false
discovery rate when the tests are independent or positively dependent), and flag cells whose 95%
interval and p-value come from different methods and disagree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.errors import DataError
from analysis.models.fixed_effects import monte_carlo_reading


def _checked(pvalues) -> np.ndarray:
    """The p-values as a float array; refuses an empty list, missing values or values outside [0, 1]."""
    values = np.asarray(pvalues, dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise DataError("p-values", "expected a non-empty list of p-values")
    if np.isnan(values).any() or (values < 0).any() or (values > 1).any():
        raise DataError("p-values", "p-values must lie between 0 and 1 and not be missing")
    return values


def holm(pvalues) -> np.ndarray:
    """Holm's step-down adjusted p-values, in the input order.

    Sorted ascending, the i-th smallest (i = 0..m-1) becomes max over j <= i of (m - j) * p_(j),
    capped at 1. A test is rejected at level alpha when its adjusted p is at most alpha.
    """
    values = _checked(pvalues)
    m = values.size
    order = np.argsort(values, kind="stable")
    stepped = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * values[order]))
    adjusted = np.empty(m)
    adjusted[order] = stepped
    return adjusted


def benjamini_hochberg(pvalues) -> np.ndarray:
    """Benjamini-Hochberg step-up adjusted p-values (false discovery rate), in the input order.

    Sorted ascending, the i-th smallest (rank r = i + 1) becomes min over j >= i of m * p_(j) / r_j,
    capped at 1.
    """
    values = _checked(pvalues)
    m = values.size
    order = np.argsort(values, kind="stable")
    scaled = m * values[order] / np.arange(1, m + 1)
    stepped = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    adjusted = np.empty(m)
    adjusted[order] = stepped
    return adjusted


def count_below(pvalues, alpha: float = 0.05) -> int:
    """How many p-values are below ``alpha``."""
    return int((_checked(pvalues) < alpha).sum())


def interval_excludes_zero(ci_low: float, ci_high: float) -> bool:
    """True when a 95% interval lies wholly on one side of zero."""
    return bool(ci_low > 0 or ci_high < 0)


def interval_and_p_disagree(ci_low: float, ci_high: float, p_value: float, alpha: float = 0.05) -> bool:
    """True when the interval and the p-value tell different stories about zero.

    The chapter's intervals are cluster-robust (t with G-1 df) while its p-values come from a wild
    cluster bootstrap; when one says "different from zero at 5%" and the other does not, the cell
    is borderline and is flagged rather than read either way.
    """
    return interval_excludes_zero(ci_low, ci_high) != (p_value < alpha)


def scan_family(estimates: dict[tuple[str, str], object], alpha: float = 0.05) -> pd.DataFrame:
    """Every scanned estimate as one row, with its multiplicity-adjusted p-values.

    ``estimates`` maps (group, model) -> an ``analysis.models.fixed_effects.Estimate`` with a wild
    bootstrap p-value (``p_wild``, Monte Carlo SE ``p_wild_se``). The adjustments run over
    the wild-bootstrap p-values of the whole family: every cell a reader could pick a "significant"
    one from. ``disagree`` flags cells whose interval and wild p differ about zero at ``alpha``.
    """
    rows = [
        {
            "group": group,
            "model": model,
            "coef": e.coef,
            "ci_low": e.ci_low,
            "ci_high": e.ci_high,
            "p_cluster": e.p,
            "p_wild": e.p_wild,
            "p_wild_se": e.p_wild_se,
            "disagree": interval_and_p_disagree(e.ci_low, e.ci_high, e.p_wild, alpha),
            "reading": monte_carlo_reading(e.p_wild, e.p_wild_se, alpha),
        }
        for (group, model), e in estimates.items()
    ]
    family = pd.DataFrame(rows)
    family["p_holm"] = holm(family["p_wild"])
    family["p_bh"] = benjamini_hochberg(family["p_wild"])
    return family


def surviving_phrase(family: pd.DataFrame, alpha: float = 0.05) -> str:
    """How many of the family stay below ``alpha`` after each adjustment, in words."""
    holm_count, bh_count = int((family["p_holm"] < alpha).sum()), int((family["p_bh"] < alpha).sum())
    if holm_count == bh_count == 0:
        return f"none stays below {alpha:g} after either adjustment"
    return (
        f"{holm_count} stay{'s' if holm_count == 1 else ''} below {alpha:g} after Holm's adjustment "
        f"and {bh_count} after Benjamini-Hochberg's"
    )


def zero_phrase(ci_low: float, ci_high: float) -> str:
    """Where a 95% interval lies relative to zero, in words: 'includes zero', 'lies above zero' or 'lies below zero'."""
    if ci_low > 0:
        return "lies above zero"
    if ci_high < 0:
        return "lies below zero"
    return "includes zero"


def significant_associations(estimates: dict[str, dict[str, object]], alpha: float = 0.05) -> list[str]:
    """'<group> (<model>, positive|negative)' for every estimate whose wild bootstrap p is below
    ``alpha``, whatever its sign. ``estimates`` maps group -> model label -> ``Estimate``."""
    return [
        f"{group} ({label}, {'positive' if e.coef > 0 else 'negative'})"
        for group, models in estimates.items()
        for label, e in models.items()
        if e.p_wild < alpha
    ]
