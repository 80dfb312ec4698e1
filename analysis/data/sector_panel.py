"""Sector x month panel of Border Patrol encounters and drug seizures (the correlation chapter's sample)."""

from __future__ import annotations

import pandas as pd

from analysis.data.encounters import SOUTHWEST, SOUTHWEST_SECTORS
from analysis.errors import DataError


def sector_month_panel(
    sectors: pd.DataFrame,
    seizure_rows: pd.DataFrame,
    drugs: list[str],
    *,
    first_month: pd.Timestamp,
    last_month: pd.Timestamp,
    sector_names: list[str] | None = None,
) -> pd.DataFrame:
    """One row per Southwest sector and month: USBP encounters and USBP pounds/events per drug.

    ``sector_names`` (OHSS names such as 'Tucson, AZ') restricts the panel; None keeps all nine.

    CBP's seizure file lists only sector-month-drug combinations with at least one seizure, so
    within the months the file covers, an absent combination is zero seizures (not missing data).
    Months outside either source's coverage are refused, not filled.
    """
    unknown = sorted(set(sector_names or []) - set(SOUTHWEST_SECTORS))
    if unknown:
        raise DataError(
            "parameters",
            f"unknown sector {unknown[0]!r}",
            column="sectors",
            expected=f"Southwest sectors as DHS writes them: {sorted(SOUTHWEST_SECTORS)}",
        )
    southwest = sectors[
        (sectors["region"] == SOUTHWEST)
        & sectors["month"].between(first_month, last_month)
        & sectors["sector"].isin(sector_names or list(SOUTHWEST_SECTORS))
    ]
    panel = southwest.assign(aor=southwest["sector"].map(SOUTHWEST_SECTORS))[["aor", "month", "encounters"]]
    if panel["aor"].isna().any():
        raise DataError(
            "encounters",
            f"unmapped Southwest sector {southwest.loc[panel['aor'].isna(), 'sector'].iloc[0]!r}",
            column="sector",
        )
    covered = set(seizure_rows["month"])
    uncovered = sorted(set(panel["month"]) - covered)
    if uncovered:
        raise DataError("seizures", f"no seizure data for {uncovered[0]:%B %Y}", expected="months both sources cover")
    usbp = seizure_rows[
        (seizure_rows["component"] == "USBP")
        & seizure_rows["aor"].isin(SOUTHWEST_SECTORS.values())
        & seizure_rows["drug"].isin(drugs)
    ]
    wide = usbp.pivot_table(index=["aor", "month"], columns="drug", values=["pounds", "events"], aggfunc="sum")
    wide.columns = [f"{measure}_{drug.lower()}" for measure, drug in wide.columns]
    panel = panel.merge(wide.reset_index(), on=["aor", "month"], how="left")
    for drug in drugs:
        for measure in ("pounds", "events"):
            column = f"{measure}_{drug.lower()}"
            panel[column] = panel[column].fillna(0.0) if column in panel else 0.0
    if len(panel) != panel[["aor", "month"]].drop_duplicates().shape[0]:
        raise DataError("panel", "duplicate sector-month rows")
    return panel.sort_values(["aor", "month"], ignore_index=True)
