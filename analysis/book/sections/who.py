"""The chapter on who is convicted and caught, section by section: the glue keys its text reads, the rows of
its figure and its table.

Key family: ``who.cbp.fentanyl_kg_per_month.fy<year>`` (CBP's fentanyl seizures per month of each complete
fiscal year); a section's own keys are written out.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.book.downloads import Download
from analysis.book.tables import markdown_table
from analysis.data import curated
from analysis.metrics import claims, who

NONCITIZEN_POPULATION = "federally sentenced non-U.S. citizens (all offenses)"
UNSOURCED = "unsourced claim"
PORTS_PERSONS = "cato_poe_fentanyl_persons"


def citizenship_numbers(figures: pd.DataFrame) -> dict:
    """The official and officially sourced figures (``who.load_citizenship``): USSC's federal sentences in
    FY2023, the people caught with fentanyl at ports of entry (Cato from CBP data) and the citizenship of
    convicted fentanyl traffickers (Cato from USSC data), as fractions; beside the numbers the register judges
    claims on, the kind of their rows' source (``<key>.source_kind``, ``claims.SOURCE_KIND_SUFFIX``)."""
    port_citizens = who.ratio(figures, "cato_poe_fentanyl_citizens", PORTS_PERSONS)
    port_kind = curated.weakest_kind(figures.loc[["cato_poe_fentanyl_citizens", PORTS_PERSONS], "source_kind"])
    return {
        "who.ussc.drug_trafficking.pct_citizen.fy2023": who.share(figures, "ussc_dt_fy2023_citizen"),
        "who.ussc.drug_trafficking.cases.fy2023": int(figures.loc["ussc_dt_fy2023_cases", "value"]),
        "who.ussc.noncitizen.pct_immigration.fy2023": who.share(figures, "ussc_noncitizen_fy2023_immigration"),
        "who.ussc.noncitizen.pct_drug_trafficking.fy2023": who.share(
            figures, "ussc_noncitizen_fy2023_drug_trafficking"
        ),
        "who.ussc.noncitizen.offenders.fy2023": int(figures.loc["ussc_noncitizen_fy2023_offenders", "value"]),
        "who.ussc.noncitizen.share_of_all.fy2023": who.share(figures, "ussc_noncitizen_fy2023_share_of_all"),
        "who.ports.fentanyl.pct_citizen": port_citizens,
        "who.ports.fentanyl.pct_noncitizen": 1 - port_citizens,
        **{f"who.ports.fentanyl.{share}.source_kind": port_kind for share in ("pct_citizen", "pct_noncitizen")},
        "who.ussc.drug_trafficking.pct_citizen.fy2023.source_kind": figures.loc[
            "ussc_dt_fy2023_citizen", "source_kind"
        ],
        "who.ussc.noncitizen.pct_drug_trafficking.fy2023.source_kind": figures.loc[
            "ussc_noncitizen_fy2023_drug_trafficking", "source_kind"
        ],
        "who.ports.fentanyl.persons": int(figures.loc[PORTS_PERSONS, "value"]),
        "who.ports.fentanyl.period": str(figures.loc[PORTS_PERSONS, "period"]),
        "who.fentanyl.pct_citizen.fy2021": who.share(figures, "cato_fentanyl_fy2021_citizen"),
        "who.fentanyl.pct_illegal.fy2021": who.share(figures, "cato_fentanyl_fy2021_illegal"),
        "who.fentanyl.pct_citizen.fy2022": who.share(figures, "cato_fentanyl_fy2022_citizen"),
    }


def claim_numbers(register: pd.DataFrame) -> dict:
    """The documents' figures this chapter compares (the register's claimed values, fractions)."""
    return {
        "who.claims.doc001_table_citizens_62": claims.claimed("doc001_table_citizens_62", register)[0],
        "who.claims.doc001_table_migrants_28": claims.claimed("doc001_table_migrants_28", register)[0],
        "who.claims.doc001_table_other_10": claims.claimed("doc001_table_other_10", register)[0],
        "who.claims.doc001_checkpoints_60": claims.claimed("doc001_checkpoints_60", register)[0],
        "who.claims.who_80pct_convictions": claims.claimed("who_80pct_convictions", register)[0],
    }


