"""Glue: numbers published under stable keys as plain Python values; NaN is refused."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.book import glue


def test_numpy_scalars_become_plain_python():
    assert type(glue.plain(np.float64(0.5))) is float
    assert type(glue.plain(np.int64(3))) is int
    assert glue.plain("FY2025") == "FY2025"


def test_nan_is_refused():
    with pytest.raises(ValueError, match="NaN"):
        glue.plain(float("nan"))


def test_key_pattern():
    assert glue.KEY_PATTERN.match("ports.fentanyl.ofo_share.fy2023")
    assert not glue.KEY_PATTERN.match("Ports.Fentanyl")
    assert not glue.KEY_PATTERN.match("single")


def test_publish_all_glues_every_key_of_a_section():
    glue.publish_all({"test.section.a": 1, "test.section.b": "two"})
    assert glue.PUBLISHED["test.section.a"] == 1 and glue.PUBLISHED["test.section.b"] == "two"
    with pytest.raises(ValueError, match="NaN"):
        glue.publish_all({"test.section.c": float("nan")})
