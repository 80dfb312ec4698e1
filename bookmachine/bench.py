"""``make bench``: wall time of every loader, a cold HTML build and a warm rebuild.

A cold build starts from an empty ``_build`` with the virtualenv and the raw data already present;
the warm rebuild follows it with nothing changed. Targets (2 cores): cold under 180 s, warm
under 30 s, each loader a few seconds.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

from analysis import budget, catalog, config, encounters, ondcp, seizures, state_data, state_panel, ucr, who

LOADERS = {
    "CBP nationwide drug seizures (all vintages)": lambda: seizures.load_seizures(),
    "ONDCP Data Supplement Table 78": lambda: ondcp.load_table_78(catalog.path("ndcs-data-supplement-2020-february")),
    "DHS OHSS encounters workbook (3 sheets)": lambda: encounters.load_ohss_sectors(
        catalog.path("ohss-khsm-encounters-usbp-fy25m11")),
    "CBP USBP monthly encounters PDF (21 pages)": lambda: encounters.load_cbp_monthly_pdf(
        catalog.path("us-border-patrol-monthly-encounters-fy2000-fy2020")),
    "CBP Southwest encounters by component": lambda: encounters.load_sbo(catalog.path("sbo-encounters-fy22-fy25-aug")),
    "CBP nationwide encounters by state": lambda: encounters.load_nationwide_state(
        catalog.path("nationwide-encounters-fy20-fy23-state")),
    "Curated ONDCP budget and citizenship tables": lambda: (budget.load_demand_shares(), who.load_citizenship()),
    "UCR county arrest files (18 fixed-width years)": lambda: ucr.load_state_arrests(state_data.states()),
    "ONDCP tables 112-113 and NCHS state deaths": lambda: state_panel.load_deaths(),
    "State panel (every state-panel input)": lambda: state_panel.load_panel(),
}


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def html_build(params: Path) -> float:
    """Seconds for one strict HTML build through the same entry point as ``make html``."""
    command = [sys.executable, "-m", "bookmachine.build", "book", "--params", str(params), "--strict"]
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=config.PROJECT_ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bookmachine.bench")
    parser.add_argument("--params", type=Path, default=config.PARAMS_DIR / "default.yml")
    parser.add_argument("--loaders-only", action="store_true", help="time the loaders, skip the builds")
    arguments = parser.parse_args(argv)
    catalog.fetch_all()
    for name, load in LOADERS.items():
        print(f"loader  {name:<48} {timed(load):6.2f} s", flush=True)
    if arguments.loaders_only:
        return 0
    shutil.rmtree(config.BUILD_DIR, ignore_errors=True)
    cold = html_build(arguments.params)
    print(f"cold HTML build (empty _build, data present)         {cold:6.1f} s  (target < 180 s)", flush=True)
    warm = html_build(arguments.params)
    print(f"warm HTML rebuild (nothing changed)                  {warm:6.1f} s  (target < 30 s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
