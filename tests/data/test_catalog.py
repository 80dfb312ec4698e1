"""Catalog validation and fetch/verify on temporary mirrors."""

from __future__ import annotations

import hashlib
import textwrap

import pytest

from analysis import config
from analysis.data import catalog
from analysis.errors import DataError


def entry(content: bytes, **overrides) -> dict:
    item = {
        "id": "demo",
        "file": "demo/demo.csv",
        "sha256": hashlib.sha256(content).hexdigest(),
        "dataset": "demo",
        "publisher": "Agency",
        "title": "Demo",
        "url": "https://example.org/demo",
        "license": "public domain",
    }
    item.update(overrides)
    return item


def test_fetch_copies_from_mirror_and_verifies(tmp_path):
    mirror, raw = tmp_path / "mirror", tmp_path / "raw"
    (mirror / "demo").mkdir(parents=True)
    (mirror / "demo" / "demo.csv").write_bytes(b"a,b\n1,2\n")
    path = catalog.fetch(entry(b"a,b\n1,2\n"), raw=raw, mirror=mirror)
    assert path == raw / "demo" / "demo.csv"
    assert path.read_bytes() == b"a,b\n1,2\n"


def test_mirror_with_other_bytes_is_refused_and_nothing_is_left(tmp_path):
    mirror, raw = tmp_path / "mirror", tmp_path / "raw"
    (mirror / "demo").mkdir(parents=True)
    (mirror / "demo" / "demo.csv").write_bytes(b"a,b\n1,3\n")
    with pytest.raises(DataError, match="sha256 mismatch") as error:
        catalog.fetch(entry(b"a,b\n1,2\n"), raw=raw, mirror=mirror)
    assert "demo.csv" in str(error.value)
    assert not (raw / "demo" / "demo.csv").exists()
    assert list((raw / "demo").iterdir()) == []


def test_altered_local_file_is_refused(tmp_path):
    raw = tmp_path / "raw"
    (raw / "demo").mkdir(parents=True)
    (raw / "demo" / "demo.csv").write_bytes(b"tampered")
    with pytest.raises(DataError, match="sha256 mismatch") as error:
        catalog.fetch(entry(b"original"), raw=raw, mirror=None)
    assert str(raw / "demo" / "demo.csv") in str(error.value)
    assert hashlib.sha256(b"original").hexdigest() in str(error.value)


def test_missing_file_says_where_to_get_it(tmp_path):
    with pytest.raises(DataError) as error:
        catalog.fetch(entry(b"x"), raw=tmp_path / "raw", mirror=tmp_path / "empty")
    message = str(error.value)
    assert "missing" in message and "demo.csv" in message and "https://example.org/demo" in message


def write_catalog(tmp_path, body: str):
    path = tmp_path / "catalog.yml"
    path.write_text(textwrap.dedent(body))
    return path


def test_catalog_paths_must_stay_inside_data_raw(tmp_path):
    for bad in ("../outside.csv", "/etc/passwd", "a/../../b.csv"):
        path = write_catalog(
            tmp_path,
            f"""
            files:
              - {{id: x, file: "{bad}", sha256: abc, dataset: d, publisher: p, title: t,
                  url: "https://example.org", license: l}}
            """,
        )
        with pytest.raises(DataError, match="leaves data/raw"):
            catalog.load_catalog(path)


def test_catalog_urls_must_be_https(tmp_path):
    path = write_catalog(
        tmp_path,
        """
        files:
          - {id: x, file: a.csv, sha256: abc, dataset: d, publisher: p, title: t,
             url: "http://example.org", license: l}
        """,
    )
    with pytest.raises(DataError, match="not HTTPS"):
        catalog.load_catalog(path)


def test_catalog_requires_fields_and_unique_ids(tmp_path):
    path = write_catalog(
        tmp_path,
        """
        files:
          - {id: x, file: a.csv, dataset: d, publisher: p, title: t, url: "https://e.org", license: l}
        """,
    )
    with pytest.raises(DataError, match="lacks sha256"):
        catalog.load_catalog(path)
    path = write_catalog(
        tmp_path,
        """
        files:
          - {id: x, file: a.csv, sha256: a, dataset: d, publisher: p, title: t, url: "https://e.org", license: l}
          - {id: x, file: b.csv, sha256: b, dataset: d, publisher: p, title: t, url: "https://e.org", license: l}
        """,
    )
    with pytest.raises(DataError, match="duplicate id"):
        catalog.load_catalog(path)


def test_project_catalog_is_valid_and_complete():
    entries = catalog.load_catalog(config.CATALOG_FILE)
    assert len(entries) == len({e["file"] for e in entries})
    for item in entries:
        assert len(item["sha256"]) == 64
        assert item["url"].startswith("https://")
    assert all(e.get("vintage") for e in catalog.entries_for("cbp-drug-seizures", entries))


def test_every_file_named_like_a_reissued_dataset_is_catalogued_under_it_with_a_vintage():
    """A vintage filed under another dataset would be silently left out of the combined series."""
    from analysis.data import vintages
    from bookmachine import newdata

    entries = catalog.load_catalog(config.CATALOG_FILE)
    for spec in newdata.REISSUED:
        named = [e for e in entries if spec.matches(e["file"].rsplit("/", 1)[-1])]
        assert named, spec.dataset
        assert {e["dataset"] for e in named} == {spec.dataset}
        assert all(e.get("vintage") for e in named)
        assert [e["id"] for e in vintages.entries(spec, entries)] == [
            e["id"] for e in sorted(named, key=lambda e: e["vintage"])
        ]


def test_a_file_is_found_in_a_flat_mirror_by_its_name_and_verified(real_data, tmp_path, monkeypatch):
    """CBP's past vintages sit in one flat folder (../shared/data/vintages), not under catalog paths."""
    import shutil

    item = catalog.entry("sbo-encounters-fy19-fy22")
    flat = tmp_path / "vintages"
    flat.mkdir()
    shutil.copyfile(catalog.path(item["id"]), flat / "sbo-encounters-fy19-fy22.csv")
    monkeypatch.setenv("DATA_MIRROR", f"{tmp_path / 'raw-mirror'}:{flat}")
    assert config.mirror_dirs() == [tmp_path / "raw-mirror", flat]
    got = catalog.fetch(item, raw=tmp_path / "raw")
    assert got == tmp_path / "raw" / item["file"] and catalog.sha256_of(got) == item["sha256"]
