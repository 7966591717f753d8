"""Data-driven phrases: word runs a corpus uses often enough to be one token (gensim ``Phrases``).

:class:`PhraseDetector` learns them from the lemmas of a :class:`~discourse.tokens.Tokens`
and rewrites tokens with each phrase joined; also importable from :mod:`discourse.preprocess`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np

from discourse._optional import require
from discourse.lang.fr.normalize import normalize
from discourse.tokens import ATTRIBUTES, Tokens

__all__ = ["PhraseDetector"]


class PhraseDetector:
    """Data-driven phrases (gensim ``Phrases``) with French connector words.

    Learns frequent word pairs (and, with ``passes=2``, longer runs) from a ``Tokens``
    object's lemmas; connector words (``de``, ``du``, ``la``, ``l'`` …) may sit inside a
    phrase without counting (``ministre de l'intérieur``). :meth:`transform` returns new
    ``Tokens`` where each learned phrase is one token (lemma joined with spaces, offsets
    from its first to its last word) with an audit row.

    >>> from discourse.tokens import Tokens
    >>> toks = Tokens.from_lists([["garde", "à", "vue", "prolonger"]] * 30 + [["garde", "prolonger"]])
    >>> PhraseDetector(min_count=5, threshold=0.1).fit(toks).transform(toks).to_lists()[0]
    ['garde à vue', 'prolonger']
    """

    CONNECTORS = frozenset("de du des la le les l' d' à au aux en pour contre sur sous par avec et dans entre un une".split())

    def __init__(self, min_count: int = 5, threshold: float = 0.5, scoring: str = "npmi", passes: int = 1, connector_words: Iterable[str] | None = None) -> None:
        self.min_count = min_count
        self.threshold = threshold
        self.scoring = scoring
        self.passes = passes
        self.connector_words = connector_words

    def fit(self, tokens: Tokens) -> PhraseDetector:
        """Learn phrases from the lemmas of ``tokens``."""
        require("gensim", "gensim", "PhraseDetector")
        from gensim.models.phrases import Phrases

        connectors = frozenset(self.connector_words) if self.connector_words is not None else self.CONNECTORS
        sentences = self._sentences(tokens)
        self.models_ = []
        for _ in range(self.passes):
            model = Phrases(sentences, min_count=self.min_count, threshold=self.threshold, scoring=self.scoring,
                            connector_words=connectors, delimiter="\x1f").freeze()
            self.models_.append(model)
            sentences = [model[s] for s in sentences]
        self.phrases_ = sorted({p.replace("\x1f", " ") for m in self.models_ for p in m.phrasegrams})
        return self

    @staticmethod
    def _units(tokens: Tokens) -> tuple[list[int], list[str], list[int]]:
        """Lemma codes, the lemma of each code as one unit (an already-joined expression stays
        one word for gensim), and the token positions where a sentence opens (plus the end)."""
        units = [lm.replace(" ", "\x1f") for lm in tokens.vocab("lemma")]
        n = tokens.n_tokens
        sents = tokens.sents
        opens = np.zeros(n, dtype=bool)
        if n:
            opens[1:] = sents[1:] != sents[:-1]
            doc_starts = tokens.doc_offsets[:-1]
            opens[doc_starts[doc_starts < n]] = True
        return tokens.codes("lemma").tolist(), units, np.flatnonzero(opens).tolist() + [n]

    @classmethod
    def _sentences(cls, tokens: Tokens) -> list[list[str]]:
        codes, units, bounds = cls._units(tokens)
        return [[units[c] for c in codes[a:b]] for a, b in zip(bounds[:-1], bounds[1:])]

    def transform(self, tokens: Tokens) -> Tokens:
        """New Tokens with the learned phrases joined (one audit row).

        Works on the token columns: the models rewrite each sentence's lemma list, and each
        output word is matched back to the run of input tokens it joins by its length (a
        joined word is its parts with one separator between them), so no per-token object is
        built. A joined token keeps the first token's sentence and POS, spans from the first
        token's start to the last one's end, and its form is the original text of that span.
        """
        if not hasattr(self, "models_"):
            raise RuntimeError("PhraseDetector is not fitted: call fit(tokens) first")
        n = tokens.n_tokens
        lemma_vocab = tokens.vocab("lemma")
        codes, units, bounds = self._units(tokens)
        unit_length = [len(u) for u in units]
        first: list[int] = []  # for each output token, its first input token
        size: list[int] = []  # and how many input tokens it joins
        for a, b in zip(bounds[:-1], bounds[1:]):
            words = [units[c] for c in codes[a:b]]
            for model in self.models_:
                words = model[words]
            if len(words) == b - a:
                first.extend(range(a, b))
                size.extend([1] * (b - a))
                continue
            q = a
            for w in words:
                start, joined = q, -1
                while joined < len(w):
                    joined += unit_length[codes[q]] + 1
                    q += 1
                first.append(start)
                size.append(q - start)
        first_arr = np.asarray(first, dtype=np.int64)
        size_arr = np.asarray(size, dtype=np.int64)
        last_arr = first_arr + size_arr - 1
        new_codes = {a: tokens.codes(a)[first_arr].copy() for a in ATTRIBUTES}
        vocabs = {a: list(tokens.vocab(a)) for a in ATTRIBUTES}
        index = {a: {v: i for i, v in enumerate(vocabs[a])} for a in ("form", "lemma")}

        def code(attribute: str, value: str) -> int:
            table = index[attribute]
            c = table.get(value)
            if c is None:
                c = table[value] = len(vocabs[attribute])
                vocabs[attribute].append(value)
            return c

        is_stop = tokens.is_stop[first_arr].copy()
        merged: Counter = Counter()
        doc_of = tokens.doc_index()
        forms = tokens.vocab("form")
        form_codes = tokens.codes("form")
        for o in np.flatnonzero(size_arr > 1).tolist():
            f, l = int(first_arr[o]), int(last_arr[o]) + 1
            lemma = " ".join(lemma_vocab[c] for c in codes[f:l])
            if tokens.texts is not None:
                text = normalize(tokens.texts[doc_of[f]][tokens.starts[f]:tokens.ends[l - 1]])
            else:
                text = " ".join(forms[c] for c in form_codes[f:l].tolist())
            new_codes["form"][o] = code("form", " ".join(text.split()))
            new_codes["lemma"][o] = code("lemma", lemma)
            is_stop[o] = False
            merged[lemma] += 1
        per_doc = np.bincount(doc_of[first_arr], minlength=len(tokens)) if n else np.zeros(len(tokens), dtype=np.int64)
        new = Tokens(
            doc_ids=tokens.doc_ids, doc_offsets=np.concatenate([[0], np.cumsum(per_doc)]), codes=new_codes, vocabs=vocabs,
            starts=tokens.starts[first_arr], ends=tokens.ends[last_arr], sents=tokens.sents[first_arr], is_stop=is_stop,
            metadata=tokens.metadata, texts=tokens.texts, audit=tokens._audit, config=tokens.config,
        )
        return new.add_audit("phrases (gensim)", tokens_before=tokens.n_tokens, tokens_after=new.n_tokens, merged=sum(merged.values()),
                             examples=[f"{p} ×{c}" for p, c in merged.most_common(5)])
