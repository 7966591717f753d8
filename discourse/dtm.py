"""DocumentTermMatrix: sparse term counts per document, with their vocabulary and metadata.

The matrix is built straight from the integer codes of a :class:`~discourse.tokens.Tokens`
(one ``np.bincount``-style pass, no Python loop over tokens), pruned by document frequency
and size of vocabulary, and handed to topic models or exported to gensim and scikit-learn.
Documents left with no token after pruning are excluded and listed in ``excluded`` with the
reason, never dropped silently.

Example
-------
>>> from discourse.tokens import Tokens, checked_metadata
>>> from discourse.dtm import DocumentTermMatrix
>>> toks = Tokens.from_lists([["état", "droit", "état"], ["droit", "terrorisme"]], doc_ids=["a", "b"])
>>> dtm = DocumentTermMatrix.from_tokens(toks)
>>> dtm.vocabulary
['droit', 'terrorisme', 'état']
>>> dtm.matrix.toarray().tolist()
[[1, 0, 2], [1, 1, 0]]
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from discourse import storage
from discourse._optional import require
from discourse.base import check_choice, check_int, check_stop_words, checked_by
from discourse.provenance import Provenance
from discourse.tokens import Tokens, checked_metadata

__all__ = ["DocumentTermMatrix", "EmptyVocabularyError"]


def term_frequency_table(vocabulary: Sequence[str], counts: np.ndarray, doc_freq: np.ndarray) -> pd.DataFrame:
    """The table of :meth:`DocumentTermMatrix.term_frequencies` from the per-term sums (which a
    sharded matrix adds up part by part without stacking the counts).

    Example
    -------
    >>> term_frequency_table(["guerre", "paix"], np.array([1, 2]), np.array([1, 1]))["term"].tolist()
    ['paix', 'guerre']
    """
    frame = pd.DataFrame({"term": list(vocabulary), "count": counts, "doc_freq": doc_freq})
    return frame.sort_values(["count", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)


class EmptyVocabularyError(ValueError):
    """No term is left after pruning: the message names the parameters that removed them."""


def _df_threshold(value: int | float, n_docs: int, name: str) -> float:
    """A document-frequency bound as a number of documents (float = proportion, as in scikit-learn)."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be an int (documents) or a float in [0, 1] (proportion), not a bool")
    if isinstance(value, (float, np.floating)):
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name}={value}: a float {name} is a proportion of documents in [0, 1]")
        return value * n_docs
    if value < 0:
        raise ValueError(f"{name}={value} must be >= 0")
    return float(value)


def check_dtm_params(*, attribute: Any, min_df: Any, max_df: Any, max_features: Any, stop_words: Any) -> None:
    """The checks of :meth:`DocumentTermMatrix.from_tokens`'s parameters that need no data."""
    check_choice("attribute", attribute, ("form", "lemma"))
    for name, value in (("min_df", min_df), ("max_df", max_df)):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ValueError(f"{name} must be an int (documents) or a float in [0, 1] (proportion), not {value!r}")
        _df_threshold(value, 1, name)
    check_int("max_features", max_features, minimum=1, allow_none=True)
    check_stop_words("stop_words", stop_words)


def select_vocabulary(vocab: Sequence[str], total: np.ndarray, df: np.ndarray, n_docs: int, *, attribute: str,
                      min_df: int | float, max_df: int | float, max_features: int | None,
                      stop: bool | frozenset[str] | None) -> np.ndarray:
    """The columns of ``vocab`` a matrix keeps, in alphabetical order of their terms.

    ``total`` and ``df`` are each term's count of tokens and of documents over ``n_docs`` documents;
    ``stop`` is :func:`~discourse.base.check_stop_words`'s reading of ``stop_words``. One function
    for the local matrix and the sharded one (:mod:`discourse.engines.sharded`), which sums the
    counts of its shards first: the same counts give the same vocabulary.

    >>> select_vocabulary(["paix", "de", "guerre"], np.array([3, 9, 1]), np.array([2, 3, 1]), 3,
    ...                   attribute="lemma", min_df=2, max_df=1.0, max_features=None, stop=frozenset({"de"}))
    array([0])
    """
    keep = np.asarray(total) > 0
    if stop is not None and stop is not True:
        keep &= ~np.fromiter((t.lower() in stop for t in vocab), dtype=bool, count=len(vocab))
    lo = _df_threshold(min_df, n_docs, "min_df")
    hi = _df_threshold(max_df, n_docs, "max_df")
    keep &= (df >= lo) & (df <= hi)
    if max_features is not None:
        candidates = np.flatnonzero(keep)
        if candidates.size > max_features:
            names = np.array(vocab, dtype=object)[candidates]
            # most frequent first, ties alphabetically: deterministic whatever the token order
            order = np.lexsort((names, -total[candidates]))
            keep = np.zeros_like(keep)
            keep[candidates[order[:max_features]]] = True
    kept = np.flatnonzero(keep)
    if kept.size == 0:
        raise EmptyVocabularyError(
            f"no term left in the vocabulary of {n_docs} documents after pruning with "
            f"min_df={min_df!r}, max_df={max_df!r}, max_features={max_features!r}, "
            f"stop_words={'given' if stop is not None else None} "
            f"({len(vocab)} {attribute} types before pruning): loosen these parameters"
        )
    names = [vocab[i] for i in kept]
    alpha = np.argsort(np.array(names, dtype=object), kind="stable")
    return kept[alpha]


