"""Put computed numbers into the book: ``publish`` glues a number under a stable key.

Every published value ends up in ``_build/numbers.json`` (the book's contract) and can be shown in
the text with a ``{glue}`` role; nothing in the prose is typed by hand.
"""

from __future__ import annotations

import math
import re
from numbers import Integral, Real

from IPython.core.formatters import format_display_data
from IPython.display import display

KEY_PATTERN = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
# myst-nb's glue format: a hidden display output whose MIME types carry this prefix and whose
# metadata names the key. Written here directly so the analysis never imports the book toolchain.
GLUE_PREFIX = "application/papermill.record/"
# Every value this kernel has published, so that a chapter can judge its own claims with the
# register's rules (``show_claims``) from the numbers it has just computed.
PUBLISHED: dict = {}


def plain(value):
    """A plain Python int, float or str (numpy scalars would render as 'np.float64(...)')."""
    if isinstance(value, bool):
        return value
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        number = float(value)
        if math.isnan(number):
            raise ValueError("refusing to publish NaN: missing data is reported, not glued as a number")
        return number
    if isinstance(value, str):
        return value
    raise TypeError(f"cannot publish {type(value).__name__}; convert to int, float or str")


def publish(key: str, value) -> None:
    """Glue ``value`` under ``key`` (dotted lower-case, e.g. 'ports.fentanyl.ofo_share.fy2023').

    The output is what ``myst_nb.glue(key, value, display=False)`` writes, so ``{glue}`` roles find it.
    """
    if not KEY_PATTERN.match(key):
        raise ValueError(f"glue key {key!r} must be dotted lower-case words")
    value = plain(value)
    PUBLISHED[key] = value
    bundle, metadata = format_display_data(value)
    metadata["scrapbook"] = {"name": key, "mime_prefix": GLUE_PREFIX}
    display({GLUE_PREFIX + mime: content for mime, content in bundle.items()}, raw=True, metadata=metadata)


def publish_all(numbers: dict) -> None:
    """Glue every ``key: value`` of a section's numbers (see ``publish``)."""
    for key, value in numbers.items():
        publish(key, value)
