"""The topic benchmarks' own logic: the tokens they fit on and how the equal-quality report reads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from benchmarks import bench_topics, bench_topics_iso


def test_build_uses_the_french_preprocessing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench_topics, "CACHE", tmp_path)
    tokens, dtm = bench_topics.build("an-debats", quick=True)
    assert dtm.shape[0] == len(tokens) == 60
    vocab = set(dtm.vocabulary)
    # lemmas and joined expressions, where the regex tokens keep plural and feminine forms
    assert {"collectivité", "territorial", "Assemblée nationale"} <= vocab
    assert {"collectivités", "territoriales"}.isdisjoint(vocab)
    regex_tokens, regex_dtm = bench_topics.build("an-debats", quick=True, how="regex")
    assert {"collectivités", "territoriales"} <= set(regex_dtm.vocabulary)
    # 1892 terms before speaker attributions and the chair's formulas were removed (names among them)
    assert (dtm.shape[1], regex_dtm.shape[1]) == (1741, 2262)
    assert list(tmp_path.glob("*.npz")), "the preprocessed tokens are cached"


def _row(method: str, budget: int, seed: int, seconds: float, npmi: float) -> dict:
    return {"corpus": "c", "n_docs": 10, "n_terms": 5, "n_tokens": 50, "k": 3, "method": method,
            "budget": budget, "seed": seed, "seconds": seconds, "peak_mb": 1.0, "c_npmi": npmi}


def test_iso_report_compares_means_at_each_gensim_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench_topics_iso, "RESULTS", tmp_path)
    g, o = "raw gensim LdaMulticore", "ours LDA tomotopy"
    rows = [
        _row(g, 2, 0, 4.0, 0.030), _row(g, 2, 1, 6.0, 0.050),    # mean 5 s, 0.040
        _row(g, 5, 0, 12.0, 0.090), _row(g, 5, 1, 12.0, 0.094),  # mean 12 s, 0.092
        _row(o, 20, 0, 1.0, 0.045), _row(o, 20, 1, 1.0, 0.035),  # mean 0.040: reaches the 2-pass bar
        _row(o, 50, 0, 3.0, 0.091), _row(o, 50, 1, 3.0, 0.091),  # mean 0.091 < 0.092
        _row(o, 100, 0, 6.0, 0.100), _row(o, 100, 1, 6.0, 0.098),
    ]
    bench_topics_iso.report(pd.DataFrame(rows), "iso_test")
    text = (tmp_path / "iso_test.md").read_text(encoding="utf-8")
    assert "| 2 passes | 0.0400 | 5.00 | 20 sweeps | 1.00 | 0.0400 | **5.0×** |" in text
    # one seed's 0.091 is not enough: the mean must reach the bar, so 100 sweeps are needed
    assert "| 5 passes | 0.0920 | 12.00 | 100 sweeps | 6.00 | 0.0990 | **2.0×** |" in text
    assert "at equal or better c_npmi: not met at 5 passes (2.0×)." in text
    bench_topics_iso.report(pd.DataFrame(rows[:2] + rows[4:6]), "iso_test")
    assert "at equal or better c_npmi: met at every LdaMulticore budget." in (tmp_path / "iso_test.md").read_text(encoding="utf-8")
    rows.append(_row(g, 10, 0, 30.0, 0.2))
    bench_topics_iso.report(pd.DataFrame(rows), "iso_test")
    text = (tmp_path / "iso_test.md").read_text(encoding="utf-8")
    assert "| 10 passes | 0.2000 | 30.00 | none of our runs (highest: 100 sweeps, 0.0990 in 6.00 s) | | | |" in text
    assert "not met at 5 passes (2.0×), 10 passes (its c_npmi not reached)." in text
