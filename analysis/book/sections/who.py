"""The chapter on who is convicted and caught, section by section: the glue keys its text reads and its table."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.book.downloads import Download
from analysis.book.tables import markdown_table

NONCITIZEN_POPULATION = "federally sentenced non-U.S. citizens (all offenses)"


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
