"""The chapter of other checks, section by section: the glue keys its text reads and its tables with their
downloads.

Key family: ``sources.<id>`` (each figure of data/curated/cited_sources.csv, percentages as fractions); a
section's own keys are written out.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.book.downloads import Download
from analysis.book.tables import markdown_table
from analysis.data import curated, encounters, sector_panel
from analysis.metrics import checks, claims

SUPPLEMENT = "ONDCP National Drug Control Strategy Data Supplement"
# The period the "record low" claims refer to: the policies from January 2025.
RECORD_LOW_SINCE = "2025-01-01"
# The register's test of "sharp declines" (doc002_sharp_declines): February to the latest month of 2025
# against the same months of 2024.
DECLINE_YEAR, DECLINE_FIRST_MONTH = 2025, 2
# "About 90% of fentanyl is seized at ports" (ports_fentanyl_90pct) is read for FY2023.
PORTS_90_YEAR = 2023
# The treatment table shows the latest years only; its download holds every year.
TREATMENT_YEARS_SHOWN = 6


def treatment_numbers(gap: pd.DataFrame, register: pd.DataFrame) -> dict:
    """The treatment gap: the document's figure, and NSDUH's gap (``checks.treatment_gap``, indexed by year)
    in its latest year, its lowest since its first year, and those years."""
    latest = int(gap.index.max())
    return {
        "checks.claims.treatment_gap": claims.claimed("doc003_treatment_gap_76", register)[0],
        "checks.treatment_gap.latest": float(gap.loc[latest, "gap"]),
        "checks.treatment_gap.latest_year": latest,
        "checks.treatment_gap.min": float(gap["gap"].min()),
        "checks.treatment_gap.min_year": int(gap["gap"].idxmin()),
        "checks.treatment_gap.first_year": int(gap.index.min()),
    }


def injury_numbers(deaths: pd.DataFrame) -> dict:
    """Drug poisoning among causes of death: the latest year of ONDCP's Table 43 with every cause, the cause
    with the most deaths that year and its deaths, and whether it is drug poisoning (1.0 or 0.0)."""
    year, cause, count = checks.leading_cause(deaths)
    return {
        "checks.injury.year": year,
        "checks.injury.leading": cause,
        "checks.injury.leading_deaths": int(count),
        "checks.injury.drug_poisoning_leads": float(cause == "Drug Poisoning"),
    }


def encounter_numbers(monthly: pd.DataFrame, annual: pd.DataFrame, *, sectors: pd.DataFrame, sbo: pd.DataFrame) -> dict:
    """A record low, back to 1925: the lowest month since monthly records begin against the yearly counts
    since FY1925 (``checks.record_low_numbers``), the decline of 2025 against the same months of 2024, the
    largest complete fiscal year of the DHS series, and the Border Patrol's share of the Southwest border's
    encounters in CBP's latest complete fiscal year. ``monthly``: the combined monthly series;
    ``annual``: the curated yearly apprehensions, whose weakest source kind the FY1925 comparison carries
    (``claims.SOURCE_KIND_SUFFIX``); ``sectors`` and ``sbo``: the DHS and CBP rows."""
    decline, last_month = checks.decline_against_year_before(monthly, DECLINE_YEAR, first_month=DECLINE_FIRST_MONTH)
    by_year = encounters.southwest_usbp_by_year(sectors)
    component_fy, between_share = checks.component_share(sbo, "USBP")
    return {
        **checks.record_low_numbers(monthly, annual, since=RECORD_LOW_SINCE),
        f"checks.record_low.since_fy1925.holds{claims.SOURCE_KIND_SUFFIX}": curated.weakest_kind(annual["source_kind"]),
        "checks.encounters.decline_2025": decline,
        "checks.encounters.decline_2025_last_month": pd.Timestamp(DECLINE_YEAR, last_month, 1).strftime("%B"),
        "checks.encounters.max_fy": int(by_year.loc[~by_year["partial"], "encounters"].max()),
        "checks.encounters.between_ports_share": between_share,
        "checks.encounters.component_fy": component_fy,
    }


def seizure_numbers(rows: pd.DataFrame, register: pd.DataFrame) -> dict:
    """Fentanyl seized between the ports: the Border Patrol's share of CBP's fentanyl seizures
    (``checks.between_ports_numbers``), the Southwest border's share of cocaine in the latest complete
    year, the document's "less than 30%", and the port share of fentanyl in FY2023 by weight and by events
    with whether each lies within the register's tolerance of "about 90%"."""
    between = checks.between_ports_numbers(rows)
    last_full = between["checks.fentanyl.last_full_fy"]
    low, _ = claims.claimed("ports_fentanyl_90pct", register)
    tolerance = float(register.loc["ports_fentanyl_90pct", "tolerance"])
    by_weight = 1 - checks.between_ports_share(rows, "Fentanyl", [PORTS_90_YEAR], measure="pounds")
    by_events = 1 - checks.between_ports_share(rows, "Fentanyl", [PORTS_90_YEAR], measure="events")
    return {
        **between,
        "checks.cocaine.southwest_share.last_full": checks.region_share(
            rows, "Cocaine", "Southwest Border", fiscal_years=[last_full]
        ),
        "checks.claims.migration_share": claims.claimed("doc001_migration_30", register)[1],
        "checks.ports90.by_weight.value": by_weight,
        "checks.ports90.by_weight.holds": checks.within(by_weight, low, tolerance),
        "checks.ports90.by_events.value": by_events,
        "checks.ports90.by_events.holds": checks.within(by_events, low, tolerance),
    }


