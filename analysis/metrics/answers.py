"""The landing page's answers: the few words and numbers they need beyond what the chapters publish.

Each answer glues its chapter's own answer words (the state and correlation chapters' ``*.answer.*``,
the others' ``*.opening.*``), so that the landing page and the chapter cannot disagree. What is
derived here is only what no chapter states in the answer's form: the years the sector-months span,
and how many claims could not be judged.
``landing_answers`` reads the numbers the chapters published (``_build/numbers.json``).

``HEADLINE_NUMBERS`` names, in plain words, every number the landing page's answers show: the
What-changed page leads with them.
"""

from __future__ import annotations

import re

# Every number (and answer word) the landing page's answers glue, in their order, with a label a reader
# understands. The What-changed page shows these first; a test keeps the list in step with the page.
HEADLINE_NUMBERS = {
    "ports.opening.where": "Where fentanyl is caught: the answer",
    "ports.fentanyl.ofo_share.last_full": (
        "Share of fentanyl seized at ports of entry (of all CBP's officers at ports and Border Patrol seized), by "
        "weight, last full year"
    ),
    "ports.last_full_fy": "Last full fiscal year of CBP's seizure data",
    "who.opening.majority": "Who carries fentanyl: the answer",
    "who.ports.fentanyl.pct_citizen": "U.S. citizens among people caught with fentanyl at ports of entry",
    "who.ports.fentanyl.period": "Years of the citizenship figures",
    "who.ports.fentanyl.pct_citizen.source_kind": "Kind of source of the citizenship figures (primary or secondary)",
    "state_panel.answer.verdict": "State drug crime: the chapter's verdict",
    "state_panel.drug_arrests.pew.twfe.years": "Years of the state panel's declared analysis",
    "state_panel.answer.main_direction": "State drug crime: direction of the main model",
    "state_panel.drug_arrests.pew.twfe.coef": "Drug arrests per 100,000 per point of undocumented share, main model",
    "state_panel.answer.decider_short": "State drug crime: the model whose upper bound decides the verdict",
    "state_panel.answer.decider_upper": (
        "Drug arrests per 100,000 residents per point of undocumented share, upper bound that decides the verdict"
    ),
    "state_panel.drug_arrests.pew.threshold": "Smallest rise in drug arrests that counts (per 100,000 per point)",
    "correlation.answer.title": "Crossings and seizures: the answer",
    "correlation.answer.size": "Fentanyl seized (lb) per 1,000 more encounters in a sector-month, size",
    "correlation.answer.direction": "Fentanyl seized per 1,000 more encounters: more or less",
    "correlation.fentanyl.twfe.ci_low": "Same, low end of the 95% interval",
    "correlation.fentanyl.twfe.ci_high": "Same, high end of the 95% interval",
    "intro.correlation.years": "Years of the sector-months",
    "budget.opening.split": "Drug-control money: the answer",
    "budget.latest.demand_share": "Demand reduction's share of federal drug-control money, latest",
    "budget.latest.fy": "Fiscal year of the latest split",
    "budget.latest.budget_type": "Budget type of the latest split (request, enacted, ...)",
    "budget.latest.demand_share.source_kind": "Kind of source of the latest split (primary or secondary)",
    "budget.claim.target_demand_share": "Demand share the document proposes",
    "budget.rebalance.extra_per_year.latest": "Extra demand dollars in the last year of the path (USD billion)",
    "budget.rebalance.years.latest": "Years of the rebalancing path",
    "claims.count.wrong": "Claims the data show wrong (contradicted or miscited)",
    "claims.count.judged": "Factual claims the book could judge",
    "claims.count.hold_up": "Claims that hold up in full (correct, or cited correctly)",
    "claims.count.in_between": "Claims judged neither correct nor wrong (partly, unconfirmed, unclear, arithmetic)",
    "intro.claims.not_judged": "Factual claims that could not be checked",
}
YEAR = re.compile(r"\b(\d{4})\b")


def years_between(first: str, last: str) -> str:
    """'2018-2024' from two dates written with their year ('October 2018', 'November 2024'); one year alone
    when both are in it."""
    start, end = (YEAR.search(text).group(1) for text in (first, last))
    return start if start == end else f"{start}-{end}"


def landing_answers(numbers: dict, counts: dict) -> dict:
    """intro.* : the years the correlation's sector-months span (from the chapters' ``numbers``), and the
    factual claims the book could not judge (from the register's ``counts``, ``claims.headline_counts``)."""
    return {
        "intro.correlation.years": years_between(numbers["correlation.first_month"], numbers["correlation.last_month"]),
        "intro.claims.not_judged": counts["claims.count.factual"] - counts["claims.count.judged"],
    }
