"""The topic benchmarks' own logic: the tokens they fit on and how the equal-quality report reads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from benchmarks import bench_topics_iso, topic_data


def test_build_uses_the_french_preprocessing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(topic_data, "CACHE", tmp_path)
    tokens, dtm = topic_data.build("an-debats", quick=True)
    assert dtm.shape[0] == len(tokens) == 60
    vocab = set(dtm.vocabulary)
    # lemmas and joined expressions, where the regex tokens keep plural and feminine forms
    assert {"collectivité", "territorial", "Assemblée nationale"} <= vocab
    assert {"collectivités", "territoriales"}.isdisjoint(vocab)
    regex_tokens, regex_dtm = topic_data.build("an-debats", quick=True, how="regex")
    assert {"collectivités", "territoriales"} <= set(regex_dtm.vocabulary)
    # 1892 terms before speaker attributions and the chair's formulas were removed (names among them)
    assert (dtm.shape[1], regex_dtm.shape[1]) == (1721, 2262)
    assert list(tmp_path.glob("tokens-*.discourse")), "the preprocessed tokens are cached"


def _row(method: str, budget: int, seed: int, seconds: float, npmi: float) -> dict:
    return {"corpus": "c", "n_docs": 10, "n_terms": 5, "n_tokens": 50, "k": 3, "method": method,
            "budget": budget, "seed": seed, "seconds": seconds, "peak_mb": 1.0, "c_npmi": npmi}


def test_iso_report_compares_means_at_each_gensim_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench_topics_iso, "RESULTS", tmp_path)
    g, o = "raw gensim LdaMulticore", "ours LDA tomotopy"
    rows = [
        _row(g, 2, 0, 4.0, 0.030), _row(g, 2, 1, 6.0, 0.050),    # mean 5 s, 0.040, sd 0.0141: bar 0.0329
        _row(g, 5, 0, 12.0, 0.090), _row(g, 5, 1, 12.0, 0.094),  # mean 12 s, 0.092, sd 0.0028: bar 0.0906
        _row(o, 20, 0, 1.0, 0.045), _row(o, 20, 1, 1.0, 0.035),  # mean 0.040: reaches the 2-pass bar
        _row(o, 20, 2, 1.0, 0.000),                              # a seed gensim was not run with: not counted
        _row(o, 50, 0, 3.0, 0.091), _row(o, 50, 1, 3.0, 0.091),  # mean 0.091: below 0.092, within half a sd
        _row(o, 100, 0, 6.0, 0.100), _row(o, 100, 1, 6.0, 0.098),
    ]
    bench_topics_iso.report(pd.DataFrame(rows), "iso_test")
    text = (tmp_path / "iso_test.md").read_text(encoding="utf-8")
    assert "| 2 passes | 2 | 0.0400 (0.0141) | 0.0329 | 5.00 | 20 sweeps | 1.00 | 0.0400 | **5.0×** |" in text
    assert "| 5 passes | 2 | 0.0920 (0.0028) | 0.0906 | 12.00 | 50 sweeps | 3.00 | 0.0910 | **4.0×** |" in text
    assert "at equal or better c_npmi: met at every LdaMulticore budget." in text
    # a mean more than half a seed sd below the competitor's is not equal: 100 sweeps are needed
    rows[7:9] = [_row(o, 50, 0, 3.0, 0.089), _row(o, 50, 1, 3.0, 0.090)]
    bench_topics_iso.report(pd.DataFrame(rows), "iso_test")
    text = (tmp_path / "iso_test.md").read_text(encoding="utf-8")
    assert "| 5 passes | 2 | 0.0920 (0.0028) | 0.0906 | 12.00 | 100 sweeps | 6.00 | 0.0990 | **2.0×** |" in text
    assert "at equal or better c_npmi: not met at 5 passes (2.0×)." in text
    rows.append(_row(g, 10, 0, 30.0, 0.2))
    bench_topics_iso.report(pd.DataFrame(rows), "iso_test")
    text = (tmp_path / "iso_test.md").read_text(encoding="utf-8")
    assert "| 10 passes | 1 | 0.2000 (one seed) | 0.2000 | 30.00 | none (highest: 100 sweeps, 0.1000 in 6.00 s) | | | |" in text
    assert "not met at 5 passes (2.0×), 10 passes (bar not reached)." in text


def test_equal_coherence_bar_is_half_a_seed_sd_below_the_mean() -> None:
    assert bench_topics_iso.equal_coherence_bar(pd.Series([0.030, 0.050])) == pytest.approx(0.040 - 0.5 * 0.0141421356)
    assert bench_topics_iso.equal_coherence_bar(pd.Series([0.2])) == 0.2
