"""Shared fixtures: synthetic seizure files and the real, verified raw inputs."""
from __future__ import annotations

import pytest

from analysis import catalog, config

HEADER = "FY,Month (abbv),Component,Region,Land Filter,Area of Responsibility,Drug Type,Count of Event,Sum Qty (lbs)"


def seizure_csv(rows: list[str], header: str = HEADER, newline: str = "\n") -> str:
    """A synthetic CBP seizure file with the published header."""
    return newline.join([header, *rows]) + newline


@pytest.fixture
def write_csv(tmp_path):
    """Write text to a CSV file in a temporary directory and return its path."""
    def write(text: str, name: str = "nationwide-drugs-test.csv", encoding: str = "utf-8"):
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path
    return write


@pytest.fixture(scope="session")
def real_data():
    """Every catalogued raw file, verified; skipped (with the reason) where no copy can be obtained."""
    if config.mirror_dir() is None and not config.raw_dir().exists():
        pytest.skip("no raw data: set DATA_MIRROR or place ../shared/data/raw beside the project")
    return catalog.fetch_all()
