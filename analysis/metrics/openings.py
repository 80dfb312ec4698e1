"""The words of each chapter's opening answer, chosen by rules from the chapter's own numbers.

A chapter opens with its answer in plain words: the numbers are glued, and so are the words that
say which way they point ("mostly at ports of entry", "larger", "above"), so that a new vintage of
the data can never leave a sentence saying the opposite of its number. Each function takes the
numbers a chapter published (``analysis.book.glue.PUBLISHED``) and returns ``{key: words}`` with
literal keys; the landing page glues the same keys.
"""

from __future__ import annotations


def majority(share: float, yes: str, no: str) -> str:
    """``yes`` when ``share`` is more than one half, else ``no``."""
    return yes if share > 0.5 else no


def compared(value: float, reference: float, tolerance: float = 0.0, close: str = "close to") -> str:
    """'above' or 'below' ``reference``; ``close`` when within ``tolerance`` of it (inclusive)."""
    if abs(value - reference) <= tolerance:
        return close
    return "above" if value > reference else "below"


def inside(value: float, low: float, high: float) -> str:
    """'inside' or 'outside' the range [low, high]."""
    return "inside" if low <= value <= high else "outside"


def ports(numbers: dict) -> dict:
    """ports.opening.* : where fentanyl is caught (by the port share of seized weight in the latest
    complete year), whether port seizures are larger on average, and whether Southwest-border
    marijuana, mostly caught between the ports, is the exception."""
    marijuana = numbers["ports.marijuana.ofo_share_southwest_border.fy2023"]
    return {
        "ports.opening.where": majority(
            numbers["ports.fentanyl.ofo_share.last_full"], "Mostly at ports of entry", "Mostly between the ports"
        ),
        "ports.opening.size": "larger" if numbers["ports.fentanyl.size_ratio.last_full"] > 1 else "smaller",
        "ports.opening.marijuana": majority(marijuana, "follows the same pattern", "is the exception"),
    }


def who(numbers: dict, convictions_tolerance: float) -> dict:
    """who.opening.* : who carries fentanyl (the U.S.-citizen share of people caught with it at ports),
    and how the official figures compare with the documents' 80% (within the register's tolerance for
    'roughly') and 62%."""
    citizens = numbers["who.ports.fentanyl.pct_citizen"]
    return {
        "who.opening.majority": majority(citizens, "Mostly U.S. citizens", "Mostly non-citizens"),
        "who.opening.vs_convictions_claim": compared(
            numbers["who.ussc.drug_trafficking.pct_citizen.fy2023"],
            numbers["who.claims.who_80pct_convictions"],
            convictions_tolerance,
        ),
        "who.opening.vs_table_claim": compared(citizens, numbers["who.claims.doc001_table_citizens_62"]),
    }


def budget(numbers: dict) -> dict:
    """budget.opening.* : how the money is split now (ONDCP's latest demand share, a majority or not),
    and how that share compares with the document's starting split."""
    return {
        "budget.opening.split": majority(
            numbers["budget.latest.demand_share"], "Already mostly demand reduction", "Mostly supply reduction"
        ),
        "budget.opening.vs_document": compared(
            numbers["budget.latest.demand_share"], numbers["budget.claim.start_demand_share"]
        ),
    }


def scenario(name: str, extra_last_year: float, claimed_low: float, claimed_high: float) -> dict:
    """budget.opening.vs_claimed_range.<scenario> : whether a rebalancing scenario's extra dollars in its
    last year lie inside the document's claimed range (the scenario's name ends the key)."""
    return {f"budget.opening.vs_claimed_range.{name}": inside(extra_last_year, claimed_low, claimed_high)}


def checks(numbers: dict) -> dict:
    """checks.opening.* : the treatment gap against the document's figure, and what the lowest monthly
    count of encounters is a record of: the monthly series only, when some fiscal years since FY1925
    averaged fewer apprehensions a month, or the yearly history too."""
    if numbers["checks.record_low.since_fy1925.holds"]:
        record = "lower than the average month of every fiscal year back to FY1925"
    else:
        record = (
            f"a record only for that series: in {numbers['checks.record_low.lower_years']:d} fiscal years "
            f"between FY{numbers['checks.record_low.lower_first']:d} and "
            f"FY{numbers['checks.record_low.lower_last']:d}, nationwide apprehensions averaged fewer a month"
        )
    return {
        "checks.opening.gap_vs_claim": compared(
            numbers["sources.nsduh2022_treatment_gap"], numbers["checks.claims.treatment_gap"]
        ),
        "checks.opening.record": record,
    }
