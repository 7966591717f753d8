"""The per-document analyser: the French rules applied to one text.

For each document, in order (the :class:`~discourse.Preprocessor` runs this over a corpus,
in batches and worker processes, with its cache and filters):

1. normalisation (:mod:`discourse.lang.fr.normalize`), with a map back to the original offsets;
2. person names found (:mod:`discourse.lang.fr.names`), if asked; boilerplate spans blanked
   (:mod:`discourse.lang.fr.boilerplate`), if asked;
3. tokenisation (:mod:`discourse.lang.fr.tokenize`): elisions split, clitics, sentences;
4. lemmas (:class:`~discourse.lang.fr.lemmatize.FastLemmatizer`, in context) and, with the
   ``accurate`` backend, spaCy's POS on *our* tokens;
5. multiword expressions joined (:mod:`discourse.lang.fr.expressions`);
6. stop-word flags (:mod:`discourse.lang.fr.stop_words`); offsets mapped back to the text given.

>>> r = Analyzer(analyzer_config("fast")).process_many(["Le respect de l’état de droit."])[0]
>>> list(zip(r.forms, r.lemmas))[3:5]
[("l'", 'le'), ('état de droit', 'état de droit')]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import compress, product
from typing import Any

import numpy as np

from discourse._optional import require
from discourse.lang.fr import boilerplate as _bp
from discourse.lang.fr.expressions import ExpressionLexicon
from discourse.lang.fr.lemmatize import FastLemmatizer
from discourse.lang.fr.names import find_person_names
from discourse.lang.fr.normalize import APOSTROPHES, QUOTES, normalize_with_map
from discourse.lang.fr.stop_words import stop_words as _stop_words
from discourse.lang.fr.tokenize import ELISIONS, scan_arrays

__all__ = ["Analysis", "Analyzer", "analyzer_config", "BACKENDS"]

BACKENDS = ("fast", "accurate")
_CHANGED_RE = re.compile("[" + re.escape(APOSTROPHES + QUOTES) + "\u00a0\u202f\u2007\u2009\u00ad\u200b\ufb01\ufb02\u2010\u2011]")
_NLP_CACHE: dict[tuple[str, tuple[str, ...]], Any] = {}
# every spelling of the elided forms (l' L' qu' Qu' QU' …), so that they are counted by a set
# lookup run in C over a document's tokens rather than a Python test per token
_ELIDED = frozenset("".join(p) + "'" for e in ELISIONS for p in product(*((c, c.upper()) for c in e[:-1])))
_S_ELIDED = frozenset({"s'", "S'"})


def analyzer_config(backend: str, **kw: Any) -> dict[str, Any]:
    """The configuration of an :class:`Analyzer`: defaults of :func:`~discourse.analyze`, overridden by ``kw``.

    >>> analyzer_config("fast", expressions=False)["expressions"]
    False
    """
    cfg = dict(backend=backend, spacy_model=None, fold_state=False, expressions=True, boilerplate=(), parse=False, stop_set=sorted(_stop_words()))
    cfg.update(kw)
    return cfg


@dataclass
class Analysis:
    """One analysed document: tokens (forms, lemmas, POS, offsets into the original text, sentences) and what was done."""

    forms: list[str]
    lemmas: list[str]
    pos: list[str | None]
    starts: np.ndarray  # int64 offsets into the original text
    ends: np.ndarray
    sents: list[int]
    stops: list[bool] | None
    n_changed: int = 0
    boilerplate: list[tuple[str, str]] = field(default_factory=list)
    n_raw: int = 0
    n_elisions: int = 0
    joined: list[str] = field(default_factory=list)
    names: list[bool] | None = None  # per token: inside a person's name (drop_person_names)


class Analyzer:
    """The French rules applied to one document, configured once (rebuilt inside each worker process).

    ``config`` is :func:`analyzer_config`'s dictionary (the :class:`~discourse.Preprocessor` builds it
    from its parameters). :meth:`process_many` analyses texts; nothing is filtered here.

    >>> a = Analyzer(analyzer_config("fast"))
    >>> r = a.process_many(["L’État de droit."])[0]
    >>> r.forms, r.lemmas
    (["L'", 'État de droit', '.'], ['le', 'état de droit', '.'])
    """

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.backend = config["backend"]
        if self.backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, not {self.backend!r}")
        self.lem = FastLemmatizer(fold_state=config["fold_state"])
        self.lexicon = ExpressionLexicon.default() if config["expressions"] else None
        self.stops = frozenset(config["stop_set"])
        kinds = config["boilerplate"]
        self.kinds = tuple(kinds) if kinds else ()
        names = config.get("person_names", False)
        self.known_names: tuple[str, ...] | None = None if names is False else tuple(names) if names is not True else ()
        self._nlp = None
        self.flag_stops = True  # the Preprocessor sets stop flags per vocabulary entry instead
        self._stop_form: dict[str, bool] = {}
        self._stop_lemma: dict[str, bool] = {}

    # ---------------------------------------------------------------- spaCy
    @property
    def nlp(self):
        if self._nlp is None:
            require("spacy", "accurate", "backend='accurate'")
            import spacy

            name = self.config.get("spacy_model") or "fr_core_news_sm"
            exclude = [] if self.config.get("parse") else ["parser", "ner", "senter"]
            key = (name, tuple(exclude))
            if key not in _NLP_CACHE:  # one model per process, whatever the other options
                try:
                    _NLP_CACHE[key] = spacy.load(name, exclude=exclude)
                except OSError as err:
                    raise RuntimeError(f"spaCy model {name!r} is not installed (pip install {name.replace('_', '-')}); it is never downloaded at run time") from err
            self._nlp = _NLP_CACHE[key]
        return self._nlp

    def warm(self) -> Analyzer:
        """Load every dictionary and model now (before timing, or before forking workers)."""
        from discourse.lang.fr.lemmatize import is_known_word

        self.lem.lemma("renforcés")
        self.lem.lemma("marché", pos="VERB")  # the context table and the verb list
        is_known_word("avis")
        if self.lexicon is not None:
            self.lexicon.find(["etat", "de", "droit"], [0, 0, 0])
        if self.kinds:
            _bp.find_boilerplate("La séance est levée.", self.kinds)  # compiles its patterns
        if self.backend == "accurate":
            _ = self.nlp
        return self

    def _stop_flags(self, forms: list[str], lemmas: list[str]) -> list[bool]:
        sf, sl, stops = self._stop_form, self._stop_lemma, self.stops
        out = []
        for f, lm in zip(forms, lemmas):
            a = sf.get(f)
            if a is None:
                a = sf[f] = f.lower() in stops
            if not a:
                a = sl.get(lm)
                if a is None:
                    a = sl[lm] = lm.lower() in stops
            out.append(a)
        return out

    # ---------------------------------------------------------------- documents
    def _prepare(self, text: str) -> tuple[str, Any, list[str], np.ndarray, np.ndarray, list[int], int, list[tuple[str, str]], list[tuple[int, int]] | None]:
        norm, omap = normalize_with_map(text)
        # names are found before boilerplate is blanked: "La parole est à M. Jean Dupont"
        # tells that "Dupont" is a name wherever it appears in the document
        names = find_person_names(norm, self.known_names) if self.known_names is not None else None
        n_changed = len(_CHANGED_RE.findall(text)) if not text.isascii() else 0
        n_changed += sum(len(p[0]) for p in omap.passes)
        spans: list[tuple[str, str]] = []
        if self.kinds:
            found = _bp.find_boilerplate(norm, self.kinds)
            if found:
                norm = _bp.blank_spans(norm, found)
                spans = [(k, line) for _s, _e, k, line in found]
        forms, starts, ends, sents = scan_arrays(norm)  # offsets as numpy arrays, as stored
        return norm, omap, forms, starts, ends, sents, n_changed, spans, names

    def process_many(self, texts: Sequence[str]) -> list[Analysis]:
        prepared = [self._prepare(t) for t in texts]
        if self.backend == "fast":
            in_context = self.lem.lemmas_in_context
            tagged = [(in_context(forms, sents), [None] * len(forms)) for _n, _o, forms, _st, _en, sents, *_ in prepared]
        else:
            from spacy.tokens import Doc

            nlp = self.nlp
            docs = []
            for norm, _omap, forms, starts, ends, _sents, *_ in prepared:
                starts, ends = starts.tolist(), ends.tolist()
                spaces = [ends[i] < len(norm) and (i + 1 == len(forms) or starts[i + 1] > ends[i]) for i in range(len(forms))]
                docs.append(Doc(nlp.vocab, words=forms, spaces=spaces) if forms else Doc(nlp.vocab, words=[]))
            tagged = []
            # small batches: whole sittings are long, and spaCy pads a batch to its longest doc
            for (norm, _o, forms, _s, _e, sents, *_), doc in zip(prepared, nlp.pipe(docs, batch_size=4)):
                lems, poss = [], []
                prev = -1
                for tok, s in zip(doc, sents):
                    poss.append(tok.pos_ or None)
                    lems.append(self.lem.lemma(tok.text, s != prev, tok.pos_ or None))
                    prev = s
                tagged.append((lems, poss))
        out = []
        for (norm, omap, forms, starts, ends, sents, n_changed, spans, names), (lems, poss) in zip(prepared, tagged):
            n_raw = len(forms)
            if "s'" in norm or "S'" in norm:
                # s' before il/ils is the conjunction si, not the pronoun se
                for i in compress(range(n_raw - 1), map(_S_ELIDED.__contains__, forms)):
                    if forms[i + 1].lower() in ("il", "ils"):
                        lems[i] = "si"
            n_elisions = sum(map(_ELIDED.__contains__, forms))
            joined: list[str] = []
            if self.lexicon is not None and forms:
                forms, lems, poss, starts, ends, sents, joined = self.lexicon.merge(norm, forms, lems, poss, starts, ends, sents)
            is_stop = self._stop_flags(forms, lems) if self.flag_stops else None
            in_name = _inside(starts.tolist(), ends.tolist(), names) if names is not None else None
            if not omap.is_identity and forms:
                starts = omap.to_original(starts)
                ends = omap.to_original_end(ends)
            out.append(Analysis(forms, lems, poss, starts, ends, sents, is_stop, n_changed, spans, n_raw, n_elisions, joined, in_name))
        return out


def _inside(starts: list[int], ends: list[int], spans: list[tuple[int, int]]) -> list[bool]:
    """For each token (sorted by start), whether it lies within one of the sorted spans."""
    flags = [False] * len(starts)
    k = 0
    for i, (s, e) in enumerate(zip(starts, ends)):
        while k < len(spans) and spans[k][1] <= s:
            k += 1
        if k < len(spans) and spans[k][0] <= s and e <= spans[k][1]:
            flags[i] = True
    return flags
