"""The one error type raised for every input problem, with a message a reader can act on."""

from __future__ import annotations

from pathlib import Path


class DataError(Exception):
    """An input file is missing, altered or malformed.

    The message names the file, the column (when one is at fault), the first offending rows and
    what was expected, so that a user can fix the input without reading a traceback.
    """

    def __init__(
        self,
        file: str | Path,
        problem: str,
        *,
        column: str | None = None,
        rows: list | None = None,
        expected: str | None = None,
    ):
        self.file = str(file)
        self.column = column
        self.rows = list(rows or [])
        self.problem = problem
        self.expected = expected
        parts = [f"{self.file}:"]
        if column is not None:
            parts.append(f"column {column!r}:")
        parts.append(problem)
        message = " ".join(parts)
        if self.rows:
            message += f" (first offending rows: {', '.join(map(str, self.rows[:5]))})"
        if expected:
            message += f". Expected {expected}"
        super().__init__(message + ".")
