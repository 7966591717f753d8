"""Corpus operations on real corpora: filter, groupby, select, drop, save/load, immutability, history."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from discourse import Corpus, corpora
from discourse.corpus import CorpusError


@pytest.fixture(scope="module")
def europarl(data_home: Path) -> Corpus:
    return corpora.load("europarl-fr-2000", data_home=data_home)


def test_len_iteration_and_access(europarl: Corpus) -> None:
    assert len(europarl) == 451
    docs = list(europarl)
    assert [d.doc_id for d in docs] == europarl.ids
    assert docs[1].metadata["speaker"] == "Evans, Robert J"
    assert europarl[1].text == europarl.text("ep-00-01-17/ch1/sp2") == europarl.texts[1]
    with pytest.raises(KeyError, match="ep-99"):
        europarl["ep-99"]


def test_filter_by_value_list_and_function(europarl: Corpus) -> None:
    english = europarl.filter(language="EN")
    assert len(english) == 54 and set(english.metadata.language) == {"EN"}
    nordic = europarl.filter(language=["SV", "FI", "DA"])
    assert len(nordic) == 14 + 10 + 10
    day = europarl.filter(lambda m: m.date == pd.Timestamp("2000-01-19"))
    assert len(day) == 110
    both = europarl.filter(lambda m: m.date == pd.Timestamp("2000-01-17"), is_chair=True)
    assert set(both.metadata.speaker) == {"La Présidente", "Le Président"}
    with pytest.raises(CorpusError, match="no metadata column 'party'"):
        europarl.filter(party="PPE")


def test_groupby_agenda_item(europarl: Corpus) -> None:
    groups = dict(europarl.groupby("date"))
    assert [len(g) for g in groups.values()] == [87, 252, 110, 2]
    by_item = dict(europarl.groupby("agenda_item"))
    assert len(by_item) == 20  # 21 agenda items, one title used on two days
    assert len(by_item["Adoption du procès-verbal de la séance précédente"]) == 7 + 2
    assert by_item["Reprise de la session"].history[-1] == "groupby(agenda_item)=='Reprise de la session'"


def test_select_drop_and_skipped(europarl: Corpus) -> None:
    ids = ["ep-00-01-17/ch1/sp3", "ep-00-01-17/ch1/sp1"]
    assert europarl.select(ids).ids == ids
    chair = europarl.filter(is_chair=True).ids
    dropped = europarl.drop(chair, reason="procedural turn of the chair")
    assert len(dropped) == 451 - 63
    # the loader's own report (54 empty speeches) is kept, the new drops are added
    reasons = dropped.skipped.reason.value_counts().to_dict()
    assert reasons == {"procedural turn of the chair": 63, "empty speech": 54}


def test_immutability(europarl: Corpus) -> None:
    meta = europarl.metadata
    meta.loc[0, "speaker"] = "quelqu'un d'autre"
    texts = europarl.texts
    texts[0] = ""
    assert europarl.metadata.loc[0, "speaker"] == "La Présidente"
    assert europarl.texts[0].startswith("Je déclare reprise la session")
    filtered = europarl.filter(language="DE")
    assert len(europarl) == 451 and len(filtered) == 48


def test_history_records_each_step(europarl: Corpus) -> None:
    result = europarl.filter(language="EN").head(5).assign(year=lambda m: m.date.dt.year)
    assert result.history[0].startswith("corpora.load('europarl-fr-2000')")
    assert result.history[1:] == ("filter(language='EN') -> 54 documents", "head(5)", "assign(year)")
    assert result.name == "europarl-fr-2000"


def test_save_load_round_trip(europarl: Corpus, data_home: Path, tmp_path: Path) -> None:
    path = europarl.save(tmp_path / "europarl.parquet")
    back = Corpus.load(path)
    assert back.ids == europarl.ids and back.texts == europarl.texts
    assert back.name == "europarl-fr-2000"
    assert back.history[:-1] == europarl.history and back.history[-1] == "load(europarl.parquet)"
    pd.testing.assert_frame_equal(back.skipped, europarl.skipped.astype(back.skipped.dtypes.to_dict()))
    original = europarl.metadata
    restored = back.metadata
    assert restored.date.tolist() == original.date.tolist()
    assert restored.language.isna().sum() == original.language.isna().sum() == 228
    assert restored.is_chair.tolist() == original.is_chair.tolist()

    # list-valued gold columns survive too
    ud = corpora.load("ud-french-gsd", data_home=data_home, split="test")
    back_ud = Corpus.load(ud.save(tmp_path / "ud.parquet"))
    row, row_back = ud.metadata.iloc[1], back_ud.metadata.iloc[1]
    assert list(row_back.gold_words) == row.gold_words
    assert [list(x) for x in row_back.gold_mwt] == row.gold_mwt


def test_summary(europarl: Corpus) -> None:
    summary = europarl.summary().iloc[0]
    assert summary.documents == 451
    assert summary.tokens == sum(len(t.split()) for t in europarl.texts)
    assert summary.first_date == pd.Timestamp("2000-01-17") and summary.last_date == pd.Timestamp("2000-01-21")
    assert summary.skipped == 54


def test_sample_is_reproducible(europarl: Corpus) -> None:
    a, b = europarl.sample(20, random_state=3), europarl.sample(20, random_state=3)
    assert a.ids == b.ids
    positions = [europarl.ids.index(i) for i in a.ids]
    assert positions == sorted(positions) and np.unique(positions).size == 20
