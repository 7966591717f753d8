"""discourse.files: the parts of a corpus read from files, and the one missing-text policy of every reader."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from discourse import Corpus, io
from discourse.files import CorpusError, leave_out_missing_texts

TEXTS = {"a": "L’Union européenne réaffirme son soutien à l’état de droit.", "b": None, "c": "  \n ",
         "d": "Le multilatéralisme recule."}
# The same expectation for every reader: missing and blank texts left out, each reported with its reason.
KEPT = ["a", "d"]
SKIPPED = [{"doc_id": "b", "reason": "missing text"}, {"doc_id": "c", "reason": "empty text"}]


def _write(kind: str, folder: Path) -> Path:
    frame = pd.DataFrame({"doc_id": list(TEXTS), "text": list(TEXTS.values()), "source": ["AFP", "AFP", "Reuters", "AFP"]})
    path = folder / f"depeches.{kind}"
    if kind == "csv":
        frame.to_csv(path, index=False)
    elif kind == "jsonl":
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in frame.to_dict("records")) + "\n", encoding="utf-8")
    else:
        frame.to_parquet(path)
    return path


READERS = {
    "Corpus.read_csv": ("csv", Corpus.read_csv),
    "Corpus.read_jsonl": ("jsonl", Corpus.read_jsonl),
    "Corpus.read_parquet": ("parquet", Corpus.read_parquet),
    "io.read_csv": ("csv", io.read_csv),
    "io.read_jsonl": ("jsonl", io.read_jsonl),
    "io.read_parquet": ("parquet", io.read_parquet),
}


@pytest.mark.parametrize("reader", list(READERS))
def test_every_reader_leaves_out_missing_and_blank_texts_and_reports_them(reader: str, tmp_path: Path) -> None:
    kind, read = READERS[reader]
    corpus = read(_write(kind, tmp_path))
    assert corpus.ids == KEPT
    assert corpus.texts == [TEXTS["a"], TEXTS["d"]]
    assert corpus.metadata["source"].tolist() == ["AFP", "AFP"]
    assert corpus.skipped.to_dict("records") == SKIPPED
    assert corpus.history[-1].endswith("-> 2 documents, 2 skipped")


def test_read_folder_leaves_out_blank_files_by_the_same_policy(tmp_path: Path) -> None:
    for doc_id, text in TEXTS.items():
        if text is not None:  # a file always has a text; a blank one is left out
            (tmp_path / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    for read in (Corpus.read_folder, io.read_folder):
        corpus = read(tmp_path)
        assert corpus.ids == ["a.txt", "d.txt"]
        assert corpus.skipped.to_dict("records") == [{"doc_id": "c.txt", "reason": "empty file"}]


def test_seed_article_read_through_every_table_reader(tmp_path: Path, seed_text: str) -> None:
    # a real text survives every reader unchanged (line endings are already \n)
    frame = pd.DataFrame({"doc_id": ["seed"], "text": [seed_text]})
    frame.to_parquet(tmp_path / "seed.parquet")
    frame.to_csv(tmp_path / "seed.csv", index=False)
    (tmp_path / "seed.jsonl").write_text(json.dumps({"doc_id": "seed", "text": seed_text}, ensure_ascii=False), encoding="utf-8")
    for corpus in (Corpus.read_parquet(tmp_path / "seed.parquet"), Corpus.read_csv(tmp_path / "seed.csv"),
                   Corpus.read_jsonl(tmp_path / "seed.jsonl")):
        assert corpus.texts == [seed_text] and corpus.skipped.empty


def test_missing_text_column_names_the_file(tmp_path: Path) -> None:
    path = _write("parquet", tmp_path)
    with pytest.raises(CorpusError, match=r"depeches.parquet: no text column 'texte'"):
        Corpus.read_parquet(path, text_column="texte")


@given(st.lists(st.one_of(st.none(), st.just(float("nan")), st.text(max_size=5)), max_size=20))
def test_policy_keeps_exactly_the_texts_with_a_visible_character(texts: list) -> None:
    ids = [f"d{i}" for i in range(len(texts))]
    keep, skipped = leave_out_missing_texts(ids, texts)
    assert keep == [i for i, t in enumerate(texts) if isinstance(t, str) and t.strip()]
    assert sorted([int(d[1:]) for d, _ in skipped] + keep) == list(range(len(texts)))
    assert all(reason == ("missing text" if not isinstance(texts[int(d[1:])], str) else "empty text") for d, reason in skipped)


def test_docstring_examples() -> None:
    import doctest

    from discourse import files

    result = doctest.testmod(files, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
