"""Tokens: the preprocessed corpus that every later stage reads.

One :class:`Token` describes one word of one text (surface form, lemma, part of speech,
character offsets into the original text, sentence number, stop-word flag).
:class:`Tokens` holds a whole corpus of them in flat integer-coded columns (one entry per
token, documents delimited by ``doc_offsets``), so that counting, document-term matrices and
frame matching run on NumPy arrays instead of Python strings, and millions of tokens fit
in memory once. Iterating a ``Tokens`` yields one :class:`DocumentTokens` view a document.

``Tokens`` never changes: filters return a new object and append a line to its ``audit``.

Example
-------
>>> from discourse.tokens import Tokens
>>> toks = Tokens.from_lists([["état", "de", "droit"], ["multilatéralisme"]], doc_ids=["a", "b"])
>>> toks.to_lists()
[['état', 'de', 'droit'], ['multilatéralisme']]
>>> toks.filter(min_length=3).to_lists()
[['état', 'droit'], ['multilatéralisme']]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from discourse import storage
from discourse.base import check_bool, check_int, check_stop_words, checked_by
from discourse.provenance import Provenance

__all__ = ["Token", "Tokens", "DocumentTokens", "ATTRIBUTES"]

# The string attributes stored integer-coded, each with its own vocabulary.
ATTRIBUTES = ("form", "lemma", "pos")


@dataclass(frozen=True, slots=True)
class Token:
    """One token of one text.

    ``form`` is the token as it stands after normalisation (a joined expression reads
    ``"état de droit"``) — the same word as ``Tokens.forms``, ``kwic(match_on="form")`` and
    ``DocumentTermMatrix.from_tokens(attribute="form")``; ``start``/``end`` are offsets into
    the text given to the analyser, so ``original[start:end]`` is what the reader sees there.
    ``pos`` is a Universal POS tag, or None where the backend has no tagger. ``sent`` numbers
    the sentences of the document from 0. (``text`` is the former name of ``form``: it still
    works, with a DeprecationWarning.)
    """

    form: str
    lemma: str
    pos: str | None
    start: int
    end: int
    is_stop: bool = False
    sent: int = 0

    @property
    def text(self) -> str:
        """Deprecated name of :attr:`form`."""
        import warnings

        warnings.warn("Token.text is deprecated: use Token.form (the name used by Tokens, kwic and "
                      "DocumentTermMatrix)", DeprecationWarning, stacklevel=2)
        return self.form


@dataclass(frozen=True)
class DocumentTokens:
    """The tokens of one document (a read-only view of a :class:`Tokens`)."""

    doc_id: str
    forms: list[str]
    lemmas: list[str]
    pos: list[str | None]
    starts: np.ndarray
    ends: np.ndarray
    sents: np.ndarray
    is_stop: np.ndarray
    text: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.lemmas)

    def __iter__(self) -> Iterator[Token]:
        for i in range(len(self.lemmas)):
            yield Token(
                self.forms[i], self.lemmas[i], self.pos[i], int(self.starts[i]), int(self.ends[i]), bool(self.is_stop[i]), int(self.sents[i])
            )


class _Encoder:
    """Maps strings to dense integer codes, in order of first appearance."""

    def __init__(self, vocab: Sequence[str] = ()) -> None:
        self.vocab: list[str] = list(vocab)
        self.index: dict[str, int] = {s: i for i, s in enumerate(self.vocab)}

    def code(self, value: str) -> int:
        i = self.index.get(value)
        if i is None:
            i = self.index[value] = len(self.vocab)
            self.vocab.append(value)
        return i


# Code used for a missing POS tag (backends without a tagger).
_NO_POS = ""


def _check_filter_params(*, stop_words: Any, pos: Any, exclude_pos: Any, min_length: Any, min_count: Any, max_count: Any,
                         punctuation: Any) -> None:
    """The checks of :meth:`Tokens.filter`'s parameters that need no tokens (``discourse check`` runs them)."""
    check_stop_words("stop_words", stop_words)
    for name, value in (("pos", pos), ("exclude_pos", exclude_pos)):
        if value is not None and (isinstance(value, str) or not isinstance(value, Iterable)):
            raise ValueError(f"{name} must be a list of POS tags, not {value!r}")
    check_int("min_length", min_length, minimum=1, allow_none=True)
    check_int("min_count", min_count, minimum=1, allow_none=True)
    check_int("max_count", max_count, minimum=1, allow_none=True)
    check_bool("punctuation", punctuation)