@storage.register
class DocumentTermMatrix:
    """Counts of terms per document (``scipy.sparse`` CSR, int64) with vocabulary, ids and metadata.

    Usually built with :meth:`from_tokens`. Rows follow ``doc_ids``; columns follow
    ``vocabulary`` (sorted alphabetically, so the same tokens always give the same matrix).

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix of shape (n_documents, n_terms)
    vocabulary : list[str]
    doc_ids : list[str]
    metadata : pandas.DataFrame, one row per kept document, ``doc_id`` first
    excluded : pandas.DataFrame (doc_id, reason) of documents left out
    params : dict, how the matrix was built
    """

    def __init__(
        self,
        matrix: sp.spmatrix,
        vocabulary: Sequence[str],
        doc_ids: Sequence[str],
        metadata: pd.DataFrame | None = None,
        *,
        excluded: pd.DataFrame | None = None,
        params: dict[str, Any] | None = None,
        provenance: Provenance | None = None,
    ) -> None:
        matrix = sp.csr_matrix(matrix)
        if matrix.shape != (len(doc_ids), len(vocabulary)):
            raise ValueError(f"matrix of shape {matrix.shape} for {len(doc_ids)} documents and {len(vocabulary)} terms")
        if matrix.nnz and matrix.data.min() < 0:
            raise ValueError("a document-term matrix holds counts: negative values found")
        matrix.sum_duplicates()
        matrix.sort_indices()
        self.matrix: sp.csr_matrix = matrix
        self.vocabulary: list[str] = [str(t) for t in vocabulary]
        self.doc_ids: list[str] = [str(d) for d in doc_ids]
        if metadata is None:
            metadata = pd.DataFrame({"doc_id": self.doc_ids})
        if len(metadata) != len(self.doc_ids):
            raise ValueError(f"metadata has {len(metadata)} rows for {len(self.doc_ids)} documents")
        self._metadata = metadata.reset_index(drop=True)
        self.excluded = excluded if excluded is not None else pd.DataFrame({"doc_id": pd.Series([], dtype=object), "reason": pd.Series([], dtype=object)})
        self.params = dict(params or {})
        # the tokens' record, extended with how this matrix was built and what it excluded
        self.provenance = provenance if provenance is not None else Provenance()
        self._term_index: dict[str, int] | None = None

    # ------------------------------------------------------------------ construction

    @property
    def metadata(self) -> pd.DataFrame:
        """A copy of the metadata table (one row a document, ``doc_id`` first), as ``Corpus.metadata``:
        changing it never changes this object."""
        return self._metadata.copy()

    def with_metadata(self, metadata: pd.DataFrame) -> DocumentTermMatrix:
        """The same counts with another metadata table (``metadata`` returns a copy: add a column
        to the copy, then give it here)."""
        return DocumentTermMatrix(self.matrix, self.vocabulary, self.doc_ids, checked_metadata(metadata, self.doc_ids),
                                  excluded=self.excluded, params=self.params, provenance=self.provenance)

    @classmethod
    @checked_by(check_dtm_params)
    def from_tokens(
        cls,
        tokens: Tokens,
        attribute: str = "lemma",
        *,
        min_df: int | float = 1,
        max_df: int | float = 1.0,
        max_features: int | None = None,
        stop_words: bool | str | Iterable[str] | None = None,
    ) -> DocumentTermMatrix:
        """Count each term (``lemma`` by default, or ``form``) of each document.

        ``min_df``/``max_df`` bound the number of documents a term appears in (an int is a
        number of documents, a float a proportion), ``max_features`` keeps the most frequent
        terms (ties broken alphabetically), ``stop_words`` removes terms, read as everywhere in the
        library (:func:`discourse.base.check_stop_words`): ``"default"`` or a list of words removes
        the terms whose lowercase is listed, True the tokens flagged as stop words at
        preprocessing, None or False nothing. Documents left with no
        token are excluded, listed in ``excluded`` and counted in a warning.

        Example
        -------
        >>> toks = Tokens.from_lists([["paix", "sécurité"], ["paix", "climat"], ["paix"]])
        >>> dtm = DocumentTermMatrix.from_tokens(toks, min_df=2)
        >>> dtm.vocabulary, dtm.doc_ids
        (['paix'], ['doc0', 'doc1', 'doc2'])
        """
        check_dtm_params(attribute=attribute, min_df=min_df, max_df=max_df, max_features=max_features, stop_words=stop_words)
        stop = check_stop_words("stop_words", stop_words)
        n_docs = len(tokens)
        vocab = tokens.vocab(attribute)
        codes = tokens.codes(attribute).astype(np.int64)
        doc_index = tokens.doc_index()
        if stop is True:  # the tokens flagged at preprocessing
            codes, doc_index = codes[~tokens.is_stop], doc_index[~tokens.is_stop]
        counts = sp.csr_matrix(
            (np.ones(codes.shape[0], dtype=np.int64), (doc_index, codes)), shape=(n_docs, len(vocab))
        )
        counts.sum_duplicates()

        total = np.asarray(counts.sum(axis=0)).ravel()
        df = np.diff(sp.csc_matrix(counts).indptr) if len(vocab) else np.zeros(0, dtype=np.int64)
        columns = select_vocabulary(vocab, total, df, n_docs, attribute=attribute, min_df=min_df, max_df=max_df,
                                    max_features=max_features, stop=stop)
        params = dict(attribute=attribute, min_df=min_df, max_df=max_df, max_features=max_features,
                      stop_words=None if stop is None else "flagged" if stop is True else len(stop))
        matrix = counts[:, columns].tocsr()
        vocabulary = [vocab[i] for i in columns]

        lengths = np.diff(matrix.indptr)
        empty = lengths == 0
        doc_ids = tokens.doc_ids
        excluded = pd.DataFrame({"doc_id": pd.Series([], dtype=object), "reason": pd.Series([], dtype=object)})
        if empty.any():
            original = tokens.lengths
            rows = np.flatnonzero(empty)
            excluded = pd.DataFrame({
                "doc_id": [doc_ids[i] for i in rows],
                "reason": ["no tokens" if original[i] == 0 else "no tokens left after pruning the vocabulary" for i in rows],
            })
            warnings.warn(
                f"{len(rows)} of {n_docs} documents have no tokens after pruning and are excluded "
                f"(first: {', '.join(excluded['doc_id'].head(3))}); see DocumentTermMatrix.excluded",
                stacklevel=2,
            )
            keep_rows = np.flatnonzero(~empty)
            matrix = matrix[keep_rows]
            doc_ids = [doc_ids[i] for i in keep_rows]
            metadata = tokens.metadata.iloc[keep_rows].reset_index(drop=True)
        else:
            metadata = tokens.metadata
        if "doc_id" not in metadata.columns:
            metadata = metadata.assign(doc_id=doc_ids)
        provenance = tokens.provenance.then(
            "document-term matrix", "from_tokens(" + ", ".join(f"{k}={v!r}" for k, v in params.items()) + ")",
            zip(excluded["doc_id"], excluded["reason"]))
        return cls(matrix, vocabulary, doc_ids, metadata, excluded=excluded, params=params, provenance=provenance)

    # ------------------------------------------------------------------ access
    @property
    def shape(self) -> tuple[int, int]:
        """(n_documents, n_terms)."""
        return self.matrix.shape

    def __len__(self) -> int:
        return self.matrix.shape[0]

    def __repr__(self) -> str:
        return f"<DocumentTermMatrix: {self.shape[0]} documents × {self.shape[1]} terms, {int(self.matrix.sum())} tokens, {len(self.excluded)} excluded>"

    @property
    def term_index(self) -> dict[str, int]:
        """Term → column."""
        if self._term_index is None:
            self._term_index = {t: i for i, t in enumerate(self.vocabulary)}
        return self._term_index

    @property
    def lengths(self) -> np.ndarray:
        """Tokens per document (after pruning)."""
        return np.asarray(self.matrix.sum(axis=1)).ravel()

    def document_frequencies(self) -> np.ndarray:
        """Number of documents containing each term."""
        return np.bincount(self.matrix.indices, minlength=self.shape[1])

    def term_frequencies(self) -> pd.DataFrame:
        """One row a term: ``term``, ``count`` (tokens), ``doc_freq`` (documents), most frequent first.

        Example
        -------
        >>> dtm = DocumentTermMatrix.from_tokens(Tokens.from_lists([["paix", "paix", "guerre"]]))
        >>> dtm.term_frequencies()["term"].tolist()
        ['paix', 'guerre']
        """
        return term_frequency_table(self.vocabulary, np.asarray(self.matrix.sum(axis=0)).ravel(), self.document_frequencies())

    # ------------------------------------------------------------------ weighting and export
    def idf(self, smooth: bool = True) -> np.ndarray:
        """Inverse document frequency, ``log((1 + n) / (1 + df)) + 1`` (scikit-learn's smoothed form)."""
        n = self.shape[0]
        df = self.document_frequencies().astype(np.float64)
        if smooth:
            return np.log((1.0 + n) / (1.0 + df)) + 1.0
        return np.log(n / df) + 1.0

    def tfidf(self, norm: str | None = "l2", smooth_idf: bool = True, sublinear_tf: bool = False, idf: np.ndarray | None = None) -> sp.csr_matrix:
        """tf-idf weights (float CSR), equal to scikit-learn's ``TfidfTransformer`` with the same options.

        ``idf`` replaces the matrix's own inverse document frequencies (to weight new documents
        as the training ones were).

        Example
        -------
        >>> dtm = DocumentTermMatrix.from_tokens(Tokens.from_lists([["paix", "guerre"], ["paix"]]))
        >>> dtm.tfidf().shape
        (2, 2)
        """
        x = self.matrix.astype(np.float64)
        if sublinear_tf:
            x.data = np.log(x.data) + 1.0
        weights = self.idf(smooth_idf) if idf is None else np.asarray(idf, dtype=np.float64)
        x = sp.csr_matrix(x.multiply(weights[None, :]))
        if norm == "l2":
            scale = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        elif norm == "l1":
            scale = np.asarray(abs(x).sum(axis=1)).ravel()
        elif norm is None:
            return x
        else:
            raise ValueError(f"norm must be 'l2', 'l1' or None, not {norm!r}")
        scale[scale == 0] = 1.0
        return sp.csr_matrix(sp.diags(1.0 / scale) @ x)

    def to_sklearn(self) -> tuple[sp.csr_matrix, np.ndarray]:
        """(count matrix, feature names) as scikit-learn's ``CountVectorizer`` would give them."""
        return self.matrix, np.array(self.vocabulary, dtype=object)

    def to_gensim(self) -> tuple[Any, list[list[tuple[int, int]]]]:
        """(gensim ``Dictionary``, bag-of-words corpus) with term ids equal to our column numbers."""
        require("gensim", "gensim", "DocumentTermMatrix.to_gensim")
        from gensim.corpora import Dictionary

        dictionary = Dictionary()
        dictionary.token2id = dict(self.term_index)
        dictionary.id2token = {i: t for t, i in dictionary.token2id.items()}
        dictionary.dfs = dict(enumerate(self.document_frequencies().tolist()))
        dictionary.cfs = dict(enumerate(np.asarray(self.matrix.sum(axis=0)).ravel().tolist()))
        dictionary.num_docs = self.shape[0]
        dictionary.num_pos = int(self.matrix.sum())
        dictionary.num_nnz = int(self.matrix.nnz)
        return dictionary, self.to_bow()

    def to_bow(self) -> list[list[tuple[int, int]]]:
        """The bag-of-words corpus alone (one list of ``(term id, count)`` a document)."""
        indptr = self.matrix.indptr
        indices = self.matrix.indices.tolist()
        data = self.matrix.data.tolist()
        return [list(zip(indices[indptr[i]:indptr[i + 1]], data[indptr[i]:indptr[i + 1]])) for i in range(self.shape[0])]

    def to_word_lists(self) -> list[list[str]]:
        """Each document as a list of terms repeated by their counts (grouped by term, not in text order)."""
        vocab = np.array(self.vocabulary, dtype=object)
        words = np.repeat(vocab[self.matrix.indices], self.matrix.data).tolist()
        bounds = np.concatenate([[0], np.cumsum(self.lengths)]).tolist()
        return [words[bounds[i]:bounds[i + 1]] for i in range(self.shape[0])]

    # ------------------------------------------------------------------ selection
    def select_documents(self, selection: Sequence[int] | Sequence[str] | np.ndarray) -> DocumentTermMatrix:
        """A new matrix with these documents (positions, ids or a boolean mask), same vocabulary."""
        sel = np.asarray(selection)
        if sel.dtype == bool:
            if sel.shape != (self.shape[0],):
                raise ValueError(f"mask has {sel.shape[0]} values for {self.shape[0]} documents")
            positions = np.flatnonzero(sel)
        elif sel.size and sel.dtype.kind in "OUS":
            index = {d: i for i, d in enumerate(self.doc_ids)}
            missing = [d for d in sel.tolist() if d not in index]
            if missing:
                raise KeyError(f"no document with id {missing[0]!r} ({len(missing)} unknown ids)")
            positions = np.array([index[d] for d in sel.tolist()], dtype=np.int64)
        else:
            positions = sel.astype(np.int64)
        return DocumentTermMatrix(
            self.matrix[positions], self.vocabulary, [self.doc_ids[i] for i in positions],
            self._metadata.iloc[positions].reset_index(drop=True), excluded=self.excluded, params=self.params,
            provenance=self.provenance,
        )

    def group(self, column: str) -> DocumentTermMatrix:
        """Sum the documents sharing a value of the metadata ``column``: one row a group.

        Rows follow the sorted values of ``column`` and are named by them (``doc_ids``). The
        metadata of a group keeps ``column``, every column constant within each group (a
        speaker's party, sex, vote…) and ``n_documents``, the number of documents summed.
        Documents with no value in ``column`` and groups with no words (possible after
        :meth:`select_documents` on a pruned matrix) are left out, listed in ``excluded``
        with the reason and counted in a warning.

        Example
        -------
        >>> toks = Tokens.from_lists([["famille", "enfant"], ["famille"], ["égalité"]], doc_ids=["t1", "t2", "t3"])
        >>> meta = toks.metadata
        >>> meta["speaker"] = ["Mariton", "Mariton", "Taubira"]
        >>> speakers = DocumentTermMatrix.from_tokens(toks.with_metadata(meta)).group("speaker")
        >>> speakers.doc_ids, speakers.metadata["n_documents"].tolist()
        (['Mariton', 'Taubira'], [2, 1])
        >>> speakers.matrix.toarray().tolist()
        [[1, 2, 0], [0, 0, 1]]
        """
        if column not in self._metadata.columns:
            raise KeyError(f"no metadata column {column!r}; columns are {list(self._metadata.columns)}")
        if column == "doc_id":
            raise ValueError("group by 'doc_id' gives the matrix back: choose a metadata column such as 'speaker'")
        values = self._metadata[column]
        missing = values.isna().to_numpy()
        reasons: list[tuple[str, str]] = [(self.doc_ids[i], f"no value in column {column!r}") for i in np.flatnonzero(missing)]
        meta = self._metadata.loc[~missing].drop(columns=["doc_id"])
        codes, uniques = pd.factorize(meta[column], sort=True)
        n_groups = len(uniques)
        rows = np.flatnonzero(~missing)
        indicator = sp.csr_matrix((np.ones(rows.size, dtype=np.int64), (codes, rows)), shape=(n_groups, self.shape[0]))
        summed = sp.csr_matrix(indicator @ self.matrix)
        n_documents = np.bincount(codes, minlength=n_groups)
        names = [str(u) for u in uniques]
        if len(set(names)) != n_groups:
            raise ValueError(f"two values of column {column!r} have the same text: cast the column to str first")

        grouped = meta.groupby(codes, sort=True)
        kept_columns = [column] + [c for c in meta.columns if c != column and (grouped[c].nunique(dropna=False) <= 1).all()]
        group_meta = grouped[kept_columns].first().reset_index(drop=True)
        group_meta.insert(0, "doc_id", names)
        group_meta["n_documents"] = n_documents

        empty = np.diff(summed.indptr) == 0
        reasons += [(names[g], f"group with no words ({n_documents[g]} documents)") for g in np.flatnonzero(empty)]
        if reasons:
            n_missing = int(missing.sum())
            warnings.warn(
                f"group({column!r}): {n_missing} documents without a value and {int(empty.sum())} groups with no "
                f"words are left out (first: {', '.join(r[0] for r in reasons[:3])}); see .excluded",
                stacklevel=2,
            )
        keep = np.flatnonzero(~empty)
        excluded = pd.DataFrame({"doc_id": pd.Series([r[0] for r in reasons], dtype=object),
                                 "reason": pd.Series([r[1] for r in reasons], dtype=object)})
        params = dict(self.params, grouped_by=column)
        return DocumentTermMatrix(summed[keep], self.vocabulary, [names[g] for g in keep],
                                  group_meta.iloc[keep].reset_index(drop=True), excluded=excluded, params=params,
                                  provenance=self.provenance.then("group", f"group({column!r})", reasons))

    # ------------------------------------------------------------------ save / load
    def save(self, path: str | Path) -> Path:
        """Write to ``path`` (:mod:`discourse.storage` format: sparse arrays, JSON, metadata as Parquet).

        >>> dtm.save("debats.dtm")  # doctest: +SKIP
        """
        return storage.save(self, path)

    @classmethod
    def load(cls, path: str | Path) -> DocumentTermMatrix:
        """Read a file written by :meth:`save` (every array checked; see :mod:`discourse.storage`).

        >>> DocumentTermMatrix.load("debats.dtm").shape  # doctest: +SKIP
        (1200, 8000)
        """
        return storage.load(path, expected=cls)

    def _get_state(self) -> dict[str, Any]:
        info = {"vocabulary": self.vocabulary, "doc_ids": self.doc_ids, "params": self.params,
                "provenance": self.provenance.to_state()}
        arrays = {"data": self.matrix.data, "indices": self.matrix.indices, "indptr": self.matrix.indptr}
        return {"info": info, "arrays": arrays, "tables": {"metadata": self._metadata, "excluded": self.excluded}}

    @classmethod
    def _from_state(cls, params: dict[str, Any], info: dict[str, Any], arrays: dict[str, np.ndarray],
                    tables: dict[str, pd.DataFrame]) -> DocumentTermMatrix:
        """Rebuild from a file's content; the CSR arrays are checked before scipy sees them."""
        vocabulary = storage.check_strings("vocabulary", info.get("vocabulary"))
        doc_ids = storage.check_strings("doc_ids", info.get("doc_ids"))
        n_docs, n_terms = len(doc_ids), len(vocabulary)
        if set(arrays) != {"data", "indices", "indptr"}:
            raise ValueError(f"arrays must be data, indices and indptr, not {sorted(arrays)}")
        indptr = storage.check_array(arrays, "indptr", (n_docs + 1,), kinds="iu")
        nnz = int(indptr[-1])
        data = storage.check_array(arrays, "data", (nnz,), kinds="iuf")
        indices = storage.check_array(arrays, "indices", (nnz,), kinds="iu")
        if indptr[0] != 0 or np.any(np.diff(indptr) < 0):
            raise ValueError("'indptr' must start at 0 and never decrease")
        if nnz and (indices.min() < 0 or indices.max() >= n_terms):
            raise ValueError(f"'indices' must lie in [0, {n_terms})")
        if nnz and data.min() < 0:
            raise ValueError("counts must not be negative")
        build = info.get("params", {})
        if not isinstance(build, dict):
            raise ValueError("'params' of the matrix must be a JSON object")
        metadata, excluded = tables.get("metadata"), tables.get("excluded")
        if metadata is None or len(metadata) != n_docs:
            raise ValueError(f"the metadata table must have one row for each of the {n_docs} documents")
        if excluded is not None and list(excluded.columns) != ["doc_id", "reason"]:
            raise ValueError("the excluded table must have the columns doc_id and reason")
        if excluded is not None:
            excluded = excluded.astype(object)
        matrix = sp.csr_matrix((data, indices.astype(np.int64), indptr.astype(np.int64)),
                               shape=(n_docs, n_terms))
        return cls(matrix, vocabulary, doc_ids, metadata, excluded=excluded, params=build,
                   provenance=Provenance.from_state(info.get("provenance", {})))
