"""Inputs that used to give raw tracebacks (or silently wrong tables) now give a sentence or a correct result.

Texts are real sittings of the Assemblée nationale; the metadata is altered the way real
exports are: a lone surrogate in a JSONL dump, dates in several zones, lists as group values.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from discourse.corpus import Corpus, CorpusError
from discourse.dtm import DocumentTermMatrix
from discourse.frames import count_frames
from discourse.io import read_jsonl
from discourse.tokens import Tokens
from discourse.topics import NMF, topic_prevalence


def _with_meta(tokens: Tokens, **columns) -> Tokens:
    return tokens._replace(metadata=tokens.metadata.assign(**columns))


# ------------------------------------------------------------------------- lone surrogate
def test_lone_surrogate_in_jsonl_names_line_document_and_field(sittings: Corpus, tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    lines = [json.dumps({"doc_id": d, "text": t[:200]}) for d, t in zip(sittings.ids[:3], sittings.texts[:3])]
    # an emoji cut in half by an export tool: the JSON escape of its first half only
    lines[1] = lines[1].replace('"text": "', '"text": "Hommage \\ud83d ', 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=rf"export\.jsonl, line 2 \(document '{sittings.ids[1]}'\), field 'text': "
                                          r"lone surrogate \\ud83d at character 8"):
        read_jsonl(path)


def test_lone_surrogate_given_directly_names_the_document() -> None:
    with pytest.raises(CorpusError, match=r"document 'd2': lone surrogate \\udc00"):
        Corpus.from_texts(["La séance est ouverte.", "Bonjour \udc00"], ids=["d1", "d2"])


# ------------------------------------------------------------------------- dates
def test_mixed_time_zones_are_converted_to_utc_and_said(tokens: Tokens) -> None:
    dates = ["2015-11-14T23:30:00+01:00", "2015-11-14T23:30:00+00:00", "2015-11-15T00:30:00+01:00",
             "2015-11-15T10:00:00-05:00", "2015-11-16", "2015-11-16T08:00:00Z"]
    toks = _with_meta(tokens, date=dates)
    with pytest.warns(UserWarning, match="mixes time zones or date formats: .* converted to UTC"):
        table = count_frames(toks, freq="D", ci=None)
    assert table.attrs.get("skipped", []) in ([], None) or len(table.attrs["skipped"]) == 0
    days = table.groupby("period")["n_docs"].first()
    # 23:30+01:00 is 22:30 UTC on the 14th; 00:30+01:00 is 23:30 UTC on the 14th; 10:00-05:00 is 15:00 UTC
    assert {str(k): int(v) for k, v in days.items()} == {"2015-11-14": 3, "2015-11-15": 1, "2015-11-16": 2}


def test_one_zone_keeps_its_wall_clock_time(tokens: Tokens) -> None:
    dates = [f"2015-11-{d}T23:30:00+01:00" for d in (14, 14, 15, 15, 16, 16)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = count_frames(_with_meta(tokens, date=dates), freq="D", ci=None)
    days = table.groupby("period")["n_docs"].first()
    assert {str(k): int(v) for k, v in days.items()} == {"2015-11-14": 2, "2015-11-15": 2, "2015-11-16": 2}


def test_valid_dates_in_another_format_are_not_dropped(tokens: Tokens) -> None:
    dates = ["2015-11-14 10:00", "2015-11-15", "2015-11-15 08:00", "16/11/2015", "2015-11-16", "pas de date"]
    with pytest.warns(UserWarning, match="converted to UTC"):
        table = count_frames(_with_meta(tokens, date=dates), freq="D", ci=None)
    skipped = pd.DataFrame(table.attrs["skipped"])
    assert skipped["doc_id"].tolist() == [tokens.doc_ids[5]]  # only the value that is not a date
    assert int(table.groupby("period")["n_docs"].first().sum()) == 5


def test_topic_prevalence_reads_mixed_zones(tokens: Tokens) -> None:
    dtm = DocumentTermMatrix.from_tokens(tokens, min_df=2)
    model = NMF(n_topics=2).fit(dtm)
    meta = model.metadata_.assign(date=["2015-11-14T23:30:00+01:00", "2015-11-14T23:30:00+00:00"] * 3)
    with pytest.warns(UserWarning, match="converted to UTC"):
        table = topic_prevalence(model, freq="D", metadata=meta, n_boot=20)
    assert set(table["period"]) == {"2015-11-14"} and table["n_docs"].iloc[0] == 6


# ------------------------------------------------------------------------- group values
@pytest.mark.parametrize("value, kind", [(["PS", "LR"], "list"), ({"groupe": "PS"}, "dict")])
def test_list_or_dict_group_values_are_refused_with_the_column(tokens: Tokens, sittings: Corpus, value, kind: str) -> None:
    groups = ["PS", "LR", value, "PS", "LR", "PS"]
    with pytest.raises(ValueError, match=rf"column 'groupe' holds a {kind} in document '{tokens.doc_ids[2]}'"):
        count_frames(_with_meta(tokens, groupe=groups), by="groupe", ci=None)
    with pytest.raises(ValueError, match=rf"column 'groupe' holds a {kind}"):
        list(sittings.assign(groupe=groups).groupby("groupe"))
    with pytest.raises(ValueError, match=rf"column 'groupe' holds a {kind}"):
        list(_with_meta(tokens, groupe=groups).groupby("groupe"))


def test_one_and_string_one_are_refused_naming_both_documents(tokens: Tokens) -> None:
    groups = [1, 2, "1", 1, 2, 1]
    with pytest.raises(ValueError, match=rf"holds 1 \(int, document '{tokens.doc_ids[0]}'\) and '1' "
                                         rf"\(str, document '{tokens.doc_ids[2]}'\), which would be two groups"):
        count_frames(_with_meta(tokens, legislature=groups), by="legislature", ci=None)
    # once converted to one type, the groups are counted
    table = count_frames(_with_meta(tokens, legislature=[str(g) for g in groups]), by="legislature", ci=None)
    assert table.groupby("legislature")["n_docs"].first().to_dict() == {"1": 4, "2": 2}


# ------------------------------------------------------------------------- models and files
def test_nmf_with_more_topics_than_terms(tokens: Tokens) -> None:
    dtm = DocumentTermMatrix.from_tokens(tokens, max_features=5)
    with pytest.raises(ValueError, match=r"n_topics=6 is more topics than terms in the matrix \(5\)"):
        NMF(n_topics=6).fit(dtm)


def test_damaged_corpus_file(sittings: Corpus, tmp_path: Path) -> None:
    path = sittings.save(tmp_path / "c.parquet")
    data = path.read_bytes()
    (tmp_path / "cut.parquet").write_bytes(data[: len(data) // 2])
    with pytest.raises(CorpusError, match=r"cut\.parquet: not a readable Parquet file"):
        Corpus.load(tmp_path / "cut.parquet")
    pd.DataFrame({"x": [1]}).to_parquet(tmp_path / "other.parquet")
    with pytest.raises(CorpusError, match="not a discourse corpus file"):
        Corpus.load(tmp_path / "other.parquet")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_corpus_with_a_mixed_type_column_cannot_be_saved_but_says_why(sittings: Corpus, tmp_path: Path) -> None:
    mixed = sittings.assign(legislature=[14, "14e", 14, 15, 15, 14])
    with pytest.raises(CorpusError, match="a metadata column mixes types"):
        mixed.save(tmp_path / "c.parquet")
    assert list(tmp_path.iterdir()) == []
    assert np.all(Corpus.load(sittings.save(tmp_path / "ok.parquet")).texts == np.array(sittings.texts))


def test_corpus_file_that_decodes_past_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from discourse import storage

    path = Corpus.from_texts(["la paix"] * 50_000).save(tmp_path / "big.parquet")
    # limits shrunk so that a small real file plays the part of a bomb
    monkeypatch.setattr(storage, "SIZE_ALLOWANCE", 0)
    monkeypatch.setattr(storage, "MAX_EXPANSION", 2)
    with pytest.raises(CorpusError, match=r"big\.parquet: not a readable Parquet file, .* over the limit"):
        Corpus.load(path)
