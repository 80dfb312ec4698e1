"""Synthetic state-year panels with known truth, for the state-panel model tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.models.specifications import Analysis

SYNTHETIC = Analysis(
    "synthetic", "synthetic", "rate", "count", "population", "share", (0, 9999), "synthetic", "censored"
)


def synthetic_state_panel(
    n_states: int,
    years: list[int],
    effect: float,
    seed: int,
    trend_confound: float = 0.0,
    lead_effect: float = 0.0,
    noise: float = 1.0,
) -> pd.DataFrame:
    """A state-year panel with known truth, for tests.

    ``rate`` = state effect + year effect + ``effect`` x share + ``trend_confound`` x (the state's
    share trend) x (year - first year) + ``lead_effect`` x next year's share + noise. The share
    has state-specific trends and is correlated with the state effects, so a model without state
    effects is biased and, with ``trend_confound``, a model without state trends is too.
    ``count`` is Poisson with mean population x exp(-7 + state + year effects/10 + ``effect`` x share),
    so Poisson recovers ``effect`` in log points. Divisions, censoring flags and controls are included.
    """
    rng = np.random.default_rng(seed)
    state_effect = rng.normal(0, 5, n_states)
    trend = rng.normal(0, 0.15, n_states)
    year_effect = dict(zip(years, rng.normal(0, 2, len(years)), strict=True))
    frames = []
    for i in range(n_states):
        t = np.asarray(years, dtype=float) - years[0]  # in years, so irregular years (Pew's) keep their spacing
        share = 2 + 0.3 * state_effect[i] + trend[i] * t + rng.normal(0, 0.5, len(years))
        lead = np.append(share[1:], np.nan)
        population = float(rng.integers(500_000, 5_000_000)) * np.ones(len(years))
        control = rng.normal(0, 1, len(years))
        rate = (
            20
            + state_effect[i]
            + np.array([year_effect[y] for y in years])
            + effect * share
            + trend_confound * trend[i] * t * 10
            + lead_effect * np.nan_to_num(lead)
            + 0.5 * control
            + rng.normal(0, noise, len(years))
        )
        mean = population * np.exp(
            -7 + state_effect[i] / 10 + np.array([year_effect[y] for y in years]) / 10 + effect * share
        )
        frames.append(
            pd.DataFrame(
                {
                    "state": f"S{i:02d}",
                    "division": f"D{i % 9}",
                    "year": years,
                    "share": share,
                    "rate": rate,
                    "count": rng.poisson(mean).astype(float),
                    "population": population,
                    "censored": (i % 10 == 0),
                    "unemployment_pct": control,
                    "poverty138_pct": rng.normal(0, 1, len(years)),
                    "urban_pct": rng.normal(0, 1, len(years)),
                }
            )
        )
    return pd.DataFrame(pd.concat(frames, ignore_index=True))
