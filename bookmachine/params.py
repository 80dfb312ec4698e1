"""``make book PARAMS=...``: check a parameter file before building, with a one-line error a user can act on.

Checks what the build needs: the file exists, is YAML, is a mapping, and every page it names is
a chapter notebook (``bookmachine.plan.load_runs``). Prints ``PARAMS=<file>: <problem>`` and
exits 2 on the first problem, instead of a traceback from deep inside the build.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from analysis.errors import DataError


def problem(params_file: Path) -> str | None:
    """What is wrong with a parameter file, in one line; None when the build can use it."""
    from bookmachine.plan import load_runs

    if not params_file.is_file():
        return "no such file" if not params_file.exists() else "not a file"
    try:
        document = yaml.safe_load(params_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return f"cannot be read ({exc.__class__.__name__})"
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        return f"not valid YAML{where} ({getattr(exc, 'problem', None) or exc.__class__.__name__})"
    if document is not None and not isinstance(document, dict):
        return f"must be a YAML mapping with a 'chapters' key, not a {type(document).__name__}"
    chapters = (document or {}).get("chapters")
    if chapters is not None and not isinstance(chapters, dict):
        return "'chapters' must map page names to their parameters"
    bad = [name for name, spec in (chapters or {}).items() if spec is not None and not isinstance(spec, dict)]
    if bad:
        return f"page {bad[0]!r}: expected 'parameters:' (a mapping), found {type(chapters[bad[0]]).__name__}"
    try:
        load_runs(params_file)
    except DataError as exc:
        return exc.problem
    except (yaml.YAMLError, AttributeError, TypeError, ValueError) as exc:
        return f"not a valid parameter set ({exc})"
    return None


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m bookmachine.params params/<file>.yml", file=sys.stderr)
        return 2
    found = problem(Path(argv[0]))
    if found:
        print(f"PARAMS={argv[0]}: {found}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
