"""Dictionary validation: reproducible samples, coding sheets read back with clear errors,
precision with Wilson intervals (hand-computed values), agreement (hand-computed values), and
the coded sheets kept in the repository."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from discourse import Corpus, Preprocessor
from discourse.cli import main
from discourse.frames import FrameDictionary, validation
from discourse.frames.validation import SheetError, agreement, precision, read_sheet, sample_hits, wilson_interval, write_sheet

REPO = Path(__file__).resolve().parents[1]
SHEETS = REPO / "docs" / "validation"


@pytest.fixture(scope="module")
def seed_tokens(seed_text: str):
    return Preprocessor(progress=False).transform(Corpus.from_texts([seed_text], ids=["seed"]))


@pytest.fixture(scope="module")
def drawn(seed_tokens) -> pd.DataFrame:
    return sample_hits(seed_tokens, n=3, random_state=7)


def test_sample_is_reproducible_and_stratified(seed_tokens, drawn: pd.DataFrame) -> None:
    again = sample_hits(seed_tokens, n=3, random_state=7)
    pd.testing.assert_frame_equal(drawn, again)
    other = sample_hits(seed_tokens, n=3, random_state=8)
    assert set(other["hit_id"]) != set(drawn["hit_id"]) or len(drawn) == len(other) == drawn["stratum_hits"].sum()
    assert list(drawn.columns) == validation.SHEET_COLUMNS
    assert (drawn["relevant"] == "").all()
    per = drawn.groupby("frame").size()
    hits = drawn.groupby("frame")["stratum_hits"].first()
    assert (per == np.minimum(3, hits)).all()  # n per frame, or all its hits
    assert np.allclose(drawn["weight"], drawn["stratum_hits"] / drawn["frame"].map(per))
    # the context is the original text
    text = seed_tokens.texts[0]
    assert all(text[s:e] == m for s, e, m in zip(drawn["start"], drawn["end"], drawn["match"]))


def test_sample_per_pattern(seed_tokens) -> None:
    sheet = sample_hits(seed_tokens, per="pattern", n=1, random_state=0)
    assert sheet["stratum"].is_unique
    assert (sheet["stratum"] == sheet["frame"] + " / " + sheet["pattern"]).all()
    with pytest.raises(ValueError, match="per must be one of"):
        sample_hits(seed_tokens, per="document")
    with pytest.raises(ValueError, match="n must be a positive"):
        sample_hits(seed_tokens, n=0)


def _coded(drawn: pd.DataFrame) -> pd.DataFrame:
    sheet = drawn.copy()
    sheet["relevant"] = ["true" if i % 3 else "non" for i in range(len(sheet))]
    return sheet


def test_read_back_a_coded_sheet(tmp_path: Path, drawn: pd.DataFrame) -> None:
    path = write_sheet(_coded(drawn), tmp_path / "coded.csv")
    write_sheet(drawn, tmp_path / "drawn.csv")
    coded = read_sheet(path, tmp_path / "drawn.csv")
    assert coded["relevant"].tolist() == [bool(i % 3) for i in range(len(drawn))]
    assert coded["weight"].dtype.kind == "f"


def test_sheet_errors_name_every_row(tmp_path: Path, drawn: pd.DataFrame) -> None:
    sheet = _coded(drawn)
    sheet.loc[0, "relevant"] = ""
    sheet.loc[1, "relevant"] = "maybe"
    sheet.loc[2, "left"] = sheet.loc[2, "left"] + " (edited)"
    extra = sheet.iloc[[3]].copy()
    extra["hit_id"] = "seed:seed:0-1:invented"
    sheet = pd.concat([sheet.drop(index=4), extra], ignore_index=True)
    path = write_sheet(sheet, tmp_path / "bad.csv")
    with pytest.raises(SheetError) as err:
        read_sheet(path, drawn)
    msg = str(err.value)
    assert f"row 2 ({drawn['hit_id'][0]}): no code in column 'relevant'" in msg
    assert f"row 3 ({drawn['hit_id'][1]}): 'relevant' is 'maybe', not a boolean" in msg
    assert f"row 4 ({drawn['hit_id'][2]}): the context (left/match/right) was edited" in msg
    assert "(seed:seed:0-1:invented): not in the drawn sample (extra row)" in msg
    assert f"1 drawn row(s) are missing from the sheet: {drawn['hit_id'][4]}" in msg
    assert "nothing was scored" in msg


def test_uncoded_rows_allowed_when_asked(drawn: pd.DataFrame) -> None:
    sheet = _coded(drawn)
    sheet.loc[0, "relevant"] = " "
    coded = read_sheet(sheet, allow_missing=True)
    assert len(coded) == len(drawn) - 1
    assert coded.attrs["uncoded"] == [drawn["hit_id"][0]]
    with pytest.raises(SheetError, match="missing column"):
        read_sheet(sheet.drop(columns="context_hash"))


def test_wilson_against_hand_computed_values() -> None:
    # 9 of 10, z = 1.959964: centre 0.788987, half-width 0.193137
    lo, hi = wilson_interval(9, 10)
    assert (float(lo), float(hi)) == pytest.approx((0.595850, 0.982124), abs=1e-6)
    # 0 of 5: [0, z² / (n + z²)] = [0, 0.434482]
    lo, hi = wilson_interval(0, 5)
    assert (float(lo), float(hi)) == pytest.approx((0.0, 0.434482), abs=1e-6)
    lo, hi = wilson_interval(0, 0)
    assert np.isnan(lo) and np.isnan(hi)


def test_precision_per_level_and_weighted_strata() -> None:
    # pattern p1: 4 rows drawn from 40 hits, 3 relevant; pattern p2: 2 rows drawn from 2 hits, both relevant
    t = pd.DataFrame({
        "frame": ["f"] * 6, "concept": ["c"] * 6, "pattern": ["p1"] * 4 + ["p2"] * 2,
        "stratum": ["f / p1"] * 4 + ["f / p2"] * 2, "stratum_hits": [40] * 4 + [2] * 2,
        "weight": [10.0] * 4 + [1.0] * 2, "relevant": [True, True, True, False, True, True],
    })
    p = precision(t).set_index(["level", "pattern"])
    assert p.loc[("pattern", "p1"), "precision"] == 0.75
    assert p.loc[("pattern", "p1"), "hits"] == 40
    # frame: (10·3 + 1·2) / (10·4 + 1·2) = 32 / 42, Kish n_eff = 42² / (4·100 + 2) = 4.388
    row = p.loc[("frame", "")]
    assert row["precision"] == pytest.approx(32 / 42)
    lo, hi = wilson_interval(32 / 42 * 42**2 / 402, 42**2 / 402)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((float(lo), float(hi)))
    assert row["n"] == 6 and row["relevant"] == 5 and row["hits"] == 42


def test_agreement_against_hand_computed_values() -> None:
    t = pd.DataFrame({"hit_id": list("abcd"), "relevant": [True, True, False, True], "relevant_2": [True, False, False, True]})
    # κ: po = 0.75, pe = 0.75·0.5 + 0.25·0.5 = 0.5 → 0.5; α: 1 − (2/8) / (2·5·3 / (8·7)) = 0.5333
    got = agreement(t)
    assert got["kappa"] == pytest.approx(0.5)
    assert got["alpha"] == pytest.approx(1 - 0.25 / (30 / 56))
    assert got["observed"] == 0.75 and got["n"] == 4
    with pytest.raises(KeyError, match="relevant_3"):
        agreement(t, ("relevant", "relevant_3"))


def test_near_misses_are_sentences_without_a_counted_hit() -> None:
    texts = ["La sécurité sociale est en déficit. La menace terroriste est élevée.",
             "Ces individus potentiellement dangereux. Les individus dangereux.",
             "Le Parlement est souverain. Je suis terrorisée."]
    toks = Preprocessor(progress=False).transform(Corpus.from_texts(texts, ids=["a", "b", "c"]))
    near = validation.near_misses(toks, n=10, probes={"security_threat": ["sécurité"], "sovereignty": ["souverain*"]}, random_state=0)
    got = sorted(zip(near["doc_id"], near["frame"], near["match"], near["pattern"]))
    assert got == [
        ("a", "security_threat", "sécurité sociale", "probe sécurité"),  # its sentence has no counted hit
        ("b", "security_threat", "individus", "words of individu* dangereu*"),  # words apart; the second sentence counts
        ("c", "counter_terrorism", "terrorisée", "excluded hit"),
        ("c", "sovereignty", "souverain", "probe souverain*"),
    ]
    assert (near["kind"] == "near_miss").all()
    assert set(near["stratum_hits"]) == {1, 2} and near.groupby("frame")["stratum_hits"].first()["security_threat"] == 2
    with pytest.raises(KeyError, match="not in the dictionary"):
        validation.near_misses(toks, probes={"security": ["x"]})


def test_still_counted_after_a_revision() -> None:
    toks = Preprocessor(progress=False).transform(Corpus.from_texts(["La menace de fermeture. La menace terroriste."], ids=["a"]))
    old = FrameDictionary.from_patterns(["menace"], frame="security_threat")
    sheet = sample_hits(toks, old, n=5, random_state=0)
    new = FrameDictionary.from_dict({"frames": {"security_threat": {"concepts": {"m": {"patterns": ["menace", "menace terroriste"],
                                                                                         "not_followed_by": ["fermeture"]}}}}})
    kept = validation.still_counted(sheet, toks, new)
    assert dict(zip(sheet["match"], kept)) == {"menace": False, "menace terroriste": True}


# ----------------------------------------------------------------------------- the coded sheets


def test_coded_sheets_in_the_repository_meet_the_target() -> None:
    r1 = read_sheet(SHEETS / "round1_hits.csv")
    r2 = read_sheet(SHEETS / "round2_security_threat.csv")
    assert len(r1) == 240 and len(r2) == 40
    p1 = precision(r1, by="frame").set_index("frame")["precision"]
    p2 = precision(r2, by="frame").set_index("frame")["precision"]
    # round 1 measured security_threat at 22/30 (bare « sécurité »); round 2, on the revised frame, 36/40
    assert p1["security_threat"] == pytest.approx(22 / 30)
    assert p2["security_threat"] == pytest.approx(36 / 40)
    final = p1.drop("security_threat")
    assert (final >= 0.9).all(), final


def test_cli_validate_score(capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    assert main(["validate", "score", str(SHEETS / "round2_security_threat.csv"), "--by", "frame"]) == 0
    out = capsys.readouterr().out
    assert "security_threat" in out and "0.9" in out
    bad = pd.read_csv(SHEETS / "round2_security_threat.csv", dtype=str, keep_default_na=False)
    bad.loc[5, "relevant"] = "peut-être"
    write_sheet(bad, tmp_path / "bad.csv")
    assert main(["validate", "score", str(tmp_path / "bad.csv")]) == 2
    assert "row 7" in capsys.readouterr().err


def test_cli_validate_agreement(capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    t = pd.DataFrame({"hit_id": list("abcd"), "left": "", "match": "x", "right": "",
                      "relevant": ["true", "true", "false", "true"], "relevant_2": ["1", "0", "0", "1"]})
    t["context_hash"] = validation.context_hash("", "x", "")
    write_sheet(t, tmp_path / "two.csv")
    assert main(["validate", "agreement", str(tmp_path / "two.csv")]) == 0
    out = capsys.readouterr().out
    assert "kappa\t0.500" in out and "alpha\t0.533" in out


def test_cli_validate_sample(capsys: pytest.CaptureFixture, tmp_path: Path, data_home: Path) -> None:
    out = tmp_path / "seed.csv"
    args = ["validate", "sample", "seed", "--out", str(out), "--n", "2", "--seed", "3", "--near-misses", "2",
            "--data-home", str(data_home)]
    assert main(args) == 0
    sheet = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(sheet.columns) == validation.SHEET_COLUMNS and (sheet["corpus"] == "seed").all()
    assert sheet.groupby("frame").size().max() <= 2 and (sheet["relevant"] == "").all()
    assert (tmp_path / "seed_near.csv").is_file()
    assert "fill the 'relevant' column" in capsys.readouterr().out
    first = out.read_text(encoding="utf-8")
    assert main(args) == 0 and out.read_text(encoding="utf-8") == first  # same seed, same sheet
    # an uncoded sheet cannot be scored: exit status 2, the rows named
    assert main(["validate", "score", str(out)]) == 2
    assert "row 2" in capsys.readouterr().err


@pytest.mark.parametrize("module", ["dictionary", "match", "count", "context", "topics", "validation"])
def test_frames_docstring_examples_run(module: str) -> None:
    import doctest
    import importlib
    import warnings

    mod = importlib.import_module(f"discourse.frames.{module}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unused exclusions of the default dictionary on toy texts
        result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
