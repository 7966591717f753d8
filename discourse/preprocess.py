"""French preprocessing: from raw texts to :class:`~discourse.tokens.Tokens`.

Two entry points:

- :func:`analyze` — every token of one text (nothing filtered) as :class:`Token` objects;
- :class:`Preprocessor` — a whole corpus (or a stream of texts) to a ``Tokens`` object, with
  stop words, filters, aliases, an on-disk cache, ``n_jobs`` processes and an audit table
  (one row a stage: normalisation, boilerplate, tokenisation, expressions, aliases, filters).

The stages, in order, for each document (the per-document analyser,
:class:`discourse.lang.fr.analyzer.Analyzer`; the Preprocessor runs it in batches and worker
processes, with the cache, the filters and the audit):

1. normalisation (:mod:`discourse.lang.fr.normalize`), with a map back to the original offsets;
2. boilerplate spans blanked (:mod:`discourse.lang.fr.boilerplate`), if asked;
3. tokenisation (:mod:`discourse.lang.fr.tokenize`): elisions split, clitics, sentences;
4. lemmas and POS: ``backend="fast"`` (simplemma + our rules, no POS) or
   ``backend="accurate"``: spaCy ``fr_core_news_sm``/``md`` tags *our* tokens (a ``Doc`` built
   from them, so its own elision and apostrophe errors cannot happen; parser and NER
   excluded), POS = spaCy UPOS; the lemma is the fast lemmatiser's, read as spaCy's word
   class (one rule ladder for both backends, :meth:`FastLemmatizer.lemma` with ``pos``):
   ``marché`` NOUN → marché, VERB → marcher; PROPN keep their form. The fast backend reads
   ambiguous forms with a small word-class tagger learnt from this backend's tags on the
   shipped corpora (:mod:`discourse.lang.fr.tagger`). Accuracy: ``benchmarks/eval_gsd``;
5. multiword expressions joined (:mod:`discourse.lang.fr.expressions`);
6. stop-word flags (:mod:`discourse.lang.fr.stop_words`).

Offsets always point into the text given: ``text[start:end]`` is the token as written there.

>>> from discourse.preprocess import analyze
>>> [(t.form, t.lemma) for t in analyze("L’État de droit et l’ONU.")][:4]
[("L'", 'le'), ('État de droit', 'état de droit'), ('et', 'et'), ("l'", 'le')]
"""

from __future__ import annotations

import json
import multiprocessing as mp
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from itertools import count
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from discourse.base import Estimator, check_bool, deprecated_alias, renamed_parameter, check_choice, check_int, check_n_jobs, check_stop_words, effective_n_jobs
from discourse.cache import PreprocessCache, canonical_json
from discourse.corpus import SURROGATE, surrogate_message
from discourse.lang.fr import boilerplate as _bp
from discourse.lang.fr.analyzer import BACKENDS, Analysis, Analyzer, analyzer_config
from discourse.lang.fr.expressions import read_aliases
from discourse.lang.fr.stem import stem_table
from discourse.lang.fr.stop_words import DOMAINS as _STOP_DOMAINS
from discourse.lang.fr.stop_words import stop_words as _stop_words
from discourse.phrases import PhraseDetector  # re-exported: its home is discourse.phrases
from discourse.provenance import Provenance
from discourse.tokens import ATTRIBUTES, Token, Tokens

__all__ = ["analyze", "Preprocessor", "PhraseDetector", "BACKENDS"]

#: default ``max_document_chars``: far above a sitting or a novel (a few million characters)
MAX_DOCUMENT_CHARS = 10_000_000
_FORMAT = 3  # bump when the output of the pipeline changes (invalidates caches)


# The per-document analyser (the French rules applied to one text) lives in
# discourse.lang.fr.analyzer; the old private names stay for scripts and benchmarks.
_DocResult = Analysis
_Pipeline = Analyzer
_default_config = analyzer_config


# Worker-process state (one pipeline per process, built by the initializer).
_WORKER: _Pipeline | None = None


def _init_worker(config: dict[str, Any]) -> None:
    global _WORKER
    _WORKER = _shared_pipeline(config)


