"""Smoke test of the frame-counting benchmark (tiny slice; timings are not asserted)."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import bench_frames


def test_bench_frames_smoke(tmp_path: Path) -> None:
    bench_frames.main(["--limit", "40", "--repeat", "1", "--n-jobs", "1", "--out", str(tmp_path)])
    result = json.loads((tmp_path / "frames.json").read_text(encoding="utf-8"))
    assert result["documents"] == 40 and result["tokens"] > 10_000
    assert set(result["seconds"]) == {"compile", "count", "compile_and_count", "regex", "regex_single_pass"}
    assert set(result["hits"]) == set(bench_frames.FrameDictionary.default().frame_names)
    assert "| discourse: count" in (tmp_path / "frames.md").read_text(encoding="utf-8")


def test_regex_competitor_counts_seed(seed_text: str) -> None:
    # the competitor finds the surface forms a reader sees (14 counter-terrorism words in the seed)
    d = bench_frames.FrameDictionary.default()
    rx = bench_frames.regex_for_frame(d["counter_terrorism"])
    assert len(rx.findall(seed_text)) == 14
    combined = bench_frames.regex_all_frames(d)
    counts = bench_frames.count_single_pass(combined, [seed_text], len(d))
    assert counts[d.frame_names.index("violent_extremism")] == 2
    assert counts[d.frame_names.index("rule_of_law")] == 1