def co_occurrence_numbers(sectors: pd.DataFrame, rows: pd.DataFrame) -> dict:
    """Drugs and migrants in the same sector and month: over the months both files cover, the share of
    Southwest sector-months in which the Border Patrol encountered migrants and seized any drug, or
    fentanyl (``checks.co_occurrence_share``), the number of sector-months and the period."""
    drugs = sorted(rows["drug"].unique())
    southwest_months = sectors.loc[sectors["region"] == encounters.SOUTHWEST, "month"]
    first, last = rows["month"].min(), min(southwest_months.max(), rows["month"].max())
    panel = sector_panel.sector_month_panel(sectors, rows, drugs, first_month=first, last_month=last)
    return {
        "checks.routinely.share": checks.co_occurrence_share(panel, drugs),
        "checks.routinely.fentanyl_share": checks.co_occurrence_share(panel, ["Fentanyl"]),
        "checks.routinely.sector_months": len(panel),
        "checks.routinely.first_month": f"{first:%B %Y}",
        "checks.routinely.last_month": f"{last:%B %Y}",
    }


def recidivism_numbers(recidivism: pd.DataFrame) -> dict:
    """Repeat crossings under Title 42: CBP's rate for the first year of expulsions, the Border Patrol's
    official FY2015 rate (GAO), both as fractions, and the difference. ``recidivism``: the curated repeat
    crossing figures, indexed by id; the Title 42 rate carries its row's source kind (``claims.SOURCE_KIND_SUFFIX``)."""
    title42 = float(recidivism.loc["cbp_recidivism_title42", "value"]) / 100
    before = float(recidivism.loc["gao_recidivism_official_fy2015", "value"]) / 100
    return {
        "checks.recidivism.title42_rate": title42,
        f"checks.recidivism.title42_rate{claims.SOURCE_KIND_SUFFIX}": recidivism.loc[
            "cbp_recidivism_title42", "source_kind"
        ],
        "checks.recidivism.before_rate": before,
        "checks.recidivism.title42": title42 - before,
    }