_PIPELINES: dict[str, _Pipeline] = {}


def _shared_pipeline(config: dict[str, Any], flag_stops: bool = False) -> _Pipeline:
    """One pipeline per configuration and process, so lemma caches and spaCy survive calls."""
    key = json.dumps(config, sort_keys=True) + str(flag_stops)
    pipe = _PIPELINES.get(key)
    if pipe is None:
        pipe = _PIPELINES[key] = _Pipeline(config)
        pipe.flag_stops = flag_stops
    return pipe


def _work(texts: list[str]) -> list[_DocResult]:
    assert _WORKER is not None
    return _WORKER.process_many(texts)


def analyze(
    text: str,
    backend: str = "fast",
    *,
    spacy_model: str | None = None,
    expressions: bool = True,
    aliases: bool = False,
    fold_state: bool = False,
    remove_boilerplate: bool | Sequence[str] = False,
    model: str | None = None,
) -> list[Token]:
    """Every token of one French text, with lemma, POS (accurate backend), offsets, stop flag.

    Nothing is filtered: stop words are only flagged (``is_stop``, default list). Offsets
    point into ``text`` as given (before normalisation). ``spacy_model`` names the spaCy model
    of the accurate backend (``model=``, its former name, is deprecated).

    >>> toks = analyze("L’UE défend l’état de droit.")
    >>> [(t.form, t.lemma, t.start, t.end) for t in toks][:3]
    [("L'", 'le', 0, 2), ('UE', 'UE', 2, 4), ('défend', 'défendre', 5, 11)]
    >>> [t.lemma for t in toks][3:5]
    ['le', 'état de droit']
    """
    if not isinstance(text, str):
        raise TypeError(f"analyze expects a str, not {type(text).__name__}")
    kinds = _bp.KINDS if remove_boilerplate is True else tuple(remove_boilerplate or ())
    spacy_model = renamed_parameter("analyze", "model", "spacy_model", model, spacy_model)
    config = _default_config(backend, spacy_model=spacy_model, fold_state=fold_state, expressions=expressions, boilerplate=kinds)
    r = _shared_pipeline(config, flag_stops=True).process_many([text])[0]
    lemmas = r.lemmas
    if aliases:
        table = read_aliases()
        lemmas = [table.get(lm, lm) for lm in lemmas]
    starts, ends = np.asarray(r.starts).tolist(), np.asarray(r.ends).tolist()  # Python ints in the tokens
    return [Token(f, lm, p, s, e, st, n) for f, lm, p, s, e, st, n in zip(r.forms, lemmas, r.pos, starts, ends, r.stops, r.sents)]


