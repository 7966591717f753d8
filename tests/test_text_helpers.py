"""The test helpers of text_helpers.py: the fallback tokenizer and the corpus readers."""

from __future__ import annotations

from pathlib import Path

from text_helpers import fallback_tokens, read_mariage


def test_fallback_tokenizer_keeps_offsets(seed_text: str) -> None:
    toks = fallback_tokens([seed_text], ["seed"])
    doc = toks[0]
    for t in doc:
        assert seed_text[t.start : t.end].replace("’", "'").replace("\n", " ") in (t.form, t.form.replace("' ", "'"))
    assert "lutte contre le terrorisme" in doc.lemmas
    assert doc.lemmas.count("extrémisme violent") == 2


def test_read_mariage_groups(data_home: Path) -> None:
    texts, meta = read_mariage(data_home, sittings=1)
    assert len(texts) == len(meta) > 100
    assert {"UMP", "SRC"} <= set(meta["group"].dropna())
    assert set(meta["turn_type"]) == {"intervention"}
    assert set(meta["subject"]) == {"mpt"}
    # the first turn on the bill is Christian Jacob's question; the sitting opens with the chair on another subject
    subjects = dict(zip(meta["doc_id"], meta["subject"]))
    assert subjects["20130118/sp4"] == "mpt" and "20130118/sp1" not in subjects
