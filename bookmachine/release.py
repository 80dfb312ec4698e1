"""What a build records and a release keeps: the build manifest, and ``_build/releases/<version>/``."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import platform
import re
import shutil
from pathlib import Path

from analysis import config
from analysis.data import catalog
from bookmachine import changes, version
from bookmachine.outputs import HTML_DIR, MANIFEST_NAME, NUMBERS_FILE, PDF_DIR, BuildError, shown

PACKAGES = (
    "jupyter-book",
    "myst-nb",
    "sphinx",
    "papermill",
    "pandas",
    "numpy",
    "statsmodels",
    "seaborn",
    "matplotlib",
    "openpyxl",
)


def package_versions() -> dict:
    """Installed versions of the packages that shape the results and the book."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def write_manifest(state: dict, formats: list[str]) -> Path:
    """_build/html/build-manifest.json: version, commit, time, environment, inputs, parameters."""
    manifest = {
        "version": state["version"],
        "citation_version": version.cff_version(),
        "git_commit": version.git_commit(),
        "git_describe": version.git_describe(),
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "formats": formats,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": package_versions(),
        "parameters_file": shown(state["params_file"]),
        "parameters": {
            run.name: {"notebook": str(run.source.relative_to(config.PROJECT_ROOT)), "parameters": run.parameters}
            for run in state["runs"]
        },
        "raw_inputs": state["inputs"],
        "read_by_page": state["reads"],
        "numbers_sha256": catalog.sha256_of(NUMBERS_FILE),
    }
    path = HTML_DIR / MANIFEST_NAME
    path.write_text(json.dumps(manifest, indent=1) + "\n")
    return path


CITATION_FILE = config.PROJECT_ROOT / "CITATION.cff"


def date_release(citation: Path = CITATION_FILE, today: dt.date | None = None) -> str:
    """Set ``date-released`` in CITATION.cff to the release day (``make release`` does, before it builds
    the book, so that the released pages carry the date). Returns the date."""
    day = (today or dt.date.today()).isoformat()
    text = citation.read_text(encoding="utf-8")
    if not re.search(r"^date-released: .*$", text, flags=re.MULTILINE):
        raise BuildError(f"{shown(citation)} has no 'date-released:' line")
    citation.write_text(re.sub(r"^date-released: .*$", f"date-released: {day}", text, flags=re.MULTILINE), "utf-8")
    return day


def keep_inputs(release_version: str, entries: list[dict], directory: Path = changes.RELEASES_DIR) -> Path:
    """``releases/inputs-<version>.json``: every catalog entry the release was built from (id -> sha256),
    so that a later version can list the data added since (``changes.data_added_markdown``)."""
    path = directory / f"inputs-{release_version}.json"
    path.write_text(json.dumps({item["id"]: item["sha256"] for item in entries}, indent=1) + "\n", encoding="utf-8")
    return path


def release() -> Path:
    """Copy HTML, PDF, numbers.json and the manifest to _build/releases/<version>/ with SHA256SUMS."""
    manifest_file = HTML_DIR / MANIFEST_NAME
    pdf_file = PDF_DIR / "book.pdf"
    for needed in (manifest_file, pdf_file, NUMBERS_FILE):
        if not needed.exists():
            raise BuildError(f"{shown(needed)} is missing: run `make book` first")
    manifest = json.loads(manifest_file.read_text())
    if manifest["git_commit"] != version.git_commit() or manifest["numbers_sha256"] != catalog.sha256_of(NUMBERS_FILE):
        raise BuildError("the built book does not match the current commit or numbers.json: run `make book` again")
    target = config.BUILD_DIR / "releases" / manifest["citation_version"]
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(HTML_DIR, target / "html")
    for path in (pdf_file, NUMBERS_FILE, manifest_file):
        shutil.copyfile(path, target / path.name)
    files = sorted(p for p in target.rglob("*") if p.is_file())
    sums = "".join(f"{catalog.sha256_of(p)}  {p.relative_to(target).as_posix()}\n" for p in files)
    (target / "SHA256SUMS").write_text(sums)
    kept = config.PROJECT_ROOT / "releases" / f"numbers-{manifest['citation_version']}.json"
    kept.parent.mkdir(exist_ok=True)
    shutil.copyfile(NUMBERS_FILE, kept)
    keep_inputs(manifest["citation_version"], catalog.load_catalog(config.CATALOG_FILE), kept.parent)
    versions = changes.record_release(manifest["citation_version"], manifest["built_at"][:10], manifest["git_commit"])
    print(
        f"numbers kept in {shown(kept)}, inputs in inputs-{manifest['citation_version']}.json beside it, and the "
        f"release listed in {shown(versions)}: commit them with CITATION.cff (its date-released), so later "
        "versions can show what changed"
    )
    print(f"release {manifest['version']} written to {shown(target)} ({len(files)} files)")
    return target
