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
from functools import lru_cache
from pathlib import Path

import pandas as pd

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
        if out and (text.count("\n", out[-1].end, m.start()) or out[-1].text in {".", "!", "?"}):
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
            if tuple(t.text.lower() for t in doc[i : i + k]) == words:
                first, last = doc[i], doc[i + k - 1]
                out.append(Token(" ".join(t.text for t in doc[i : i + k]).replace("' ", "'"), e, None, first.start, last.end, False, first.sent))
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


def preprocessor_available() -> bool:
    try:
        import discourse

        discourse.Preprocessor  # noqa: B018
        return True
    except (ImportError, AttributeError):
        return False


def make_tokens(texts: list[str], ids: list[str] | None = None, metadata: pd.DataFrame | None = None, **options) -> Tokens:
    """Tokens from the project's fast Preprocessor (``options`` passed to it) when available, else from the fallback."""
    from discourse.corpus import Corpus

    if preprocessor_available():
        import discourse

        corpus = Corpus.from_texts(texts, ids=ids, metadata=metadata.drop(columns="doc_id") if metadata is not None and "doc_id" in metadata else metadata)
        return discourse.Preprocessor(backend="fast", progress=False, **options).transform(corpus)
    return fallback_tokens(texts, ids, metadata, expressions=options.get("expressions", True))


# ---------------------------------------------------------------------- corpus slices

@lru_cache(maxsize=2)
def mpt_subjects(home: Path) -> dict[str, str]:
    """The ``subject`` attribute of each speech turn of the "mariage pour tous" TEI files, by doc_id.

    The sittings also hold questions to the government and another bill (banking reform):
    ``subject == "mpt"`` marks the turns on the marriage bill. The project's loader numbers
    the ``<sp>`` elements of a file from 1 in document order (doc_id ``<sitting>/sp<n>``).
    """
    import xml.etree.ElementTree as ET

    tei, mpt = "{http://www.tei-c.org/ns/1.0}", "{http://mpt.ethelred.fr/ns/0.0/}"
    out = {}
    for path in sorted((Path(home) / "an-mariage-pour-tous-2013" / "xml").glob("*.xml")):
        for n, sp in enumerate(ET.parse(path).iter(f"{tei}sp"), start=1):
            md = sp.find(f"{mpt}metadata")
            out[f"{path.stem}/sp{n}"] = md.get("subject", "") if md is not None else ""
    return out

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
    subjects = mpt_subjects(data_home)
    keep = meta["turn_type"].isin(list(turn_types)) & (meta["doc_id"].map(subjects) == "mpt")
    if sittings is not None:
        first = sorted(meta["sitting"].astype(str).unique())[:sittings]
        keep &= meta["sitting"].astype(str).isin(first)
    corpus = corpus.filter(keep.to_numpy())
    return corpus.texts, corpus.metadata


# ---------------------------------------------------------------------- tests of the helpers
def test_fallback_tokenizer_keeps_offsets(seed_text: str) -> None:
    toks = fallback_tokens([seed_text], ["seed"])
    doc = toks[0]
    for t in doc:
        assert seed_text[t.start : t.end].replace("’", "'").replace("\n", " ") in (t.text, t.text.replace("' ", "'"))
    assert "lutte contre le terrorisme" in doc.lemmas
    assert doc.lemmas.count("extrémisme violent") == 2


def test_read_mariage_groups(data_home: Path) -> None:
    texts, meta = read_mariage(data_home, sittings=1)
    assert len(texts) == len(meta) > 100
    assert {"UMP", "SRC"} <= set(meta["group"].dropna())
    assert set(meta["turn_type"]) == {"intervention"}
    subjects = mpt_subjects(data_home)
    assert set(meta["doc_id"].map(subjects)) == {"mpt"}
    # the numbering of <sp> elements agrees with the loader's: the first turn on the bill is Christian Jacob's question
    assert subjects["20130118/sp4"] == "mpt" and subjects["20130118/sp1"] != "mpt"
