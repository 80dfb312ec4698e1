"""The landing page's answers for the two chapters whose verdicts are statistical: words derived from
the chapters' numbers by rules, never typed beside a number.

The other answers glue the chapters' own opening words (``analysis.metrics.openings``).
``landing_answers`` reads the numbers the chapters published (``_build/numbers.json``).
"""

from __future__ import annotations

# The state chapter's verdict on "not associated with increased drug crime" (a claim of no increase),
# as an answer to the question "does undocumented immigration raise state drug crime?".
STATE_ANSWERS = {
    "supported": "No, a meaningful rise is ruled out",
    "contradicted": "Yes, arrests rose with the share",
    "inconclusive": "Inconclusive, a rise is not ruled out",
}


def direction(
    ci_low: float, ci_high: float, more: str = "more", fewer: str = "fewer", neither: str = "no clear difference in"
) -> str:
    """The direction a 95% interval shows: ``more`` above zero, ``fewer`` below it, ``neither`` across it
    (the state chapter's own rule for its main model)."""
    return more if ci_low > 0 else fewer if ci_high < 0 else neither


def interval_reading(ci_low: float, ci_high: float) -> str:
    """What a 95% interval of an association says in plain words: none detected when it spans zero."""
    return direction(ci_low, ci_high, "More seizures", "Fewer seizures", "No detectable link")


def landing_answers(numbers: dict) -> dict:
    """intro.* : the state chapter's verdict as an answer and the direction of its main model's interval,
    and whether crossings and seizures move together (the within-sector 95% interval)."""
    return {
        "intro.state.answer": STATE_ANSWERS[numbers["state_panel.drug_crime.verdict"]],
        "intro.state.direction": direction(
            numbers["state_panel.drug_arrests.pew.twfe.ci_low"], numbers["state_panel.drug_arrests.pew.twfe.ci_high"]
        ),
        "intro.correlation.answer": interval_reading(
            numbers["correlation.fentanyl.twfe.ci_low"], numbers["correlation.fentanyl.twfe.ci_high"]
        ),
    }
