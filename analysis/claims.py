"""The claims register (data/claims.csv): each quantitative claim under review and how it is tested.

Chapters read the claimed values from here rather than typing them, so that a claim is written
once, quoted verbatim, and tested against one named metric.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import config
from analysis.errors import DataError

CLAIMS_FILE = config.DATA_DIR / "claims.csv"
REQUIRED = ("id", "document", "quote", "unit", "about", "metric_key", "rule", "chapter")


ARITHMETIC_OPERATIONS = {
    "drop": lambda before, after: (before - after) / before,   # "fell from 80 to 16 (an 80% reduction)"
    "sum": lambda *parts: sum(parts),
    "ratio": lambda numerator, denominator: numerator / denominator,
}


def arithmetic_value(spec: str) -> float:
    """Recombine a claim's own numbers: 'drop:80:16' -> 0.8, 'sum:45:12:25' -> 82 (no eval)."""
    name, *arguments = spec.split(":")
    if name not in ARITHMETIC_OPERATIONS or not arguments:
        raise DataError(CLAIMS_FILE, f"unknown arithmetic {spec!r}", column="arithmetic",
                        expected=f"one of {sorted(ARITHMETIC_OPERATIONS)} followed by ':'-separated numbers")
    return float(ARITHMETIC_OPERATIONS[name](*map(float, arguments)))


def arithmetic_numbers(register: pd.DataFrame) -> dict:
    """claims.arithmetic.<id> -> the recombined value, for every claim with an arithmetic spec."""
    specs = register.loc[register["arithmetic"].str.strip() != "", "arithmetic"]
    return {f"claims.arithmetic.{claim_id}": arithmetic_value(spec) for claim_id, spec in specs.items()}


def load_claims(path=CLAIMS_FILE) -> pd.DataFrame:
    """Read and validate the register: required fields, unique ids, numeric claimed ranges."""
    config.record_read("file", Path(path))
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in REQUIRED:
        if column not in table.columns:
            raise DataError(path, "required column missing", column=column)
        empty = table[column].str.strip().eq("")
        if empty.any():
            raise DataError(path, "empty field", column=column, rows=[int(i) + 2 for i in table.index[empty][:5]])
    if table["id"].duplicated().any():
        raise DataError(path, f"duplicate claim id {table.loc[table['id'].duplicated(), 'id'].iloc[0]!r}", column="id")
    if "arithmetic" not in table.columns:
        table["arithmetic"] = ""
    for column in ("claimed_low", "claimed_high", "tolerance"):
        table[column] = pd.to_numeric(table[column].replace("", None), errors="raise")
    return table.set_index("id", drop=False)


def claimed(claim_id: str, table: pd.DataFrame | None = None) -> tuple[float, float]:
    """(low, high) claimed by one claim; equal for a point claim."""
    table = table if table is not None else load_claims()
    if claim_id not in table.index:
        raise DataError(CLAIMS_FILE, f"no claim with id {claim_id!r}", column="id")
    row = table.loc[claim_id]
    return float(row["claimed_low"]), float(row["claimed_high"])


VERDICTS = ("supported", "partly supported", "contradicted", "arithmetic checked", "not tested here")
RULES = ("within_tolerance", "range_contains", "greater_than", "less_than", "metric_is_lower_bound",
         "metric_is_upper_bound", "no_increase", "arithmetic", "untested")
INTERVAL_RULES = ("no_increase",)  # their metric_key names an estimate: <key>.coef, .ci_low, .ci_high


def distance_to_range(value: float, low: float, high: float) -> float:
    """How far ``value`` lies outside [low, high] (0 inside)."""
    return max(low - value, 0.0, value - high)


def verdict(rule: str, low: float, high: float, tolerance: float, value: float | None) -> str:
    """The verdict a rule gives for a computed value against a claimed range.

    - within_tolerance / range_contains: inside the claimed range widened by the tolerance is
      'supported'; within twice the tolerance 'partly supported'; farther 'contradicted'.
    - greater_than / less_than: the claim is a bound ('over 60%'); strictly beyond it is 'supported'.
    - metric_is_lower_bound: the computed value can only be smaller than the true quantity (e.g.
      seizures vs flows); a claim below it is 'contradicted', otherwise 'partly supported'.
    - metric_is_upper_bound: the computed value can only be larger (e.g. all non-citizens vs
      migrants); a claim above it is 'contradicted', otherwise 'partly supported'.
    - no_increase: the claim says "not associated with an increase"; the value is an estimate
      (coef, ci_low, ci_high). A 95% interval entirely above zero is 'contradicted'; one entirely
      at or below zero 'supported'; one straddling zero 'partly supported' (no detectable
      association, but an increase is not ruled out).
    - arithmetic: the value is the claim's own numbers recombined; the verdict says the
      arithmetic was checked (its outcome is reported by ``arithmetic_consistent``).
    - untested, or no computed value: 'not tested here'.
    """
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; expected one of {RULES}")
    if rule == "untested" or value is None:
        return "not tested here"
    if rule == "arithmetic":
        return "arithmetic checked"
    if rule == "no_increase":
        _, ci_low, ci_high = value
        if ci_low > 0:
            return "contradicted"
        return "supported" if ci_high <= 0 else "partly supported"
    if rule in ("within_tolerance", "range_contains"):
        gap = distance_to_range(value, low, high)
        if gap <= tolerance + 1e-12:
            return "supported"
        return "partly supported" if gap <= 2 * tolerance + 1e-12 else "contradicted"
    if rule == "greater_than":
        return "supported" if value > low else "contradicted"
    if rule == "less_than":
        return "supported" if value < high else "contradicted"
    if rule == "metric_is_upper_bound":
        return "contradicted" if low > value else "partly supported"
    return "contradicted" if high < value else "partly supported"  # metric_is_lower_bound


def arithmetic_consistent(low: float, high: float, tolerance: float, value: float | None) -> bool | None:
    """For an arithmetic claim: do the claim's own numbers give the claimed result (within tolerance)?

    None when there is no value, or when the claim states no result to compare with (the
    recombined number is then reported for the reader to judge).
    """
    if value is None or pd.isna(low) or pd.isna(high):
        return None
    return distance_to_range(value, low, high) <= tolerance + 1e-12


def metric_value(rule: str, key: str, numbers: dict):
    """The computed value a claim is judged on: one number, or (coef, ci_low, ci_high) for an
    interval rule; None if it was not computed (or the claim is untested)."""
    if rule == "untested":
        return None
    if rule in INTERVAL_RULES:
        parts = [numbers.get(f"{key}.{part}") for part in ("coef", "ci_low", "ci_high")]
        return None if None in parts else tuple(parts)
    return numbers.get(key)


def assess(register: pd.DataFrame, numbers: dict) -> pd.DataFrame:
    """Every claim with its computed value, verdict and (for untested claims) the reason."""
    rows = []
    for claim in register.itertuples():
        value = metric_value(claim.rule, claim.metric_key, numbers)
        reason = claim.untested_reason
        if claim.rule != "untested" and value is None:
            reason = "chapter not built yet"
        tolerance = 0.0 if pd.isna(claim.tolerance) else float(claim.tolerance)
        rows.append({"id": claim.id, "computed": value,
                     "verdict": verdict(claim.rule, claim.claimed_low, claim.claimed_high, tolerance, value),
                     "consistent": arithmetic_consistent(claim.claimed_low, claim.claimed_high, tolerance, value)
                     if claim.rule == "arithmetic" else None,
                     "reason": reason if value is None else ""})
    return register.reset_index(drop=True).merge(pd.DataFrame(rows), on="id")
