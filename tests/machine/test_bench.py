"""make bench reads the build's progress lines: where the time went, and which notebooks ran again."""

from __future__ import annotations

from bookmachine import bench

LOG = """[   0.6s] notebooks: 10 notebooks, up to 2 at a time
[   0.6s] notebooks: encounters: runs: dataset cbp-encounters-state changed (new entry x)
[   0.6s] notebooks: ports: reused: nothing it depends on changed
[   4.5s] notebooks: encounters: executed in 3.9 s (2.2 s CPU)
[   6.1s] notebooks: claims: runs: numbers read changed
[   7.6s] notebooks: claims: executed in 1.5 s (0.7 s CPU)
[   8.4s] numbers: 1629 glued values written to _build/numbers.json
[  13.2s] html: done in 4.8 s (4.6 s CPU; log: _build/html.log)
[  20.1s] pdflatex: done in 11.7 s (11.0 s CPU; log: _build/pdflatex.log)
"""


def test_the_bench_reads_where_a_build_spent_its_time():
    assert bench.phases(LOG) == [
        "2 notebooks ran; the longest, encounters: 3.9 s (2.2 s CPU)",
        "notebooks and staging done at 8.4 s",
        "html: 4.8 s (4.6 s CPU), from the end of staging",
        "pdflatex: 11.7 s (11.0 s CPU), from the end of staging",
    ]
    assert bench.reran(LOG) == ["encounters", "claims"]


def test_the_bench_removes_exactly_one_catalog_entry():
    text = "- id: a\n  file: x/a.csv\n- id: nationwide-encounters-fy23-fy26-nov-state\n  file: y\n- id: c\n  file: z\n"
    assert (
        bench.without_entry(text, "nationwide-encounters-fy23-fy26-nov-state")
        == "- id: a\n  file: x/a.csv\n- id: c\n  file: z\n"
    )
    assert (
        bench.without_entry(text, "c")
        == "- id: a\n  file: x/a.csv\n- id: nationwide-encounters-fy23-fy26-nov-state\n  file: y\n"
    )


def test_the_bench_gives_a_step_as_a_ratio_of_another():
    add_data, cold = bench.Timed(20.0, 30.0, "", True), bench.Timed(80.0, 120.0, "", True)
    assert bench.ratio("add-data to cold", add_data, cold) == "add-data to cold: 0.25 (wall), 0.25 (CPU)"
    assert (
        bench.ratio("x", bench.Timed(9.0, 1.0, "", True), bench.Timed(6.0, 4.0, "", True))
        == "x: 1.50 (wall), 0.25 (CPU)"
    )