def checked_metadata(metadata: pd.DataFrame, doc_ids: Sequence[str]) -> pd.DataFrame:
    """A new metadata table for these documents: one row each, ``doc_id`` (when given) in their order."""
    if not isinstance(metadata, pd.DataFrame):
        raise ValueError(f"metadata must be a pandas DataFrame, not {type(metadata).__name__}")
    if len(metadata) != len(doc_ids):
        raise ValueError(f"metadata has {len(metadata)} rows for {len(doc_ids)} documents")
    metadata = metadata.reset_index(drop=True)
    if "doc_id" in metadata.columns:
        differ = np.flatnonzero(metadata["doc_id"].astype(str).to_numpy() != np.asarray(doc_ids, dtype=str))
        if differ.size:
            i = int(differ[0])
            raise ValueError(f"metadata row {i} is for document {metadata['doc_id'].iloc[i]!r}, not {doc_ids[i]!r}: "
                             "give the rows in document order")
    return metadata


@storage.register
class Tokens:
    """A preprocessed corpus: per-document tokens with lemmas, POS, offsets and sentences.

    Build one with :meth:`from_documents` (lists of :class:`Token`), :meth:`from_lists`
    (lists of strings) or, usually, ``Preprocessor(...).transform(corpus)``.

    Attributes
    ----------
    doc_ids : list[str]
    metadata : pandas.DataFrame (one row a document, ``doc_id`` first) — a copy, as
        ``Corpus.metadata``: changing it never changes the tokens (use ``_replace(metadata=...)``)
    texts : list[str] | None — the texts the offsets point into (for concordances)
    doc_offsets : numpy int64 array of ``n_documents + 1`` boundaries into the token columns
    audit : pandas.DataFrame — one row per processing stage (see :meth:`add_audit`)
    """

    def __init__(
        self,
        *,
        doc_ids: Sequence[str],
        doc_offsets: np.ndarray,
        codes: dict[str, np.ndarray],
        vocabs: dict[str, list[str]],
        starts: np.ndarray,
        ends: np.ndarray,
        sents: np.ndarray,
        is_stop: np.ndarray,
        metadata: pd.DataFrame | None = None,
        texts: Sequence[str] | None = None,
        audit: Sequence[dict[str, Any]] = (),
        config: dict[str, Any] | None = None,
        provenance: Provenance | None = None,
    ) -> None:
        self.doc_ids: list[str] = [str(d) for d in doc_ids]
        self.doc_offsets = np.asarray(doc_offsets, dtype=np.int64)
        if self.doc_offsets.shape != (len(self.doc_ids) + 1,):
            raise ValueError("doc_offsets must have one entry more than doc_ids")
        n = int(self.doc_offsets[-1])
        self._codes = {a: np.asarray(codes[a], dtype=np.int32) for a in ATTRIBUTES}
        self._vocabs = {a: list(vocabs[a]) for a in ATTRIBUTES}
        self.starts = np.asarray(starts, dtype=np.int64)
        self.ends = np.asarray(ends, dtype=np.int64)
        self.sents = np.asarray(sents, dtype=np.int32)
        self.is_stop = np.asarray(is_stop, dtype=bool)
        for name, arr in [*self._codes.items(), ("starts", self.starts), ("ends", self.ends), ("sents", self.sents), ("is_stop", self.is_stop)]:
            if arr.shape != (n,):
                raise ValueError(f"column {name} has {arr.shape[0]} entries for {n} tokens")
        if metadata is None:
            metadata = pd.DataFrame({"doc_id": self.doc_ids})
        self._metadata = metadata.reset_index(drop=True)
        self.texts = list(texts) if texts is not None else None
        self._audit = [dict(a) for a in audit]
        self.config = dict(config or {})
        # what was done to the corpus before and by preprocessing, and what was left out
        self.provenance = provenance if provenance is not None else Provenance()

    # ------------------------------------------------------------------ constructors

    @property
    def metadata(self) -> pd.DataFrame:
        """A copy of the metadata table (one row a document, ``doc_id`` first), as ``Corpus.metadata``:
        changing it never changes this object."""
        return self._metadata.copy()

    @classmethod
    def from_documents(
        cls,
        documents: Iterable[Sequence[Token]],
        doc_ids: Sequence[str],
        *,
        metadata: pd.DataFrame | None = None,
        texts: Sequence[str] | None = None,
        audit: Sequence[dict[str, Any]] = (),
        config: dict[str, Any] | None = None,
    ) -> Tokens:
        """Build from one list of :class:`Token` per document."""
        enc = {a: _Encoder() for a in ATTRIBUTES}
        enc["pos"].code(_NO_POS)
        cols: dict[str, list[int]] = {a: [] for a in ATTRIBUTES}
        starts: list[int] = []
        ends: list[int] = []
        sents: list[int] = []
        stops: list[bool] = []
        offsets = [0]
        form_code, lemma_code, pos_code = enc["form"].code, enc["lemma"].code, enc["pos"].code
        for doc in documents:
            for t in doc:
                cols["form"].append(form_code(t.form))
                cols["lemma"].append(lemma_code(t.lemma))
                cols["pos"].append(pos_code(t.pos if t.pos is not None else _NO_POS))
                starts.append(t.start)
                ends.append(t.end)
                sents.append(t.sent)
                stops.append(t.is_stop)
            offsets.append(len(starts))
        if len(offsets) - 1 != len(doc_ids):
            raise ValueError(f"{len(offsets) - 1} documents of tokens for {len(doc_ids)} ids")
        return cls(
            doc_ids=doc_ids,
            doc_offsets=np.array(offsets),
            codes={a: np.array(cols[a], dtype=np.int32) for a in ATTRIBUTES},
            vocabs={a: enc[a].vocab for a in ATTRIBUTES},
            starts=np.array(starts, dtype=np.int64),
            ends=np.array(ends, dtype=np.int64),
            sents=np.array(sents, dtype=np.int32),
            is_stop=np.array(stops, dtype=bool),
            metadata=metadata,
            texts=texts,
            audit=audit,
            config=config,
        )

    @classmethod
    def from_lists(
        cls,
        documents: Iterable[Sequence[str]],
        doc_ids: Sequence[str] | None = None,
        *,
        lemmas: Iterable[Sequence[str]] | None = None,
        metadata: pd.DataFrame | None = None,
    ) -> Tokens:
        """Build from lists of strings (already tokenised text); lemmas default to the forms.

        Offsets are counted as if the tokens were joined by single spaces, and that joined
        text is kept as the document text, so concordances still work.
        """
        documents = [list(d) for d in documents]
        lemma_lists = [list(d) for d in lemmas] if lemmas is not None else documents
        if doc_ids is None:
            doc_ids = metadata["doc_id"].tolist() if metadata is not None and "doc_id" in metadata else [f"doc{i}" for i in range(len(documents))]
        docs, texts = [], []
        for forms, lems in zip(documents, lemma_lists):
            if len(forms) != len(lems):
                raise ValueError("each document needs as many lemmas as forms")
            pos = 0
            doc = []
            for f, lem in zip(forms, lems):
                doc.append(Token(f, lem, None, pos, pos + len(f)))
                pos += len(f) + 1
            docs.append(doc)
            texts.append(" ".join(forms))
        return cls.from_documents(docs, doc_ids, metadata=metadata, texts=texts)

    # ------------------------------------------------------------------ access
    def __len__(self) -> int:
        return len(self.doc_ids)

    @property
    def n_tokens(self) -> int:
        """Number of tokens over all documents."""
        return int(self.doc_offsets[-1])

    @property
    def lengths(self) -> np.ndarray:
        """Tokens per document."""
        return np.diff(self.doc_offsets)

    def codes(self, attribute: str = "lemma") -> np.ndarray:
        """The integer codes of one attribute (``form``, ``lemma`` or ``pos``), one per token."""
        self._check_attribute(attribute)
        return self._codes[attribute]

    def vocab(self, attribute: str = "lemma") -> list[str]:
        """The strings behind the codes of one attribute (``vocab(a)[codes(a)[i]]``)."""
        self._check_attribute(attribute)
        return self._vocabs[attribute]

    def values(self, attribute: str = "lemma") -> np.ndarray:
        """One string per token (an object array); missing POS come back as None."""
        vocab = np.array(self.vocab(attribute), dtype=object)
        if attribute == "pos":
            vocab[vocab == _NO_POS] = None
        return vocab[self.codes(attribute)]

    def doc_index(self) -> np.ndarray:
        """For each token, the position of its document."""
        return np.repeat(np.arange(len(self), dtype=np.int64), self.lengths)

    def _check_attribute(self, attribute: str) -> None:
        if attribute not in ATTRIBUTES:
            raise ValueError(f"attribute must be one of {ATTRIBUTES}, not {attribute!r}")

    def __getitem__(self, key: int | str) -> DocumentTokens:
        if isinstance(key, str):
            try:
                key = self.doc_ids.index(key)
            except ValueError:
                raise KeyError(f"no document with id {key!r}") from None
        if key < 0:
            key += len(self)
        a, b = int(self.doc_offsets[key]), int(self.doc_offsets[key + 1])
        fv, lv, pv = self._vocabs["form"], self._vocabs["lemma"], self._vocabs["pos"]
        return DocumentTokens(
            doc_id=self.doc_ids[key],
            forms=[fv[c] for c in self._codes["form"][a:b]],
            lemmas=[lv[c] for c in self._codes["lemma"][a:b]],
            pos=[pv[c] or None for c in self._codes["pos"][a:b]],
            starts=self.starts[a:b],
            ends=self.ends[a:b],
            sents=self.sents[a:b],
            is_stop=self.is_stop[a:b],
            text=self.texts[key] if self.texts is not None else None,
            metadata=self._metadata.iloc[key].to_dict(),
        )

    def __iter__(self) -> Iterator[DocumentTokens]:
        for i in range(len(self)):
            yield self[i]

    def to_lists(self, attribute: str = "lemma") -> list[list[str]]:
        """One list of strings per document (the input gensim and scikit-learn expect)."""
        vocab = self.vocab(attribute)
        codes = self.codes(attribute).tolist()
        off = self.doc_offsets.tolist()
        return [[vocab[c] for c in codes[off[i] : off[i + 1]]] for i in range(len(self))]

    def __repr__(self) -> str:
        return f"<Tokens: {len(self)} documents, {self.n_tokens} tokens, {len(self._vocabs['lemma'])} lemma types>"

    # ------------------------------------------------------------------ audit
    @property
    def audit(self) -> pd.DataFrame:
        """What each stage did: tokens before/after, removed, merged, changed, examples."""
        cols = ["stage", "tokens_before", "tokens_after", "removed", "merged", "changed", "examples"]
        return pd.DataFrame(self._audit, columns=cols)

    def add_audit(self, stage: str, *, tokens_before: int, tokens_after: int, removed: int = 0, merged: int = 0, changed: int = 0, examples: Sequence[str] = ()) -> Tokens:
        """A copy of these tokens with one more audit row."""
        row = dict(stage=stage, tokens_before=tokens_before, tokens_after=tokens_after, removed=removed, merged=merged, changed=changed, examples="; ".join(examples[:5]))
        return self._replace(audit=self._audit + [row])

    # ------------------------------------------------------------------ operations (return new Tokens)
    def with_metadata(self, metadata: pd.DataFrame) -> Tokens:
        """The same tokens with another metadata table (one row a document, in document order).

        ``metadata`` returns a copy, so a column is added this way:

        >>> toks = Tokens.from_lists([["paix"], ["guerre"]])
        >>> meta = toks.metadata
        >>> meta["groupe"] = ["SRC", "UMP"]
        >>> toks.with_metadata(meta).metadata["groupe"].tolist()
        ['SRC', 'UMP']
        """
        return self._replace(metadata=checked_metadata(metadata, self.doc_ids))

    def _replace(self, **changes: Any) -> Tokens:
        state = dict(
            doc_ids=self.doc_ids, doc_offsets=self.doc_offsets, codes=self._codes, vocabs=self._vocabs,
            starts=self.starts, ends=self.ends, sents=self.sents, is_stop=self.is_stop,
            metadata=self._metadata, texts=self.texts, audit=self._audit, config=self.config, provenance=self.provenance,
        )
        state.update(changes)
        return Tokens(**state)

    def keep_tokens(self, keep: np.ndarray, stage: str) -> Tokens:
        """Keep the tokens where ``keep`` (one bool per token) is true; record the stage."""
        keep = np.asarray(keep, dtype=bool)
        if keep.shape != (self.n_tokens,):
            raise ValueError(f"mask has {keep.shape[0]} values for {self.n_tokens} tokens")
        counts = np.bincount(self.doc_index()[keep], minlength=len(self))
        offsets = np.concatenate([[0], np.cumsum(counts)])
        removed_codes = self._codes["form"][~keep]
        examples = list(dict.fromkeys(self._vocabs["form"][c] for c in removed_codes[:2000]))[:5]
        new = self._replace(
            doc_offsets=offsets,
            codes={a: c[keep] for a, c in self._codes.items()},
            starts=self.starts[keep], ends=self.ends[keep], sents=self.sents[keep], is_stop=self.is_stop[keep],
        )
        n_after = int(keep.sum())
        return new.add_audit(stage, tokens_before=self.n_tokens, tokens_after=n_after, removed=self.n_tokens - n_after, examples=examples)

    @checked_by(_check_filter_params)
    def filter(
        self,
        *,
        stop_words: bool | str | Iterable[str] | None = False,
        pos: Iterable[str] | None = None,
        exclude_pos: Iterable[str] | None = None,
        min_length: int | None = None,
        min_count: int | None = None,
        max_count: int | None = None,
        punctuation: bool = False,
    ) -> Tokens:
        """Remove tokens: stop words, by POS (keep ``pos`` / drop ``exclude_pos``), by length
        of the lemma, by corpus frequency of the lemma, and punctuation-only tokens.

        ``stop_words`` is read as everywhere in the library (:func:`discourse.base.check_stop_words`):
        True removes the tokens flagged at preprocessing, ``"default"`` or a list of words those
        whose lowercase form or lemma is in the list, None or False nothing.

        Each criterion is one audit row. POS criteria need a backend with a tagger.
        """
        _check_filter_params(stop_words=stop_words, pos=pos, exclude_pos=exclude_pos, min_length=min_length,
                             min_count=min_count, max_count=max_count, punctuation=punctuation)
        out = self
        words = check_stop_words("stop_words", stop_words)
        if words is True:
            out = out.keep_tokens(~out.is_stop, "filter stop words")
        elif words is not None:
            hit = {a: np.fromiter((t.lower() in words for t in out.vocab(a)), dtype=bool, count=len(out.vocab(a)))
                   for a in ("form", "lemma")}
            listed = hit["form"][out.codes("form")] | hit["lemma"][out.codes("lemma")] if out.n_tokens else np.zeros(0, bool)
            out = out.keep_tokens(~listed, f"filter stop words (a list of {len(words)})")
        if punctuation:
            lv = out.vocab("lemma")
            is_punct = np.array([not any(ch.isalnum() for ch in s) for s in lv], dtype=bool)
            out = out.keep_tokens(~is_punct[out.codes("lemma")] if len(lv) else np.ones(out.n_tokens, bool), "filter punctuation")
        if pos is not None or exclude_pos is not None:
            pv = out.vocab("pos")
            if all(p == _NO_POS for p in pv) and out.n_tokens:
                raise ValueError("these tokens have no POS tags (use backend='accurate' to filter by POS)")
            allowed = np.ones(len(pv), dtype=bool)
            if pos is not None:
                allowed &= np.isin(np.array(pv, dtype=object), list(pos))
            if exclude_pos is not None:
                allowed &= ~np.isin(np.array(pv, dtype=object), list(exclude_pos))
            out = out.keep_tokens(allowed[out.codes("pos")], f"filter POS (keep {sorted(pos) if pos else 'all'}, drop {sorted(exclude_pos) if exclude_pos else 'none'})")
        if min_length is not None:
            lengths = np.array([len(s) for s in out.vocab("lemma")], dtype=np.int64)
            out = out.keep_tokens(lengths[out.codes("lemma")] >= min_length if len(lengths) else np.ones(out.n_tokens, bool), f"filter min_length={min_length}")
        if min_count is not None or max_count is not None:
            freq = np.bincount(out.codes("lemma"), minlength=len(out.vocab("lemma")))
            ok = np.ones_like(freq, dtype=bool)
            if min_count is not None:
                ok &= freq >= min_count
            if max_count is not None:
                ok &= freq <= max_count
            out = out.keep_tokens(ok[out.codes("lemma")], f"filter count in [{min_count}, {max_count}]")
        return out

    def select_documents(self, positions: Sequence[int] | np.ndarray) -> Tokens:
        """A new Tokens with only these documents (by position or boolean mask), in that order."""
        positions = np.asarray(positions)
        if positions.dtype == bool:
            positions = np.flatnonzero(positions)
        positions = positions.astype(np.int64)
        lengths = self.lengths[positions]
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        idx = np.concatenate([np.arange(self.doc_offsets[p], self.doc_offsets[p + 1]) for p in positions]) if len(positions) else np.array([], dtype=np.int64)
        idx = idx.astype(np.int64)
        return self._replace(
            doc_ids=[self.doc_ids[p] for p in positions],
            doc_offsets=offsets,
            codes={a: c[idx] for a, c in self._codes.items()},
            starts=self.starts[idx], ends=self.ends[idx], sents=self.sents[idx], is_stop=self.is_stop[idx],
            metadata=self._metadata.iloc[positions].reset_index(drop=True),
            texts=[self.texts[p] for p in positions] if self.texts is not None else None,
        )

    def groupby(self, column: str) -> Iterator[tuple[Any, Tokens]]:
        """Yield ``(value, Tokens)`` for each value of a metadata column."""
        if column not in self._metadata.columns:
            raise KeyError(f"no metadata column {column!r}; columns are {list(self._metadata.columns)}")
        from discourse.metadata import check_group_values

        check_group_values(self._metadata[column], column, self.doc_ids)  # lists, dicts, 1 beside "1": refused
        for value, index in self._metadata.groupby(column, sort=True, dropna=True).groups.items():
            yield value, self.select_documents(np.asarray(index))

    def map_lemmas(self, mapping: dict[str, str], stage: str) -> Tokens:
        """Replace lemmas through a mapping (e.g. aliases, case folding), recording the stage."""
        old_vocab = self._vocabs["lemma"]
        enc = _Encoder()
        remap = np.array([enc.code(mapping.get(s, s)) for s in old_vocab], dtype=np.int32)
        codes = dict(self._codes)
        codes["lemma"] = remap[self._codes["lemma"]] if len(remap) else self._codes["lemma"]
        changed_types = np.array([mapping.get(s, s) != s for s in old_vocab], dtype=bool)
        n_changed = int(changed_types[self._codes["lemma"]].sum()) if len(old_vocab) else 0
        examples = [f"{s}→{mapping[s]}" for s in old_vocab if s in mapping and mapping[s] != s][:5]
        new = self._replace(codes=codes, vocabs={**self._vocabs, "lemma": enc.vocab})
        return new.add_audit(stage, tokens_before=self.n_tokens, tokens_after=self.n_tokens, changed=n_changed, examples=examples)

    # ------------------------------------------------------------------ save / load (discourse.storage)
    def save(self, path: str | Path) -> Path:
        """Write to ``path`` (:mod:`discourse.storage` format: integer columns as arrays, vocabularies,
        ids, texts, audit and configuration as JSON, metadata as Parquet; no code).

        >>> toks.save("debats.tokens")  # doctest: +SKIP
        """
        return storage.save(self, path)

    @classmethod
    def load(cls, path: str | Path) -> Tokens:
        """Read a file written by :meth:`save` (every column checked; see :mod:`discourse.storage`).

        >>> Tokens.load("debats.tokens").to_lists()[0][:3]  # doctest: +SKIP
        ['monsieur', 'le', 'président']
        """
        return storage.load(path, expected=cls)

    def _get_state(self) -> dict[str, Any]:
        info = {"doc_ids": self.doc_ids, "vocabs": self._vocabs, "texts": self.texts, "audit": self._audit,
                "config": self.config, "provenance": self.provenance.to_state()}
        arrays = {"doc_offsets": self.doc_offsets, "starts": self.starts, "ends": self.ends, "sents": self.sents,
                  "is_stop": self.is_stop, **{f"codes_{a}": c for a, c in self._codes.items()}}
        return {"info": info, "arrays": arrays, "tables": {"metadata": self._metadata}}

    @classmethod
    def _from_state(cls, params: dict[str, Any], info: dict[str, Any], arrays: dict[str, np.ndarray],
                    tables: dict[str, pd.DataFrame]) -> Tokens:
        """Rebuild from a file's content: offsets, codes and vocabularies checked against each other."""
        doc_ids = storage.check_strings("doc_ids", info.get("doc_ids"))
        expected = {"doc_offsets", "starts", "ends", "sents", "is_stop", *(f"codes_{a}" for a in ATTRIBUTES)}
        if set(arrays) != expected:
            raise ValueError(f"arrays must be {sorted(expected)}, not {sorted(arrays)}")
        offsets = storage.check_array(arrays, "doc_offsets", (len(doc_ids) + 1,), kinds="iu")
        if offsets[0] != 0 or np.any(np.diff(offsets) < 0):
            raise ValueError("'doc_offsets' must start at 0 and never decrease")
        n = int(offsets[-1])
        vocabs = info.get("vocabs")
        if not isinstance(vocabs, dict) or set(vocabs) != set(ATTRIBUTES):
            raise ValueError(f"'vocabs' must map {list(ATTRIBUTES)} to lists of strings")
        codes = {}
        for a in ATTRIBUTES:
            storage.check_strings(f"vocabs.{a}", vocabs[a])
            code = storage.check_array(arrays, f"codes_{a}", (n,), kinds="iu")
            if n and (code.min() < 0 or code.max() >= len(vocabs[a])):
                raise ValueError(f"codes of {a!r} must lie in [0, {len(vocabs[a])})")
            codes[a] = code
        starts = storage.check_array(arrays, "starts", (n,), kinds="iu")
        ends = storage.check_array(arrays, "ends", (n,), kinds="iu")
        sents = storage.check_array(arrays, "sents", (n,), kinds="iu")
        is_stop = storage.check_array(arrays, "is_stop", (n,), kinds="b")
        if n and (starts.min() < 0 or np.any(ends < starts)):
            raise ValueError("token offsets must be non-negative with start <= end")
        texts = info.get("texts")
        if texts is not None:
            storage.check_strings("texts", texts, len(doc_ids))
        audit, config = info.get("audit", []), info.get("config", {})
        if not isinstance(audit, list) or not all(isinstance(a, dict) for a in audit):
            raise ValueError("'audit' must be a list of JSON objects")
        if not isinstance(config, dict):
            raise ValueError("'config' must be a JSON object")
        metadata = tables.get("metadata")
        if metadata is None or len(metadata) != len(doc_ids):
            raise ValueError(f"the metadata table must have one row for each of the {len(doc_ids)} documents")
        provenance = Provenance.from_state(info.get("provenance", {}))
        return cls(doc_ids=doc_ids, doc_offsets=offsets, codes=codes, vocabs=vocabs, starts=starts, ends=ends,
                   sents=sents, is_stop=is_stop, metadata=metadata, texts=texts, audit=audit, config=config,
                   provenance=provenance)
