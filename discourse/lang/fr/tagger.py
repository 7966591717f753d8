"""A small averaged-perceptron word-class tagger for the fast lemmatiser.

The fast backend has no part-of-speech tagger, yet a few forms need one to get their lemma:
« marché » is a noun (*marché*) after « le » and a verb (*marcher*) after « a »; « Blanc »
inside a sentence is a surname after « M. » and a colour in « le Blanc de Meudon ». This module
decides the word class of those tokens only — the ambiguous ones, a few percent of a text — so
the fast backend stays fast.

The model is a linear classifier over five classes (``NOUN``, ``VERB``, ``ADJ``, ``PROPN``,
``O`` for any other class) with sparse string features of the token and of its neighbours
(:func:`features`): the word, its suffixes and shape, the word on each side and their usual
classes. It is trained by ``scripts/learn_lemma_context.py tagger`` with the averaged
perceptron (each weight is averaged over all training steps, which makes a perceptron about as
good as a logistic regression and much quicker to train) on text of the shipped corpora tagged
by the *accurate* backend (spaCy ``fr_core_news_md`` on our tokens) — never on UD French-GSD.
The weights are data, not code: ``lemma_tagger.tsv.gz``, one feature a line with its five
weights (no pickle).

>>> from discourse.lang.fr.lemmatize import context_table
>>> tagger = lemma_tagger(context_table().classes)
>>> forms = ["Le", "marché", "a", "marché", "."]
>>> [tagger.predict(forms, i, 0, 5) for i in (1, 3)]
['NOUN', 'VERB']
"""

from __future__ import annotations

import copy
import gzip
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["CLASSES", "PerceptronTagger", "context_class", "features", "lemma_tagger", "TAGGER_PATH"]

CLASSES = ("NOUN", "VERB", "ADJ", "PROPN", "O")
TAGGER_PATH = Path(__file__).parent / "lemma_tagger.tsv.gz"
FORMS_PATH = Path(__file__).parent / "lemma_tagger_forms.tsv"


_LETTER = re.compile(r"[^\W\d_]")


def context_class(form: str, classes: dict[str, str]) -> str:
    """The class of a neighbour word: its learnt UPOS if frequent, else its shape.

    >>> context_class("le", {"le": "DET"}), context_class("Blanc", {}), context_class("12", {})
    ('DET', 'Cap', 'NUM')
    """
    c = classes.get(form.lower())
    if c is not None:
        return c
    if form[:1].isupper():
        return "Cap"
    if not _LETTER.search(form):
        return "NUM" if any(ch.isdigit() for ch in form) else "PUNCT"
    return "W"


def _shape(form: str) -> str:
    if form.islower():
        return "l"
    if form[:1].isupper():
        if form[1:].islower() or len(form) == 1:
            return "C"
        if form.isupper():
            return "U"
    return "M"


def features(forms: list[str], i: int, start: int, end: int, classes: dict[str, str]) -> list[str]:
    """The features of token ``i`` of ``forms`` in the sentence ``forms[start:end]``.

    ``classes`` maps frequent lowercase words to their usual UPOS (the ``class`` rows of the
    context table); a neighbour it does not list is described by its shape.

    >>> features(["la", "directive", "européenne"], 1, 0, 3, {"la": "DET"})[:4]
    ['b', 'w=directive', 's1=e', 's2=ve']
    """
    low = forms[i].lower()
    sh = _shape(forms[i]) + ("i" if i == start else "")
    return _own_features(low, sh) + _context_features(forms, i, start, end, classes, low, sh)


def _own_features(low: str, sh: str) -> list[str]:
    """Features of the token alone (cached per form by :meth:`PerceptronTagger.predict`)."""
    return ["b", "w=" + low, "s1=" + low[-1:], "s2=" + low[-2:], "s3=" + low[-3:], "s4=" + low[-4:], "sh=" + sh]


