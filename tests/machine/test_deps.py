"""What a notebook's cache key covers (bookmachine/deps.py): the analysis modules its code imports,
followed through subpackages and relative imports, the inputs it read, and why it runs again."""

from __future__ import annotations

from analysis import config
from bookmachine import deps


def test_module_closure_follows_analysis_imports_transitively(tmp_path):
    package = tmp_path / "analysis"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from analysis import b\n")
    (package / "b.py").write_text("from . import c\nimport pandas\n")
    (package / "c.py").write_text("x = 1\n")
    (package / "unused.py").write_text("")
    found = deps.module_closure(["import numpy\nfrom analysis import a as alias\n"], package)
    assert [p.name for p in found] == ["__init__.py", "a.py", "b.py", "c.py"]


def test_module_closure_counts_modules_imported_from_a_subpackage(tmp_path):
    """``from analysis.data import seizures`` depends on data/seizures.py and every package __init__ on the way."""
    package = tmp_path / "analysis"
    for directory in (package, package / "data", package / "data" / "deep", package / "models"):
        directory.mkdir()
        (directory / "__init__.py").write_text("")
    (package / "data" / "seizures.py").write_text("from .calendar import MONTHS\nfrom ..models import kernel\n")
    (package / "data" / "calendar.py").write_text("MONTHS = ()\n")
    (package / "data" / "unused.py").write_text("")
    (package / "data" / "deep" / "reader.py").write_text("from ... import errors\nfrom .. import calendar\n")
    (package / "models" / "kernel.py").write_text("import analysis.data.deep.reader\n")
    (package / "errors.py").write_text("")
    found = deps.module_closure(["from analysis.data import seizures\n"], package)
    assert [p.relative_to(package).as_posix() for p in found] == [
        "__init__.py",
        "data/__init__.py",
        "data/calendar.py",
        "data/deep/__init__.py",
        "data/deep/reader.py",
        "data/seizures.py",
        "errors.py",
        "models/__init__.py",
        "models/kernel.py",
    ]
    found = deps.module_closure(["import analysis.data.calendar\n"], package)
    assert [p.relative_to(package).as_posix() for p in found] == ["__init__.py", "data/__init__.py", "data/calendar.py"]


def test_the_state_panel_cache_key_leaves_out_the_cbp_loaders():
    """Editing a CBP loader must not re-run the state-panel chapter, which never reads CBP data."""
    package = config.PROJECT_ROOT / "analysis"
    closure = {
        path.relative_to(package).as_posix()
        for path in deps.module_closure(deps.code_cells(config.CHAPTERS_DIR / "state_panel.md"), package)
    }
    assert {"data/state_panel.py", "data/state_data.py", "data/ucr.py", "models/state_models.py"} <= closure
    cbp = {"data/encounters.py", "data/seizures.py", "data/vintages.py", "data/sector_panel.py"}
    assert closure & cbp == set()
    assert cbp <= {
        path.relative_to(package).as_posix()  # the same scan does find them where they are used
        for path in deps.module_closure(deps.code_cells(config.CHAPTERS_DIR / "checks.md"), package)
    }


def test_why_names_each_changed_dependency():
    before = {"notebook chapters/x.md": "1", "module analysis/a.py": "2", "file data/claims.csv": "3"}
    after = {"notebook chapters/x.md": "1", "module analysis/a.py": "9", "dataset d": "4"}
    assert deps.why(before, after) == [
        "dataset d is new",
        "file data/claims.csv is no longer used",
        "module analysis/a.py changed",
    ]
    assert deps.why(before, before) == []
    assert deps.why(None, after) == ["no cached result"]


def test_loaders_record_what_they_read_when_the_build_asks(tmp_path, monkeypatch, real_data):
    from analysis.data import catalog, curated
    from analysis.metrics import claims

    log = tmp_path / "reads.log"
    curated.load_curated("states")
    assert not log.exists()
    monkeypatch.setenv(config.READS_LOG_VARIABLE, str(log))
    catalog.path("nationwide-drugs-fy20-fy23")
    curated.load_curated("states")
    claims.load_claims()
    assert deps.read_log(log) == [
        ("catalog", "nationwide-drugs-fy20-fy23"),
        ("file", "data/curated/states.csv"),
        ("file", "data/claims.csv"),
    ]