class Preprocessor(Estimator):
    """Preprocess a French corpus into :class:`~discourse.tokens.Tokens`.

    Parameters
    ----------
    backend:
        ``"fast"`` (simplemma + rules; no POS) or ``"accurate"`` (spaCy, POS tags).
    spacy_model:
        spaCy model for the accurate backend: ``"fr_core_news_sm"`` (default) or ``"fr_core_news_md"``.
        (``model=``, its former name, still works for one release with a ``DeprecationWarning``:
        elsewhere in the library ``model`` is a fitted model.)
    stop_words:
        ``"default"`` or True (our list for political text), your own list of words, or None
        (or False) to keep every token. Stop words are removed (and counted in the audit). Read
        as everywhere in the library (:func:`discourse.base.check_stop_words`).
    extra_stop_words:
        Words added to the list.
    domain_stop_words:
        Optional domain lists to add: ``"parliament"``, ``"newswire"``.
    expressions:
        Join the multiword expressions of the lexicon (``état de droit`` …).
    aliases:
        Map variant lemmas to one canonical name (``ONU`` → ``Nations unies``).
    fold_state:
        Lemmatise ``État`` (the State) as ``état``.
    remove_boilerplate:
        True (all kinds), False, or a list of kinds (see :mod:`discourse.lang.fr.boilerplate`).
        The audit has one row for all and one row per kind (spans, words, documents).
    drop_person_names:
        Drop the tokens of person names (:mod:`discourse.lang.fr.names`: after M./Mme/Monsieur
        …, after a known first name, and those names again in the same document). True, or a
        list of names to find as well (e.g. ``corpus.metadata.speaker.unique()``). Counted in
        the audit ("person names dropped").
    remove_punctuation:
        Drop tokens without a letter or digit.
    min_length:
        Drop tokens whose lemma is shorter (None keeps all).
    pos:
        Keep only these POS tags (accurate backend), e.g. ``["NOUN", "PROPN", "ADJ", "VERB"]``.
    stem:
        Replace each lemma by its Snowball stem (nltk's French stemmer), after every filter
        (:mod:`discourse.lang.fr.stem`: « terrorisme » and « terroriste » → *terror*; names,
        capitalised words and joined expressions are kept). Stems merge what lemmas keep apart
        (« marché » and « marcher » → *march*): use them to compare with stem-based studies.
        Counted in the audit ("Snowball stems (nltk)").
    cache_dir:
        Folder for the on-disk cache, keyed by texts, ids, metadata, every setting and the versions of
        the code and language resources; entries are checked on reading (see :mod:`discourse.cache`).
    n_jobs:
        Worker processes (results are identical to ``n_jobs=1``), read as in scikit-learn: -1 is
        every core, -2 all but one, None is 1.
    batch_size:
        Documents per unit of work.
    keep_texts:
        Keep the original texts in the result (for concordances); False bounds memory on streams.
    progress:
        Show a tqdm progress bar.
    max_document_chars:
        A longer document stops the run with an error naming it (None: no limit). Default 10
        million characters, far above a parliamentary sitting or a novel: a larger "document" is
        usually a whole corpus read as one text, or binary data.

    Example
    -------
    >>> from discourse import Corpus
    >>> corpus = Corpus.from_texts(["L’UE et l’ONU renforcent l’état de droit."])
    >>> Preprocessor(progress=False).transform(corpus).to_lists()
    [['Union européenne', 'Nations unies', 'renforcer', 'état de droit']]
    """

    def __init__(
        self,
        backend: str = "fast",
        *,
        spacy_model: str | None = None,
        stop_words: str | Sequence[str] | None = "default",
        extra_stop_words: Sequence[str] = (),
        domain_stop_words: Sequence[str] = (),
        expressions: bool = True,
        aliases: bool = True,
        fold_state: bool = False,
        remove_boilerplate: bool | Sequence[str] = True,
        drop_person_names: bool | Sequence[str] = False,
        remove_punctuation: bool = True,
        min_length: int | None = 2,
        pos: Sequence[str] | None = None,
        stem: bool = False,
        cache_dir: str | Path | None = None,
        n_jobs: int = 1,
        batch_size: int = 32,
        keep_texts: bool = True,
        progress: bool = True,
        max_document_chars: int | None = MAX_DOCUMENT_CHARS,
        model: str | None = None,
    ) -> None:
        self.backend = backend
        self.spacy_model = spacy_model
        self.stop_words = stop_words
        self.extra_stop_words = extra_stop_words
        self.domain_stop_words = domain_stop_words
        self.expressions = expressions
        self.aliases = aliases
        self.fold_state = fold_state
        self.remove_boilerplate = remove_boilerplate
        self.drop_person_names = drop_person_names
        self.remove_punctuation = remove_punctuation
        self.min_length = min_length
        self.pos = pos
        self.stem = stem
        self.cache_dir = cache_dir
        self.n_jobs = n_jobs
        self.batch_size = batch_size
        self.keep_texts = keep_texts
        self.progress = progress
        self.max_document_chars = max_document_chars
        self.model = model  # deprecated: the former name of spacy_model (one release)
        if model is not None:
            deprecated_alias("Preprocessor(model=)", "spacy_model=")

    def _spacy_model(self) -> str | None:
        """``spacy_model``, or the deprecated ``model`` when that was given instead."""
        if self.model is None:
            return self.spacy_model
        if self.spacy_model is not None:
            raise ValueError("give spacy_model= only (model= is its deprecated former name)")
        return self.model

    def _check_params(self) -> None:
        """Every parameter checked without text (``transform`` calls it first; so does ``discourse check``)."""
        check_choice("backend", self.backend, BACKENDS)
        spacy_model = self._spacy_model()
        if spacy_model is not None and not isinstance(spacy_model, str):
            raise ValueError(f"spacy_model must be the name of a spaCy model or None, not {spacy_model!r}")
        check_stop_words("stop_words", self.stop_words)
        for name in ("extra_stop_words", "domain_stop_words"):
            value = getattr(self, name)
            if isinstance(value, str) or not isinstance(value, Iterable) or not all(isinstance(w, str) for w in value):
                raise ValueError(f"{name} must be a list of words, not {value!r}")
        for d in self.domain_stop_words:
            check_choice("domain_stop_words", d, sorted(_STOP_DOMAINS))
        for name in ("expressions", "aliases", "fold_state", "remove_punctuation", "stem", "keep_texts", "progress"):
            check_bool(name, getattr(self, name))
        if not isinstance(self.remove_boilerplate, (bool, np.bool_)):
            if isinstance(self.remove_boilerplate, str) or not isinstance(self.remove_boilerplate, Iterable):
                raise ValueError(f"remove_boilerplate must be True, False or a list of kinds, not {self.remove_boilerplate!r}")
            for kind in self.remove_boilerplate:
                check_choice("remove_boilerplate", kind, _bp.KINDS)
        if not isinstance(self.drop_person_names, (bool, np.bool_)) and (
                isinstance(self.drop_person_names, str) or not isinstance(self.drop_person_names, Iterable)):
            raise ValueError(f"drop_person_names must be True, False or a list of names, not {self.drop_person_names!r}")
        check_int("min_length", self.min_length, minimum=1, allow_none=True)
        if self.pos is not None:
            if isinstance(self.pos, str) or not isinstance(self.pos, Iterable):
                raise ValueError(f"pos must be a list of POS tags, not {self.pos!r}")
            if self.backend == "fast":
                raise ValueError("pos= needs POS tags: use backend='accurate'")
        check_n_jobs("n_jobs", self.n_jobs)
        check_int("batch_size", self.batch_size, minimum=1)
        limit = self.max_document_chars
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
            raise ValueError(f"max_document_chars must be a positive whole number or None, not {limit!r}")

    # ------------------------------------------------------------------ configuration
    def _stop_set(self) -> frozenset[str]:
        base = check_stop_words("stop_words", self.stop_words)
        return _stop_words(None if base is None else "default" if base is True else base,
                           domains=self.domain_stop_words, extra=self.extra_stop_words)

    def _pipeline_config(self) -> dict[str, Any]:
        if self.backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, not {self.backend!r}")
        if self.pos is not None and self.backend == "fast":
            raise ValueError("pos= needs POS tags: use backend='accurate'")
        kinds = _bp.KINDS if self.remove_boilerplate is True else tuple(self.remove_boilerplate or ())
        return _default_config(
            self.backend, spacy_model=self._spacy_model(), fold_state=self.fold_state, expressions=self.expressions,
            boilerplate=list(kinds), stop_set=sorted(self._stop_set()),
            person_names=self._person_names(),
        )

    def _person_names(self) -> bool | list[str]:
        names = self.drop_person_names
        if isinstance(names, bool):
            return names
        if isinstance(names, str):
            raise TypeError("drop_person_names must be True, False or a list of names, not a string")
        return sorted({str(n) for n in names if isinstance(n, str) and n.strip()})

    def _result_config(self) -> dict[str, Any]:
        skip = ("cache_dir", "n_jobs", "progress", "batch_size", "max_document_chars")  # no effect on the result
        cfg = {k: v for k, v in self.get_params().items() if k not in skip and k != "model"}
        cfg["spacy_model"] = self._spacy_model()  # the deprecated name read as the new
        cfg = json.loads(canonical_json(cfg))  # sets sorted: the same record in every process
        cfg["format"] = _FORMAT
        return cfg

    def cache_key(self, ids: Sequence[str], texts: Sequence[str], metadata: pd.DataFrame | None = None) -> str:
        """The cache key of a corpus under this configuration (see :mod:`discourse.cache`): texts, ids,
        metadata, every setting, the library's code and the versions of its language resources."""
        settings = {"result": self._result_config(), "pipeline": self._pipeline_config()}
        model = (self._spacy_model() or "fr_core_news_sm") if self.backend == "accurate" else None
        return PreprocessCache.key(ids=ids, texts=texts, metadata=metadata, settings=settings, spacy_model=model)

    # ------------------------------------------------------------------ transform
    def transform(self, corpus: Any) -> Tokens:
        """Preprocess a :class:`~discourse.corpus.Corpus`, a list of texts, or an iterable
        (stream) of texts or ``(doc_id, text)`` pairs.

        Metadata and original texts are carried over (texts unless ``keep_texts=False``).
        """
        from discourse.corpus import Corpus

        self._check_params()
        metadata = None
        streaming = False
        if isinstance(corpus, Corpus):
            ids, texts, metadata = list(corpus.ids), corpus.texts, corpus.metadata
            total: int | None = len(ids)
        elif isinstance(corpus, str):
            raise TypeError("transform expects a corpus or a list of texts; for one text use analyze(text)")
        elif isinstance(corpus, Sequence):
            items = list(corpus)
            if items and isinstance(items[0], tuple):
                ids, texts = [str(a) for a, _ in items], [b for _, b in items]
            else:
                ids, texts = [f"doc{i}" for i in range(len(items))], items
            total = len(ids)
        else:
            streaming = True
            ids, texts, total = None, corpus, None

        cache = key = None
        if self.cache_dir is not None and not streaming:
            cache, key = PreprocessCache(self.cache_dir), self.cache_key(ids, texts, metadata)
            toks = cache.get(key, ids)
            if toks is not None:
                toks = toks.add_audit("cache hit", tokens_before=toks.n_tokens, tokens_after=toks.n_tokens, examples=[f"key {key[:16]}"])
                return toks._replace(provenance=self._provenance(corpus))

        result = self._run(ids, texts, total, metadata, streaming)
        if cache is not None:
            cache.put(key, result)
        # the corpus's history and skipped documents travel on with the tokens
        return result._replace(provenance=self._provenance(corpus))

    def _provenance(self, corpus: Any) -> Provenance:
        from discourse.corpus import Corpus

        before = Provenance.from_corpus(corpus) if isinstance(corpus, Corpus) else Provenance()
        settings = {k: v for k, v in self._result_config().items() if k != "format"}
        return before.then("preprocess", "Preprocessor(" + ", ".join(f"{k}={v!r}" for k, v in settings.items()) + ")")

    def _items(self, ids: list[str] | None, texts: Iterable[Any]) -> Iterator[tuple[str, str]]:
        if ids is not None:
            pairs: Iterable[tuple[str, Any]] = zip(ids, texts)
        else:
            pairs = ((str(item[0]), item[1]) if isinstance(item, tuple) else (f"doc{n}", item) for n, item in enumerate(texts))
        limit = self.max_document_chars  # checked by _check_params
        for i, t in pairs:
            if not isinstance(t, str):
                raise TypeError(f"document {i!r}: text is {type(t).__name__}, not str")
            bad = SURROGATE.search(t)
            if bad:  # not valid Unicode: would fail later, far from the document that holds it
                raise ValueError(f"document {i!r}: {surrogate_message(t, bad)}")
            if limit is not None and len(t) > limit:
                raise ValueError(f"document {i!r} has {len(t):,} characters, over max_document_chars={limit:,}: "
                                 "split it into smaller documents, or raise the limit if it really is one text")
            yield i, t

    def _batches(self, items: Iterator[tuple[str, str]]) -> Iterator[list[tuple[str, str]]]:
        batch: list[tuple[str, str]] = []
        size = 0
        for item in items:
            batch.append(item)
            size += len(item[1])
            if len(batch) >= self.batch_size or size > 2_000_000:
                yield batch
                batch, size = [], 0
        if batch:
            yield batch

    def _results(self, config: dict[str, Any], items: Iterator[tuple[str, str]]) -> Iterator[tuple[list[tuple[str, str]], list[_DocResult]]]:
        batches = self._batches(items)
        n = effective_n_jobs(self.n_jobs)
        if n <= 1:
            pipe = _shared_pipeline(config)
            for b in batches:
                yield b, pipe.process_many([t for _, t in b])
            return
        forking = "fork" in mp.get_all_start_methods()
        ctx = mp.get_context("fork") if forking else mp.get_context("spawn")
        if forking:
            # load dictionaries (and the spaCy model) once here; forked workers share them
            _shared_pipeline(config).warm()
        with ctx.Pool(n, initializer=_init_worker, initargs=(config,)) as pool:
            pending: deque = deque()
            for b in batches:
                pending.append((b, pool.apply_async(_work, ([t for _, t in b],))))
                if len(pending) >= 2 * n:  # bounded look-ahead keeps memory flat on streams
                    bb, res = pending.popleft()
                    yield bb, res.get()
            while pending:
                bb, res = pending.popleft()
                yield bb, res.get()

    @staticmethod
    def _vocab_stops(vocabs: dict[str, list[str]], codes: dict[str, np.ndarray], stop_set: Sequence[str]) -> np.ndarray:
        """Stop flags per token, computed once per form and lemma type (columnar)."""
        stops = frozenset(stop_set)
        by_form = np.array([v.lower() in stops for v in vocabs["form"]], dtype=bool)
        by_lemma = np.array([v.lower() in stops for v in vocabs["lemma"]], dtype=bool)
        return by_form[codes["form"]] | by_lemma[codes["lemma"]]

    def _run(self, ids, texts, total, metadata, streaming) -> Tokens:
        from discourse._progress import progress_bar as tqdm

        config = self._pipeline_config()
        # value -> code; a value seen for the first time gets the next code (the factory is a
        # C-level counter), so a whole column is encoded by one map() without a Python step per
        # token, and the vocabulary is the keys in order of first appearance
        encoders: dict[str, defaultdict[str, int]] = {a: defaultdict(count().__next__) for a in ATTRIBUTES}
        encoders["pos"][""]  # code 0: no POS
        # columns gathered as one numpy array a document (compact, and filled in C from the
        # document's lists), joined once at the end
        cols: dict[str, list[np.ndarray]] = {a: [] for a in ATTRIBUTES}
        starts: list[np.ndarray] = []
        ends: list[np.ndarray] = []
        sents: list[np.ndarray] = []
        offsets = array("q", [0])
        n_tok = 0
        out_ids: list[str] = []
        kept_texts: list[str] | None = [] if self.keep_texts else None
        n_changed = n_raw = n_elisions = n_docs_changed = 0
        boiler: Counter = Counter()
        boiler_words: Counter = Counter()
        boiler_docs: dict[str, Counter] = {}  # kind -> spans per document
        boiler_examples: list[str] = []
        name_flags = array("b")
        joined_count: Counter = Counter()
        empty_docs: list[str] = []

        bar = tqdm(total=total, disable=not self.progress, desc=f"preprocess ({self.backend})", unit="doc")
        try:
            for batch, results in self._results(config, self._items(ids, texts)):
                for (doc_id, text), r in zip(batch, results):
                    out_ids.append(doc_id)
                    if kept_texts is not None:
                        kept_texts.append(text)
                    n = len(r.forms)
                    pos_values = r.pos if r.pos and r.pos[0] is not None else None
                    for a, values in (("form", r.forms), ("lemma", r.lemmas), ("pos", pos_values)):
                        if values is None:  # no tagger: the "no POS" code 0
                            cols[a].append(np.zeros(n, dtype=np.int32))
                            continue
                        values = [v or "" for v in values] if a == "pos" else values
                        cols[a].append(np.fromiter(map(encoders[a].__getitem__, values), dtype=np.int32, count=n))
                    starts.append(np.asarray(r.starts, dtype=np.int64))
                    ends.append(np.asarray(r.ends, dtype=np.int64))
                    sents.append(np.fromiter(r.sents, dtype=np.int32, count=n))
                    n_tok += n
                    offsets.append(n_tok)
                    n_changed += r.n_changed
                    n_docs_changed += r.n_changed > 0
                    n_raw += r.n_raw
                    n_elisions += r.n_elisions
                    if r.names is not None:
                        name_flags.extend(r.names)
                    for kind, line in r.boilerplate:
                        boiler[kind] += 1
                        boiler_words[kind] += len(line.split())
                        boiler_docs.setdefault(kind, Counter())[doc_id] += 1
                        if len(boiler_examples) < 5:
                            boiler_examples.append(f"{kind}: {line[:60]}")
                    joined_count.update(r.joined)
                    if not r.forms:
                        empty_docs.append(doc_id)
                bar.update(len(batch))
        finally:
            bar.close()

        if metadata is None:
            metadata = pd.DataFrame({"doc_id": out_ids})
        def joined(chunks: list[np.ndarray], dtype: type) -> np.ndarray:
            return np.concatenate(chunks) if chunks else np.zeros(0, dtype)

        codes = {a: joined(cols[a], np.int32) for a in ATTRIBUTES}
        vocabs = {a: list(encoders[a]) for a in ATTRIBUTES}
        toks = Tokens(
            doc_ids=out_ids,
            doc_offsets=np.frombuffer(offsets, dtype=np.int64).copy(),
            codes=codes,
            vocabs=vocabs,
            starts=joined(starts, np.int64),
            ends=joined(ends, np.int64),
            sents=joined(sents, np.int32),
            is_stop=self._vocab_stops(vocabs, codes, config["stop_set"]) if n_tok else np.zeros(0, bool),
            metadata=metadata,
            texts=kept_texts,
            config=self._result_config(),
        )
        n_joined = sum(joined_count.values())
        toks = toks.add_audit(
            "normalisation", tokens_before=0, tokens_after=0, changed=n_changed,
            examples=[f"{n_docs_changed} of {len(out_ids)} documents changed (apostrophes, quotes, spaces, NFC, ligatures, line-end hyphens)"],
        )
        toks = toks.add_audit(
            "boilerplate removed", tokens_before=0, tokens_after=0, removed=sum(boiler.values()),
            examples=([", ".join(f"{k}: {v} spans" for k, v in boiler.most_common())] if boiler else [])
            + ([f"not found: {', '.join(k for k in config['boilerplate'] if k not in boiler)}"] if len(boiler) < len(config["boilerplate"]) else [])
            + boiler_examples[:3],
        )
        for kind, n_spans in boiler.most_common():
            # one row a kind found: removed = spans, changed = documents with at least one
            per_doc = boiler_docs[kind]
            toks = toks.add_audit(
                f"boilerplate removed: {kind}", tokens_before=0, tokens_after=0, removed=n_spans, changed=len(per_doc),
                examples=[f"{boiler_words[kind]} words", "most in: " + ", ".join(f"{d} ({n})" for d, n in per_doc.most_common(3))],
            )
        toks = toks.add_audit(
            f"tokenisation + lemmas ({self.backend})", tokens_before=0, tokens_after=n_raw, changed=n_elisions,
            examples=[f"{n_elisions} elided forms split (l' d' qu' …)"] + ([f"empty documents: {empty_docs[:5]}"] if empty_docs else []),
        )
        toks = toks.add_audit(
            "expressions joined", tokens_before=n_raw, tokens_after=toks.n_tokens, merged=n_joined,
            examples=[f"{s} ×{c}" for s, c in joined_count.most_common(5)],
        )
        if config["person_names"] is not False:
            toks = toks.keep_tokens(~np.frombuffer(name_flags, dtype=np.int8).astype(bool) if n_tok else np.ones(0, bool), "person names dropped")
        if self.aliases:
            table = read_aliases()
            toks = toks.map_lemmas(table, "aliases")
        if check_stop_words("stop_words", self.stop_words) is not None or self.extra_stop_words or self.domain_stop_words:
            toks = toks.filter(stop_words=True)
        if self.remove_punctuation:
            toks = toks.filter(punctuation=True)
        if self.pos is not None:
            toks = toks.filter(pos=self.pos)
        if self.min_length is not None:
            toks = toks.filter(min_length=self.min_length)
        if self.stem:
            # last, so that stop words, POS and lengths are decided on lemmas, as documented
            toks = toks.map_lemmas(stem_table(toks.vocab("lemma")), "Snowball stems (nltk)")
        return toks