def source_numbers(sources: pd.DataFrame, published: pd.DataFrame) -> dict:
    """Figures from published sources: each cited source's figure (``sources.<id>``, percentages as
    fractions), and what the register compares from them: NSDUH's 2022 treatment gap, the change of
    Vermont's opioid deaths 2017-2022, of Portugal's illicit drug use 2012-2017 (points as a fraction),
    RAND's ratio of interdiction to treatment cost per user, and the most positive direction the state
    study's abstract reports (``checks.strongest_direction``). Each carries the weakest source kind of the
    rows it reads (``sources.<id>.source_kind``, ``claims.SOURCE_KIND_SUFFIX``), so the register caps it."""
    cited = sources.set_index("id")["value"]
    kind = sources.set_index("id")["source_kind"]
    abstract = published[published["source_kind"] == "primary"]
    derived = {
        "sources.nsduh2022_treatment_gap": (
            1 - float(cited["nsduh2022_received_treatment"]) / 100,
            ["nsduh2022_received_treatment"],
        ),
        "sources.vermont_opioid_change": (
            float(cited["vermont_opioid_deaths_2022"] / cited["vermont_opioid_deaths_2017"] - 1),
            ["vermont_opioid_deaths_2022", "vermont_opioid_deaths_2017"],
        ),
        "sources.portugal_illicit_use_change": (
            float(cited["portugal_illicit_use_2017"] - cited["portugal_illicit_use_2012"]) / 100,
            ["portugal_illicit_use_2017", "portugal_illicit_use_2012"],
        ),
        "sources.rand_users_interdiction_ratio": (
            float(cited["rand_users_interdiction_cost"] / cited["rand_users_treatment_cost"]),
            ["rand_users_interdiction_cost", "rand_users_treatment_cost"],
        ),
    }
    return {
        **{
            f"sources.{row.id}": row.value / 100 if row.unit == "percent" else float(row.value)
            for row in sources.itertuples()
        },
        **{f"sources.{row.id}{claims.SOURCE_KIND_SUFFIX}": row.source_kind for row in sources.itertuples()},
        **{key: value for key, (value, _) in derived.items()},
        **{f"{key}{claims.SOURCE_KIND_SUFFIX}": curated.weakest_kind(kind[ids]) for key, (_, ids) in derived.items()},
        "sources.light2017_strongest_direction": checks.strongest_direction(
            abstract["significance"], "data/curated/published_state_panel.csv"
        ),
        f"sources.light2017_strongest_direction{claims.SOURCE_KIND_SUFFIX}": curated.weakest_kind(
            abstract["source_kind"]
        ),
    }


def treatment_gap_markdown(gap: pd.DataFrame) -> Markdown:
    """The latest ``TREATMENT_YEARS_SHOWN`` years of the treatment gap (``checks.treatment_gap``, indexed by
    year): needed and received in thousands, the gap in percent; every year as CSV."""
    data = gap.reset_index()
    latest = data.tail(TREATMENT_YEARS_SHOWN)
    shown = pd.DataFrame(
        {
            "Year": latest["year"],
            "Needed (thousands)": latest["needed"].map("{:,.0f}".format),
            "Received (thousands)": latest["received"].map("{:,.0f}".format),
            "Gap": latest["gap"].map("{:.1%}".format),
        }
    )
    return markdown_table(
        shown,
        widths=[15, 30, 30, 25],
        download=Download(
            "checks-treatment-gap",
            "People who needed and who received treatment for illicit drug use, by year",
            "needed, received: thousands of people; gap: fraction not treated (0-1)",
            f"{SUPPLEMENT}, Table 67 (from NSDUH)",
        ),
        data=data,
    )


def injury_deaths_markdown(deaths: pd.DataFrame) -> Markdown:
    """Deaths by injury cause in the year ``injury_numbers`` reads (a row of ONDCP's Table 43, indexed by
    year); every year as CSV."""
    year, _, _ = checks.leading_cause(deaths)
    shown = pd.DataFrame({"Cause": deaths.columns, f"Deaths {year}": deaths.loc[year].map("{:,.0f}".format).to_list()})
    return markdown_table(
        shown,
        widths=[60, 40],
        download=Download(
            "checks-injury-deaths",
            "Injury deaths by cause and year",
            "deaths",
            f"{SUPPLEMENT}, Table 43 (from NCHS)",
        ),
        data=deaths.reset_index(),
    )


def cited_sources_markdown(sources: pd.DataFrame) -> Markdown:
    """The figures of the sources the documents cite (``data/curated/cited_sources.csv``): figure, value in
    its unit, and the source linked with its date and kind; the curated rows as CSV."""
    shown = pd.DataFrame(
        {
            "Figure": sources["figure"],
            "Source's value": [f"{v:g} {u}" for v, u in zip(sources["value"], sources["unit"], strict=True)],
            "Source": [
                f"[{row.source_title}]({row.source_url}) ({row.source_date}, {row.source_kind})"
                for row in sources.itertuples()
            ],
        }
    )
    return markdown_table(
        shown,
        widths=[30, 15, 55],
        download=Download(
            "checks-cited-sources",
            "Figures of the sources the documents cite, as those sources state them",
            "value in its unit (column unit)",
            "transcribed in data/curated/cited_sources.csv, a source and address on every row",
        ),
        data=sources,
    )