def chart_rows(figures: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    """The figure's rows: each official share of U.S. citizens (its population and period), the share among
    people caught with fentanyl at ports of entry, and the documents' three claimed shares; with the kind
    of source of each (primary, secondary, unsourced claim)."""
    official = figures[(figures["group"] == "U.S. citizens") & (figures["unit"] == "percent")]
    rows = pd.DataFrame(
        {
            "label": [f"{r.population}, {r.period}" for r in official.itertuples()],
            "share": official["value"] / 100,
            "source_kind": official["source_kind"],
        }
    )
    added = [
        (
            f"persons caught with fentanyl at ports of entry, {figures.loc[PORTS_PERSONS, 'period']}",
            who.ratio(figures, "cato_poe_fentanyl_citizens", PORTS_PERSONS),
            "secondary",
        ),
        (
            "Claim (doc 000): federal drug trafficking convictions",
            claims.claimed("who_80pct_convictions", register)[0],
            UNSOURCED,
        ),
        (
            "Claim (doc 001): fentanyl cases at border checkpoints (over)",
            claims.claimed("doc001_checkpoints_60", register)[0],
            UNSOURCED,
        ),
        (
            "Claim (doc 001 table): American citizens' involvement",
            claims.claimed("doc001_table_citizens_62", register)[0],
            UNSOURCED,
        ),
    ]
    more = pd.DataFrame([{"label": label, "share": share, "source_kind": kind} for label, share, kind in added])
    return pd.concat([rows, more], ignore_index=True)


def official_numbers(rows: pd.DataFrame) -> dict:
    """The lowest share of U.S. citizens among the figure's official and officially sourced rows
    (``chart_rows``; the documents' claims left out)."""
    return {"who.official.min_pct_citizen": float(rows.loc[rows["source_kind"] != UNSOURCED, "share"].min())}


def volume_numbers(rows: pd.DataFrame, register: pd.DataFrame) -> dict:
    """Is the claimed smuggling volume plausible: CBP's fentanyl seizures per month (kilograms) in each
    complete fiscal year of the seizure ``rows``, the document's claimed monthly total, and FY2023's
    seizures as a multiple of it."""
    claimed = claims.claimed("doc001_kg_total", register)[0]
    full_years = sorted(rows.loc[~rows["partial_fy"], "fy"].unique())
    return {
        **{f"who.cbp.fentanyl_kg_per_month.fy{fy}": who.kilograms_per_month(rows, "Fentanyl", fy) for fy in full_years},
        "who.claims.doc001_kg_total": claimed,
        "who.cbp.fentanyl_kg_per_month.ratio_fy2023": who.kilograms_per_month(rows, "Fentanyl", 2023) / claimed,
    }


def noncitizen_offenses(figures: pd.DataFrame) -> pd.DataFrame:
    """The offenses of non-citizens sentenced federally, in percent (rows of ``who.load_citizenship``)."""
    mix = figures[(figures["population"] == NONCITIZEN_POPULATION) & (figures["unit"] == "percent")]
    return mix[["group", "period", "value", "unit", "source_title", "source_url"]].reset_index(drop=True)


def noncitizen_markdown(figures: pd.DataFrame) -> Markdown:
    """The table of ``noncitizen_offenses`` (offense and year, share, source), with its rows as CSV."""
    mix = noncitizen_offenses(figures)
    shown = pd.DataFrame(
        {
            "Non-citizens sentenced federally": mix["group"] + " (" + mix["period"] + ")",
            "Share": mix["value"].map("{:.1f}%".format),
            "Source": mix["source_title"],
        }
    )
    return markdown_table(
        shown,
        widths=[45, 12, 43],
        download=Download(
            "who-noncitizen-offenses",
            "Offenses of non-U.S. citizens sentenced federally",
            "value: percent of the non-citizens sentenced",
            "USSC Quick Facts, transcribed in data/curated/who_citizenship.csv",
        ),
        data=mix,
    )
