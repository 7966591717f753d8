"""One provenance record, carried from the corpus to the tokens, the matrix and the tables.

A :class:`Provenance` is a list of steps (what was done, with its parameters) and of what was
left out (which document, at which step, why). Each stage returns a new record that extends
the one it received, so the last object of a chain (a matrix, a model's input) knows its
whole history, and the manifest of ``discourse run`` reads that record instead of
reassembling it from each object.

Example
-------
>>> from discourse import Corpus
>>> corpus = Corpus.from_texts(["L’état de droit.", ""], ids=["a", "b"]).drop(["b"], reason="texte vide")
>>> record = Provenance.from_corpus(corpus).then("preprocess", "Preprocessor(backend='fast')")
>>> [step.stage for step in record.steps]
['corpus', 'corpus', 'preprocess']
>>> record.skipped_table().to_dict("records")
[{'doc_id': 'b', 'stage': 'corpus', 'reason': 'texte vide'}]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

__all__ = ["Step", "Provenance"]


@dataclass(frozen=True)
class Step:
    """One thing done to the data: the stage, a description and how many documents it left out."""

    stage: str
    description: str
    left_out: int = 0


@dataclass(frozen=True)
class Provenance:
    """What was done (``steps``) and what was left out and why (``skipped``: doc_id, stage, reason)."""

    steps: tuple[Step, ...] = ()
    skipped: tuple[tuple[str, str, str], ...] = field(default=())

    @classmethod
    def from_corpus(cls, corpus: Any) -> Provenance:
        """The record of a :class:`~discourse.corpus.Corpus`: its ``history`` and its ``skipped`` table.

        >>> from discourse import Corpus
        >>> Provenance.from_corpus(Corpus.from_texts(["Bonjour."])).steps[0].description
        'from_texts(n=1)'
        """
        skipped = corpus.skipped
        reasons = skipped["reason"].astype(str) if "reason" in skipped.columns else [""] * len(skipped)
        rows = tuple((str(d), "corpus", str(r)) for d, r in zip(skipped.iloc[:, 0].astype(str), reasons))
        return cls(steps=tuple(Step("corpus", str(h)) for h in corpus.history), skipped=rows)

    def then(self, stage: str, description: str, skipped: Iterable[tuple[str, str]] = ()) -> Provenance:
        """A new record with one more step; ``skipped`` lists ``(doc_id, reason)`` left out by it.

        >>> Provenance().then("dtm", "min_df=3", [("d7", "no tokens after pruning")]).skipped
        (('d7', 'dtm', 'no tokens after pruning'),)
        """
        rows = tuple((str(d), stage, str(r)) for d, r in skipped)
        return Provenance(self.steps + (Step(stage, description, len(rows)),), self.skipped + rows)

    def skipped_table(self) -> pd.DataFrame:
        """Every document left out: ``doc_id``, ``stage``, ``reason``."""
        return pd.DataFrame(list(self.skipped), columns=["doc_id", "stage", "reason"])

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form (steps, and the count of documents left out by each reason)."""
        counts: dict[str, int] = {}
        for _, stage, reason in self.skipped:
            key = f"{stage}: {reason}"
            counts[key] = counts.get(key, 0) + 1
        return {"steps": [{"stage": s.stage, "description": s.description, "left_out": s.left_out} for s in self.steps],
                "left_out": counts}

    def to_state(self) -> dict[str, Any]:
        """The whole record as JSON-able lists (for :mod:`discourse.storage` files)."""
        return {"steps": [[s.stage, s.description, s.left_out] for s in self.steps], "skipped": [list(r) for r in self.skipped]}

    @classmethod
    def from_state(cls, data: Any) -> Provenance:
        """The inverse of :meth:`to_state`, every entry checked (a saved file is data, never trusted).

        >>> record = Provenance().then("corpus", "head(5)", [("d1", "texte vide")])
        >>> Provenance.from_state(record.to_state()) == record
        True
        """
        if not data:
            return cls()
        if not isinstance(data, dict) or set(data) != {"steps", "skipped"}:
            raise ValueError("'provenance' must hold 'steps' and 'skipped'")
        steps, skipped = data["steps"], data["skipped"]
        if not isinstance(steps, list) or not all(
                isinstance(s, list) and len(s) == 3 and isinstance(s[0], str) and isinstance(s[1], str)
                and isinstance(s[2], int) and not isinstance(s[2], bool) and s[2] >= 0 for s in steps):
            raise ValueError("'provenance.steps' must be a list of [stage, description, left_out]")
        if not isinstance(skipped, list) or not all(
                isinstance(r, list) and len(r) == 3 and all(isinstance(x, str) for x in r) for r in skipped):
            raise ValueError("'provenance.skipped' must be a list of [doc_id, stage, reason]")
        return cls(tuple(Step(*s) for s in steps), tuple(tuple(r) for r in skipped))  # type: ignore[misc]
