"""Inputs that once exhausted the machine: long runs without spaces, oversized documents.

The tokenizer was quadratic on runs such as ``a_b_a_b…`` (the e-mail branch of its pattern was
tried, and backtracked to the end of the run, at every position): 100 kB took 40 s, so 1 MB
would take more than an hour. Linearity is checked without timing assertions: the inputs run
in a child process with a generous deadline (minutes) that a quadratic scan misses by orders
of magnitude and a linear one meets by orders of magnitude.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discourse.corpus import Corpus
from discourse.lang.fr.normalize import normalize
from discourse.lang.fr.tokenize import _scan_reference, scan, tokenize
from discourse.preprocess import Preprocessor

RUNS = ["a_b", "_", "a.b", "-", "a_b@", "a'b", "a@", "x.", "+a"]


def test_long_runs_without_spaces_finish_in_a_child_process() -> None:
    code = textwrap.dedent(f"""
        from discourse.lang.fr.tokenize import scan
        text = "a_b" * 333_334  # 1 MB, the issue's example: a, _, ba, _, ba, …, _, b
        forms, starts, ends, sents = scan(text)
        assert "".join(forms) == text and len(forms) == 666_669 and set(forms) == {{"a", "_", "ba", "b"}}
        for unit in {RUNS!r}:
            text = unit * (200_000 // len(unit))
            forms, starts, ends, sents = scan(text)
            assert "".join(forms) == text and ends[-1] == len(text)
        print("ok")
    """)
    # a linear scan needs seconds; the quadratic one needed hours for the first input alone
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "ok"


def test_e_mail_addresses_are_still_one_token() -> None:
    forms = [t.text for t in tokenize(normalize("Écrire à contact@un.org, jean-marc.dupont+ue@europarl.europa.eu ou à x_y@gouv.fr."))]
    assert forms == ["Écrire", "à", "contact@un.org", ",", "jean-marc.dupont+ue@europarl.europa.eu", "ou", "à",
                     "x_y@gouv.fr", "."]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ab_.@+-'x ,1") + ["un.org", "www.x.fr", "l'", "contact@un.org", "\n"]), max_size=40)
       .map(lambda parts: normalize("".join(parts))))
def test_scan_agrees_with_the_pattern_on_address_like_text(text: str) -> None:
    forms, starts, ends, _ = scan(text)
    assert list(zip(starts, ends)) == _scan_reference(text)
    assert forms == [text[s:e] for s, e in zip(starts, ends)]


def test_max_document_chars_names_the_document() -> None:
    corpus = Corpus.from_texts(["Le Conseil de l'Europe.", "a_b " * 30], ids=["court", "long"])
    with pytest.raises(ValueError, match=r"document 'long' has 120 characters, over max_document_chars=100"):
        Preprocessor(progress=False, max_document_chars=100).transform(corpus)
    assert len(Preprocessor(progress=False, max_document_chars=None).transform(corpus)) == 2
    with pytest.raises(ValueError, match="max_document_chars must be a positive whole number or None"):
        Preprocessor(progress=False, max_document_chars=0).transform(corpus)


def test_max_document_chars_on_a_stream() -> None:
    stream = iter([("d1", "La paix."), ("d2", "x" * 50)])
    with pytest.raises(ValueError, match="document 'd2' has 50 characters"):
        Preprocessor(progress=False, max_document_chars=20).transform(stream)


def test_lone_surrogate_in_a_list_of_texts_names_the_document() -> None:
    with pytest.raises(ValueError, match=r"document 'doc1': lone surrogate \\udfff"):
        Preprocessor(progress=False).transform(["La séance est ouverte.", "Merci \udfff"])
