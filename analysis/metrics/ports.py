"""Ports of entry vs between ports: shares of seized pounds and events, and seizure size.

OFO (Office of Field Operations) seizes at ports of entry; USBP (U.S. Border Patrol) between them,
including at interior highway checkpoints. These are pure functions of the tidy seizure frame.
"""

from __future__ import annotations

import pandas as pd

from analysis.errors import DataError

PORTS, BETWEEN = "OFO", "USBP"


def component_totals(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Pounds and events per group and component, one column per component (OFO, USBP).

    A component with no rows in a group is missing (NaN), not zero: CBP omits empty cells, and a
    group with no seizures at all is not evidence of a share. Totals are reconciled with the input.
    """
    measures = [measure for measure in ("pounds", "events") if measure in frame.columns]
    grouped = frame.groupby(by + ["component"], observed=True)[measures].sum()
    wide = grouped.unstack("component")
    wide.columns = [f"{measure}_{component.lower()}" for measure, component in wide.columns]
    for measure in measures:
        for component in (PORTS, BETWEEN):
            if f"{measure}_{component.lower()}" not in wide.columns:
                wide[f"{measure}_{component.lower()}"] = float("nan")
    if abs(wide.filter(like="pounds_").sum().sum() - frame["pounds"].sum()) > 1e-6 * max(1, frame["pounds"].sum()):
        raise DataError("seizure frame", "pounds changed while grouping by component")
    return wide.reset_index()


def port_share(frame: pd.DataFrame, by: list[str], measure: str = "pounds") -> pd.DataFrame:
    """Share seized at ports: OFO / (OFO + USBP), for pounds or events, per group.

    Where one component reported nothing in a group, the other's total is the whole: a group
    with OFO seizures and no USBP rows has a port share of 1. Where neither reported, the share is
    missing.
    """
    if measure not in ("pounds", "events") or measure not in frame.columns:
        raise ValueError(f"measure must be 'pounds' or 'events' and present in the frame, not {measure!r}")
    totals = component_totals(frame, by)
    ports = totals[f"{measure}_ofo"].fillna(0.0)
    between = totals[f"{measure}_usbp"].fillna(0.0)
    denominator = ports + between
    totals["ofo_share"] = (ports / denominator).where(denominator > 0)
    return totals


def pounds_per_event(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Average pounds per seizure event, per group and component (missing where no events)."""
    grouped = frame.groupby(by + ["component"], observed=True)[["pounds", "events"]].sum().reset_index()
    grouped["lbs_per_event"] = (grouped["pounds"] / grouped["events"]).where(grouped["events"] > 0)
    return grouped


def fiscal_year_label(fy: int, partial: bool) -> str:
    """'FY2025', or 'FY2026 (partial)' for a year with fewer than 12 months of data."""
    return f"FY{fy} (partial)" if partial else f"FY{fy}"


def shares_by_year(
    frame: pd.DataFrame, drugs: list[str], regions: list[str], *, measure: str = "pounds"
) -> pd.DataFrame:
    """Port share per fiscal year and drug, nationwide and for each named region, with year labels.

    Columns: scope ('Nationwide' or the region), fy, partial, fy_label, drug, the component totals
    and ofo_share.
    """
    unknown = sorted(set(drugs) - set(frame["drug"]))
    if unknown:
        raise DataError(
            "parameters",
            f"unknown drug {unknown[0]!r}",
            column="drugs",
            expected=f"names as CBP writes them: {sorted(frame['drug'].unique())}",
        )
    selected = frame[frame["drug"].isin(drugs)]
    scopes = [("Nationwide", selected)] + [(region, selected[selected["region"] == region]) for region in regions]
    tables = []
    for scope, rows in scopes:
        table = port_share(rows, ["fy", "partial_fy", "drug"], measure=measure)
        tables.append(table.assign(scope=scope))
    shares = pd.concat(tables, ignore_index=True).rename(columns={"partial_fy": "partial"})
    shares["fy_label"] = [
        fiscal_year_label(fy, partial) for fy, partial in zip(shares["fy"], shares["partial"], strict=True)
    ]
    shares["drug"] = pd.Categorical(shares["drug"], categories=drugs, ordered=True)
    return shares.sort_values(["scope", "drug", "fy"], ignore_index=True)


def key_slug(text: str) -> str:
    """'Southwest Border' -> 'southwest_border': the form used in glue keys."""
    return "".join(ch if ch.isalnum() else "_" for ch in text.lower()).strip("_").replace("__", "_")


def year_key(fy: int, partial: bool) -> str:
    """'fy2025', or 'fy2026_partial' so a partial year is never mistaken for a full one."""
    return f"fy{fy}_partial" if partial else f"fy{fy}"