def _context_features(forms: list[str], i: int, start: int, end: int, classes: dict[str, str], low: str, sh: str) -> list[str]:
    # only the next word on each side: the prediction is then a function of three forms, which
    # :meth:`PerceptronTagger.predict` caches (« vous avez », « le Gouvernement » recur)
    p1 = forms[i - 1].lower() if i > start else "<S>"
    n1 = forms[i + 1].lower() if i + 1 < end else "</S>"
    pc = context_class(forms[i - 1], classes) if i > start else "<S>"
    nc = context_class(forms[i + 1], classes) if i + 1 < end else "</S>"
    s3 = low[-3:]
    return [
        "p1=" + p1, "n1=" + n1, "pc=" + pc, "nc=" + nc, "pcnc=" + pc + "|" + nc, "pcw=" + pc + "|" + low, "p1w=" + p1 + "|" + low,
        "wn1=" + low + "|" + n1, "shpc=" + sh + "|" + pc, "s3pc=" + s3 + "|" + pc, "s3nc=" + s3 + "|" + nc,
    ]


class PerceptronTagger:
    """A linear word-class classifier: ``weights[feature]`` is a vector of one weight a class.

    Parameters
    ----------
    weights:
        ``feature → array of len(CLASSES)`` (averaged weights).
    classes:
        The usual class of frequent words, for the neighbours' features.
    """

    def __init__(self, weights: dict[str, np.ndarray], classes: dict[str, str], forms: dict[str, str] | None = None) -> None:
        self.weights = weights
        self.classes = classes
        self.forms = forms or {}
        # forms that had one class in ≥ 95 % of at least 10 training examples, or that only a verb
        # can be, need no tagging
        self.settled = {f: c for f, c in self.forms.items() if c != "*"}
        # plain lists: summing five floats in Python beats numpy's call overhead here
        self._w = {k: v.tolist() for k, v in weights.items()}

    def scores(self, feats: Iterable[str]) -> list[float]:
        """The score of each class for a list of features."""
        s = [0.0, 0.0, 0.0, 0.0, 0.0]
        get = self._w.get
        for f in feats:
            w = get(f)
            if w is not None:
                s[0] += w[0]
                s[1] += w[1]
                s[2] += w[2]
                s[3] += w[3]
                s[4] += w[4]
        return s

    def predict(self, forms: list[str], i: int, start: int, end: int, cache: dict | None = None) -> str:
        """The class (one of :data:`CLASSES`) of token ``i`` in the sentence ``forms[start:end]``;
        ``cache`` (a dict the caller owns, e.g. one per lemmatiser) keeps the class of each
        (previous, form, next) seen, which decides it."""
        f = forms[i]
        key = (forms[i - 1] if i > start else "<S>", f, forms[i + 1] if i + 1 < end else "</S>", i == start)
        if cache is None:
            cache = {}
        cls = cache.get(key)
        if cls is None:
            sh = _shape(f) + ("i" if i == start else "")
            low = f.lower()
            # the token's own features score alike wherever it stands: summed once per form
            own = cache.get((f, sh))
            if own is None:
                own = cache[f, sh] = self.scores(_own_features(low, sh))
            s = self.scores(_context_features(forms, i, start, end, self.classes, low, sh))
            s = [own[0] + s[0], own[1] + s[1], own[2] + s[2], own[3] + s[3], own[4] + s[4]]
            if len(cache) > 500_000:
                cache.clear()  # a bound on memory over a very large corpus
            cls = cache[key] = CLASSES[s.index(max(s))]
        return cls

    @classmethod
    def train(cls, examples: list[tuple[list[str], str]], classes: dict[str, str], *, n_iter: int = 5, seed: int = 0,
              min_weight: float = 0.0) -> PerceptronTagger:
        """Averaged perceptron on ``(features, class)`` examples, shuffled each epoch with ``seed``.

        >>> ex = [(["b", "w=marché", "p1=le"], "NOUN"), (["b", "w=marché", "p1=a"], "VERB")] * 5
        >>> t = PerceptronTagger.train(ex, {}, n_iter=3)
        >>> CLASSES[int(np.argmax(t.scores(["b", "w=marché", "p1=a"])))]
        'VERB'
        """
        k = len(CLASSES)
        index = {c: j for j, c in enumerate(CLASSES)}
        w: dict[str, list[float]] = {}
        total: dict[str, list[float]] = {}
        stamp: dict[str, list[int]] = {}
        rng = np.random.default_rng(seed)
        step = 0
        order = np.arange(len(examples))
        for _ in range(n_iter):
            rng.shuffle(order)
            for e in order.tolist():
                feats, gold = examples[e]
                step += 1
                s = [0.0] * k
                for f in feats:
                    v = w.get(f)
                    if v is not None:
                        for j in range(k):
                            s[j] += v[j]
                guess = s.index(max(s))
                g = index[gold]
                if guess == g:
                    continue
                for f in feats:
                    v = w.get(f)
                    if v is None:
                        v = w[f] = [0.0] * k
                        total[f] = [0.0] * k
                        stamp[f] = [0] * k
                    t, st = total[f], stamp[f]
                    for j, d in ((g, 1.0), (guess, -1.0)):
                        t[j] += (step - st[j]) * v[j]
                        st[j] = step
                        v[j] += d
        weights = {}
        for f, v in w.items():
            t, st = total[f], stamp[f]
            avg = np.array([(t[j] + (step - st[j]) * v[j]) / step for j in range(k)])
            if np.abs(avg).max() > min_weight:
                weights[f] = avg
        return cls(weights, classes)

    def save(self, path: Path) -> None:
        """Write the weights as a gzipped TSV (``feature`` then one weight a class), sorted, and
        the forms to tag (``FORMS_PATH``: form, then ``*`` or the class of a settled form)."""
        FORMS_PATH.write_text("# forms the fast lemmatiser's tagger reads: form, then * (tag it) or its one class (settled)\n"
                              + "".join(f"{f}\t{c}\n" for f, c in sorted(self.forms.items())), encoding="utf-8")
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as out:
            out.write("# averaged-perceptron weights of the fast lemmatiser's tagger; columns: feature " + " ".join(CLASSES) + "\n")
            for f in sorted(self.weights):
                out.write(f + "\t" + "\t".join(f"{x:.3g}" for x in self.weights[f]) + "\n")

    @classmethod
    def load(cls, path: Path, classes: dict[str, str]) -> PerceptronTagger:
        """Read weights written by :meth:`save`; a malformed line is an error naming it."""
        weights = {}
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if line.startswith("#"):
                    continue
                row = line.rstrip("\n").split("\t")
                if len(row) != len(CLASSES) + 1:
                    raise ValueError(f"{path}, line {n}: expected a feature and {len(CLASSES)} weights, got {len(row)} fields")
                weights[row[0]] = np.array([float(x) for x in row[1:]])
        forms = {}
        for n, line in enumerate(FORMS_PATH.read_text(encoding="utf-8").splitlines(), 1):
            if line and not line.startswith("#"):
                row = line.split("\t")
                if len(row) != 2 or row[1] not in (*CLASSES, "*"):
                    raise ValueError(f"{FORMS_PATH}, line {n}: expected a form and a class or *, got {line!r}")
                forms[row[0]] = row[1]
        return cls(weights, classes, forms)


@lru_cache(maxsize=1)
def _shipped() -> PerceptronTagger | None:
    return PerceptronTagger.load(TAGGER_PATH, {}) if TAGGER_PATH.exists() and FORMS_PATH.exists() else None


def lemma_tagger(classes: dict[str, str] | None = None) -> PerceptronTagger | None:
    """The shipped tagger (``lemma_tagger.tsv.gz``, read once), or None when the file is absent;
    ``classes`` are the usual classes of frequent words for the neighbours' features (the
    ``class`` rows of ``lemma_context.tsv``, which :class:`FastLemmatizer` passes)."""
    tagger = _shipped()
    if tagger is None or classes is None:
        return tagger
    view = copy.copy(tagger)  # shares the weights
    view.classes = classes
    return view
