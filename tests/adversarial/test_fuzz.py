"""Fuzzing documents and metadata end to end: JSONL file → corpus → tokens → matrix → frame counts.

Property: whatever the records, the run either ends with a library error (raised by the
library's own code, with a message) or accounts for every document at every stage
(kept + skipped == input). Texts mix sentences of the seed news-wire article with hostile
strings (lone surrogates, control characters, long runs without spaces, blanks).
"""

from __future__ import annotations

import json
import os
import traceback
import warnings
from functools import lru_cache
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import discourse
from discourse.dtm import DocumentTermMatrix, EmptyVocabularyError
from discourse.frames import count_frames
from discourse.io import read_jsonl
from discourse.preprocess import Preprocessor

PACKAGE = Path(discourse.__file__).resolve().parent


@lru_cache(maxsize=1)
def _sentences() -> list[str]:
    text = (Path(os.environ["DISCOURSE_DATA"]) / "seed" / "ue-onu-contre-terrorisme.txt").read_text(encoding="utf-8")
    return [s.strip() + "." for s in text.replace("\n", " ").split(". ") if len(s.strip()) > 20][:40]


hostile = st.sampled_from([
    "", "   ", "\n\n", "\ud800", "a_b" * 300, "état\x00de\x1fdroit", "👍🏽 l’ONU", "ÉTAT D’URGENCE", "12,5 % — 80 000",
    "contact@un.org www.un.org", "a-t-il ?!…", "\u202e\u200b", "M. J. Dupont, etc.",
])
real = st.lists(st.integers(0, 39), min_size=1, max_size=4).map(lambda ix: " ".join(_sentences()[i % len(_sentences())] for i in ix))
texts = st.one_of(real, real, real, st.none(), hostile, st.text(max_size=60))
groups = st.one_of(st.sampled_from(["PS", "LR", "UDI"]),
                   st.sampled_from([None, 1, 2, "1", 2.5, float("nan"), ["PS"], {"g": 1}, True, ""]))
dates = st.sampled_from([None, "2015-11-14", "2015-11-14T23:30:00+01:00", "2015-11-14T23:30:00+00:00",
                         "16/11/2015", "2016-01-05 10:00", "pas une date", "", 20151114, "2015-13-45"])
records = st.lists(
    st.fixed_dictionaries({"doc_id": st.sampled_from([f"d{i}" for i in range(12)]), "text": texts,
                           "groupe": groups, "date": dates}),
    min_size=1, max_size=8,
)


def _library_error(err: BaseException) -> bool:
    """Raised by the library's own code (its last frame is in the package), with a message."""
    frames = traceback.extract_tb(err.__traceback__)
    return bool(str(err)) and bool(frames) and Path(frames[-1].filename).resolve().is_relative_to(PACKAGE)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(records, st.booleans())
def test_every_document_is_accounted_for(tmp_path: Path, rows: list[dict], unique_ids: bool) -> None:
    if unique_ids:  # else ids drawn from a small set: repeated ids are a case too
        rows = [{**r, "doc_id": f"d{i}"} for i, r in enumerate(rows)]
    path = tmp_path / "fuzz.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            corpus = read_jsonl(path)
            assert len(corpus) + len(corpus.skipped) == len(rows)
            tokens = Preprocessor(progress=False).transform(corpus)
            assert tokens.doc_ids == list(corpus.ids)
            try:
                dtm = DocumentTermMatrix.from_tokens(tokens)
            except EmptyVocabularyError:
                event("empty vocabulary")
                return
            assert dtm.shape[0] + len(dtm.excluded) == len(tokens)
            table = count_frames(tokens, by="groupe", freq="M", ci=None)
            skipped = pd.DataFrame(table.attrs.get("skipped", []), columns=["doc_id", "reason"])
            counted = int(table[table["frame"] == table["frame"].iloc[0]]["n_docs"].sum()) if len(table) else 0
            assert counted + skipped["doc_id"].nunique() == len(tokens)
            event("every document accounted for")
        except (ValueError, KeyError, TypeError) as err:
            assert _library_error(err), "".join(traceback.format_exception(err))
            event(f"library error: {type(err).__name__}")
