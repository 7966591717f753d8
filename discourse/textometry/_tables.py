"""Lexical tables: what the textometry estimators accept, read into one sparse form.

A *lexical table* crosses parts (documents, segments, parties, classes) with terms and holds
counts. The estimators take a :class:`~discourse.dtm.DocumentTermMatrix`, a pandas
``DataFrame`` (index = parts, columns = terms) or a NumPy / SciPy matrix, and read it with
:func:`as_table` into ``(CSR float matrix, row labels, column labels)``.
:func:`lexical_table` sums the rows of a document-term matrix by a metadata column (parties ×
terms, the table of Lebart and Salem's *Statistique textuelle*).

>>> from discourse.tokens import Tokens
>>> from discourse.dtm import DocumentTermMatrix
>>> import pandas as pd
>>> toks = Tokens.from_lists([["mariage", "famille"], ["mariage"], ["égalité"]], doc_ids=["a", "b", "c"],
...                          metadata=pd.DataFrame({"doc_id": ["a", "b", "c"], "groupe": ["UMP", "UMP", "SRC"]}))
>>> lexical_table(DocumentTermMatrix.from_tokens(toks), "groupe").to_dict()
{'famille': {'SRC': 0, 'UMP': 1}, 'mariage': {'SRC': 0, 'UMP': 2}, 'égalité': {'SRC': 1, 'UMP': 0}}
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from discourse.dtm import DocumentTermMatrix

__all__ = ["as_table", "lexical_table"]


def as_table(table: Any, name: str = "table") -> tuple[sp.csr_matrix, list[str], list[str]]:
    """``(counts as float CSR, row labels, column labels)`` from any accepted table.

    Raises ``ValueError`` naming the problem (negative or non-finite values, empty table).
    """
    if isinstance(table, DocumentTermMatrix):
        matrix, rows, cols = table.matrix, list(table.doc_ids), list(table.vocabulary)
    elif isinstance(table, pd.DataFrame):
        bad = [c for c in table.columns if not pd.api.types.is_numeric_dtype(table[c])]
        if bad:
            raise ValueError(f"{name}: column(s) {bad[:3]} are not numeric (a lexical table holds counts)")
        matrix = sp.csr_matrix(table.to_numpy(dtype=np.float64))
        rows, cols = [str(i) for i in table.index], [str(c) for c in table.columns]
    elif sp.issparse(table) or isinstance(table, np.ndarray):
        matrix = sp.csr_matrix(table)
        rows = [f"row{i}" for i in range(matrix.shape[0])]
        cols = [f"col{j}" for j in range(matrix.shape[1])]
    else:
        raise TypeError(f"{name} must be a DocumentTermMatrix, a DataFrame or a matrix, not {type(table).__name__}")
    matrix = sp.csr_matrix(matrix, dtype=np.float64)
    if matrix.ndim != 2 or 0 in matrix.shape:
        raise ValueError(f"{name} is empty (shape {matrix.shape})")
    if matrix.nnz and (not np.isfinite(matrix.data).all() or matrix.data.min() < 0):
        raise ValueError(f"{name} must hold non-negative finite counts")
    matrix.sum_duplicates()
    return matrix, rows, cols


def lexical_table(dtm: DocumentTermMatrix, column: str, *, dropna: bool = True) -> pd.DataFrame:
    """Parts × terms counts: the rows of ``dtm`` summed by the metadata ``column``.

    Documents whose ``column`` is missing are left out when ``dropna`` (their number is in
    ``attrs["dropped"]``). The result is a DataFrame of integer counts (sparse input summed
    sparsely: only the parts × terms result is dense, so keep the vocabulary pruned).

    Example: ``lexical_table(dtm, "group")`` gives the parliamentary groups × terms table.
    """
    if column not in dtm.metadata.columns:
        raise KeyError(f"no metadata column {column!r} (columns: {list(dtm.metadata.columns)})")
    values = dtm.metadata[column]
    missing = values.isna().to_numpy()
    if missing.any() and not dropna:
        raise ValueError(f"{int(missing.sum())} documents have no {column!r}")
    keep = np.flatnonzero(~missing)
    labels, codes = np.unique(values.iloc[keep].astype(str).to_numpy(), return_inverse=True)
    indicator = sp.csr_matrix((np.ones(len(keep)), (codes, keep)), shape=(len(labels), dtm.shape[0]))
    summed = (indicator @ dtm.matrix).toarray().astype(np.int64)
    out = pd.DataFrame(summed, index=pd.Index(labels, name=column), columns=dtm.vocabulary)
    out.attrs["dropped"] = int(missing.sum())
    return out
