"""discourse.scaling.wordscores: Wordscores against the LBG example by hand."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from discourse import storage
from discourse.dtm import DocumentTermMatrix
from discourse.scaling import Wordscores

# LBG 2003, Table 1: five reference texts of 1,000 words each, the same bell-shaped counts over 17
# consecutive words of a 37-word vocabulary (A … Z, ZA … ZK), shifted 5 words per text; the
# virgin text V1 is shifted 7 words from R1. Reference scores −1.5, −0.75, 0, 0.75, 1.5.
PATTERN = [2, 3, 10, 22, 45, 78, 115, 146, 158, 146, 115, 78, 45, 22, 10, 3, 2]


WORDS = [chr(65 + i) for i in range(26)] + ["Z" + chr(65 + i) for i in range(11)]


OFFSETS = {"R1": 0, "R2": 5, "R3": 10, "R4": 15, "R5": 20, "V1": 7}


SCORES = {"R1": -1.5, "R2": -0.75, "R3": 0.0, "R4": 0.75, "R5": 1.5}


def lbg_example() -> DocumentTermMatrix:
    rows = []
    for offset in OFFSETS.values():
        row = np.zeros(len(WORDS), dtype=np.int64)
        row[offset:offset + len(PATTERN)] = PATTERN
        rows.append(row)
    return DocumentTermMatrix(sp.csr_matrix(np.array(rows)), WORDS, list(OFFSETS))


def hand_scores() -> tuple[dict[str, Fraction], Fraction]:
    """Word scores and V1's raw score in exact arithmetic, word by word as the paper describes."""
    counts = {d: {WORDS[o + i]: c for i, c in enumerate(PATTERN)} for d, o in OFFSETS.items()}
    word_scores = {}
    for w in WORDS:
        freqs = {r: Fraction(counts[r].get(w, 0), 1000) for r in SCORES}
        total = sum(freqs.values())
        if total:
            word_scores[w] = sum(freqs[r] / total * Fraction(SCORES[r]).limit_denominator() for r in SCORES)
    v1 = counts["V1"]
    scored = sum(c for w, c in v1.items() if w in word_scores)
    raw = sum(Fraction(c, scored) * word_scores[w] for w, c in v1.items() if w in word_scores)
    return word_scores, raw


def test_wordscores_reproduce_the_lbg_example_by_hand() -> None:
    dtm = lbg_example()
    ws = Wordscores().fit(dtm, SCORES)
    by_hand, raw = hand_scores()
    weights = ws.word_weights().set_index("term")["score"]
    assert set(weights.index) == set(by_hand)
    for w, s in by_hand.items():
        assert weights[w] == pytest.approx(float(s), abs=1e-12)
    # the words of R1 alone score −1.5, the middle word of R3 (shared with R2 and R4 at equal frequency) 0
    assert weights["A"] == -1.5 and weights["S"] == pytest.approx(0.0, abs=1e-12)
    pos = ws.positions()
    assert pos["doc_id"].tolist() == ["V1"]
    assert pos.loc[0, "raw"] == pytest.approx(float(raw), abs=1e-12)
    assert round(pos.loc[0, "raw"], 2) == -0.45  # the value LBG publish for V1
    assert pos.loc[0, "scored_tokens"] == 1000
    # standard error: sqrt(Σ F (S_w − S_v)² / N)
    v1 = dict(zip(WORDS[7:24], PATTERN))
    var = sum(c / 1000 * (float(by_hand[w]) - float(raw)) ** 2 for w, c in v1.items())
    assert pos.loc[0, "raw_se"] == pytest.approx(np.sqrt(var / 1000), rel=1e-9)


def test_wordscores_rescaling_lbg_and_mv() -> None:
    dtm = lbg_example()
    ws = Wordscores().fit(dtm, SCORES)
    # scoring every text as virgin gives quanteda.textmodels' published numbers
    lbg = ws.positions(dtm, rescaling="lbg").set_index("doc_id")
    raw = lbg["raw"]
    expected = (raw - raw.mean()) * (np.std(list(SCORES.values()), ddof=1) / raw.std(ddof=1)) + raw.mean()
    np.testing.assert_allclose(lbg["score"], expected)
    assert round(lbg.loc["V1", "score"], 2) == -0.53
    with pytest.warns(UserWarning, match="MV rescaling uses the two reference texts"):
        mv = ws.positions(dtm, rescaling="mv").set_index("doc_id")
    assert mv.loc["R1", "score"] == pytest.approx(-1.5) and mv.loc["R5", "score"] == pytest.approx(1.5)
    assert round(mv.loc["V1", "score"], 2) == -0.51
    slope = 3.0 / (raw["R5"] - raw["R1"])
    assert mv.loc["V1", "score"] == pytest.approx((raw["V1"] - raw["R1"]) * slope - 1.5)
    assert mv.loc["V1", "se"] == pytest.approx(mv.loc["V1", "raw_se"] * slope)
    with pytest.raises(ValueError, match="LBG rescaling needs at least two"):
        ws.positions(rescaling="lbg")


def test_wordscores_input_errors_and_unscored_texts(tmp_path: Path) -> None:
    dtm = lbg_example()
    with pytest.raises(ValueError, match="at least two reference texts"):
        Wordscores().fit(dtm, {"R1": 1.0})
    with pytest.raises(KeyError, match="unknown document"):
        Wordscores().fit(dtm, {"R1": 1.0, "R9": 2.0})
    with pytest.raises(ValueError, match="all equal"):
        Wordscores().fit(dtm, {"R1": 1.0, "R2": 1.0})
    ws = Wordscores().fit(dtm, {"R1": -1.0, "R2": 1.0})  # words A … V are scored
    other = np.zeros((2, len(WORDS)), dtype=np.int64)
    other[0, [0, 36]] = 1  # "A" and "ZK"
    other[1, 36] = 4  # "ZK" only
    new = DocumentTermMatrix(sp.csr_matrix(other), WORDS, ["un mot", "hors champ"])
    with pytest.warns(UserWarning, match="1 texts have no scored word"):
        pos = ws.positions(new).set_index("doc_id")
    assert np.isnan(pos.loc["hors champ", "score"]) and pos.loc["hors champ", "scored_tokens"] == 0
    assert pos.loc["un mot", "score"] == -1.0 and pos.loc["un mot", "scored_tokens"] == 1
    back = storage.load(ws.save(tmp_path / "ws.zip"), expected=Wordscores)
    pd.testing.assert_frame_equal(back.word_weights(), ws.word_weights())
    pd.testing.assert_frame_equal(back.positions(rescaling="mv"), ws.positions(rescaling="mv"))


def test_wordscores_smoothing_scores_every_word() -> None:
    dtm = lbg_example()
    ws = Wordscores(smooth=1.0).fit(dtm, {"R1": -1.0, "R5": 1.0})
    assert len(ws.vocabulary_) == len(WORDS)
    # with Laplace smoothing a word absent from both references sits in the middle
    assert ws.word_weights().set_index("term").loc["S", "score"] == pytest.approx(0.0)
