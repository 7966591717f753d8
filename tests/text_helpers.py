"""Helpers shared by the frame tests: building Tokens from real text, reading corpus slices.

``make_tokens`` uses the project's Preprocessor when it is importable, and otherwise a small
regular-expression tokenizer that follows the same conventions (ASCII apostrophes, split
elisions with lemma "le"/"de"..., acronyms keep their case, optional joining of the curated
multiword expressions into one token whose lemma is the expression). The fallback is also
what the joined/unjoined equivalence tests use, because it lets them choose exactly which
expressions are joined.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from discourse import Corpus, Preprocessor
from discourse.tokens import Token, Tokens

# The expressions the preprocessing joins (from its curated lexicon), as listed in the brief.
EXPRESSIONS = [
    "état de droit", "droits fondamentaux", "extrémisme violent", "gouvernance mondiale",
    "lutte contre le terrorisme", "Nations unies", "coopération multilatérale",
    "coordination multilatérale", "état d'urgence", "États membres",
]
_ELISIONS = {"l'": "le", "d'": "de", "qu'": "que", "n'": "ne", "s'": "se", "c'": "ce", "j'": "je", "m'": "me", "t'": "te", "jusqu'": "jusque", "lorsqu'": "lorsque", "puisqu'": "puisque"}
_WORD = re.compile(r"(?:jusqu|lorsqu|puisqu|qu|[cdjlmnst])['’](?=\w)|\w+(?:-\w+)*|[^\w\s]", re.IGNORECASE)


def simple_tokens(text: str) -> list[Token]:
    """Regex tokens of one text, offsets into ``text``, sentences split at . ! ? and line breaks."""
    out: list[Token] = []
    sent = 0
    for m in _WORD.finditer(text):
        form = m.group().replace("’", "'")
        if out and (text.count("\n", out[-1].end, m.start()) or out[-1].form in {".", "!", "?"}):
            sent += 1
        low = form.lower()
        if low in _ELISIONS:
            lemma = _ELISIONS[low]
        elif form.isupper() and len(form) > 1:
            lemma = form  # acronyms keep their case
        elif form[:1].isupper() and form.lower() in {"état", "états"}:
            lemma = "État"  # the State stays apart from "état"
        else:
            lemma = low
        out.append(Token(form, lemma, None, m.start(), m.end(), False, sent))
    return out


def join_expressions(doc: list[Token], expressions: list[str] = EXPRESSIONS) -> list[Token]:
    """Join consecutive tokens spelling an expression (case-insensitive) into one token."""
    patterns = [tuple(w.lower() for w in _WORD.findall(e.replace("’", "'"))) for e in expressions]
    out: list[Token] = []
    i = 0
    while i < len(doc):
        for e, words in zip(expressions, patterns):
            k = len(words)
            if tuple(t.form.lower() for t in doc[i : i + k]) == words:
                first, last = doc[i], doc[i + k - 1]
                out.append(Token(" ".join(t.form for t in doc[i : i + k]).replace("' ", "'"), e, None, first.start, last.end, False, first.sent))
                i += k
                break
        else:
            out.append(doc[i])
            i += 1
    return out


def fallback_tokens(texts: list[str], ids: list[str] | None = None, metadata: pd.DataFrame | None = None, expressions: bool = True) -> Tokens:
    """Tokens from the fallback tokenizer (expressions joined or not)."""
    ids = ids or [f"doc{i}" for i in range(len(texts))]
    docs = []
    for t in texts:
        d = simple_tokens(t)
        docs.append(join_expressions(d) if expressions else d)
    return Tokens.from_documents(docs, ids, metadata=metadata, texts=texts)


def make_tokens(texts: list[str], ids: list[str] | None = None, metadata: pd.DataFrame | None = None, **options) -> Tokens:
    """Tokens from the project's fast Preprocessor (``options`` passed to it)."""
    import discourse
    from discourse.corpus import Corpus

    corpus = Corpus.from_texts(texts, ids=ids, metadata=metadata.drop(columns="doc_id") if metadata is not None and "doc_id" in metadata else metadata)
    return discourse.Preprocessor(backend="fast", progress=False, **options).transform(corpus)


def all_tokens(texts: list[str], ids: list[str] | None = None, metadata: pd.DataFrame | None = None, expressions: bool = True) -> Tokens:
    """Every token of the real preprocessing (nothing filtered), expressions joined or not."""
    return make_tokens(texts, ids, metadata, expressions=expressions, stop_words=None, remove_boilerplate=False, remove_punctuation=False, min_length=1)


# ---------------------------------------------------------------------- corpus slices

def read_an_debates(data_home: Path, start: str = "2013-01-01", end: str = "2019-01-01") -> tuple[list[str], pd.DataFrame]:
    """Texts and metadata (doc_id, date, ...) of the Assemblée nationale sittings between two dates."""
    from discourse import corpora

    corpus = corpora.load("an-debats-2013-2018", data_home=data_home)
    corpus = corpus.filter(lambda m: (m["date"] >= pd.Timestamp(start)) & (m["date"] < pd.Timestamp(end)))
    return corpus.texts, corpus.metadata


def read_mariage(data_home: Path, sittings: int | None = None, turn_types: tuple[str, ...] = ("intervention",)) -> tuple[list[str], pd.DataFrame]:
    """Speech turns on the bill in the "mariage pour tous" debate (the project's loader).

    Only turns of the given types on the marriage bill are kept (the sittings also hold
    questions to the government and a banking bill); ``sittings`` keeps the first n sittings.
    """
    from discourse import corpora

    corpus = corpora.load("an-mariage-pour-tous-2013", data_home=data_home)
    meta = corpus.metadata
    keep = meta["turn_type"].isin(list(turn_types)) & (meta["subject"] == "mpt")
    if sittings is not None:
        first = sorted(meta["sitting"].astype(str).unique())[:sittings]
        keep &= meta["sitting"].astype(str).isin(first)
    corpus = corpus.filter(keep.to_numpy())
    return corpus.texts, corpus.metadata


# ---------------------------------------------------------------------- tests of the helpers


# A dictionary with exclusion and context rules, and the sentences that test them.
SENSES_YAML = """\
frames:
  sec:
    concepts:
      securite:
        patterns: ["sécurité", "insécurité"]
        exclude: ["sécurité sociale"]
        not_followed_by: ["juridique*", "routière"]
        window: 2
      danger:
        patterns:
          - {pattern: "danger*", exclude: ["marchandises dangereuses"], not_preceded_by: ["produit*"]}
"""


@pytest.fixture(scope="module")
def sense_tokens() -> Tokens:
    texts = [
        "La sécurité sociale est en déficit. La sécurité des Français d'abord.",
        "L'insécurité juridique et la sécurité juridique. Un danger réel.",
        "Le transport de marchandises dangereuses. Un produit dangereux.",
    ]
    return Preprocessor(progress=False).transform(Corpus.from_texts(texts, ids=["a", "b", "c"]))
