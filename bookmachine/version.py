"""The book's version: the CITATION.cff release plus the git commit it was built from."""

from __future__ import annotations

import subprocess

import yaml

from analysis import config


def cff_version() -> str:
    """The ``version`` field of CITATION.cff (the single place the version is set)."""
    document = yaml.safe_load((config.PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    return str(document["version"])


def _git(*arguments: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", *arguments], cwd=config.PROJECT_ROOT, capture_output=True, text=True, check=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None


def git_commit() -> str | None:
    """Full hash of HEAD, or None outside a git checkout."""
    return _git("rev-parse", "HEAD")


def git_describe() -> str | None:
    """``git describe --always --dirty``: tag distance, short hash, and '-dirty' for uncommitted changes."""
    return _git("describe", "--tags", "--always", "--dirty")


def commit_date() -> str | None:
    """Date (YYYY-MM-DD) of the commit the book is built from: stable across rebuilds of one commit."""
    return _git("log", "-1", "--format=%cs")


def book_version() -> str:
    """'0.1.0 (abc1234)': the release and the exact source it was built from."""
    described = git_describe()
    return f"{cff_version()} ({described})" if described else cff_version()


def repository_url() -> str | None:
    """The ``origin`` remote as an https address (the book links to it only when there is one)."""
    remote = _git("remote", "get-url", "origin")
    if not remote:
        return None
    if remote.startswith("git@"):
        host, _, path = remote.removeprefix("git@").partition(":")
        remote = f"https://{host}/{path}"
    return remote.removesuffix(".git") if remote.startswith("https://") else None


def git_branch() -> str | None:
    """The checked-out branch, if any."""
    return _git("rev-parse", "--abbrev-ref", "HEAD")
