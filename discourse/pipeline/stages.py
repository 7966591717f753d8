"""Which stage does the work of each YAML section: a declarative registry, and the runners.

Each entry of :data:`SECTIONS` maps one key of an analysis (``preprocess``, ``models``,
``keyness``…) to the stage that receives it. The keys of a section are that stage's
parameters (read from its signature), plus a few keys the pipeline keeps for itself (the
output ``name``, figure options such as ``n``). The stage checks the values when it runs and
raises ``ValueError`` naming the parameter; the pipeline adds the YAML file and line.

Adding a section for a new method is one :class:`Section` in :data:`SECTIONS` and, when the
generic runner is not enough, one small ``run`` function (see ``docs/architecture.md``).
"""

from __future__ import annotations

import copy
import inspect
import re
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from discourse.base import check_stage_params
from discourse.pipeline.keys import (
    ConfigError, as_list, check_choice, check_date, check_int, check_keys, check_name, check_type, excerpt, fail, suggest,
)
from discourse.pipeline.outputs import slug

__all__ = ["Section", "SECTIONS", "validate_sections", "check_output_names", "Analysis", "stage_parameters", "data_problems",
           "missing_values"]


# ---------------------------------------------------------------------------------------------
# the registry
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One YAML section of an analysis and the stage that does its work.

    key: the YAML key. stage: a function of the item returning the class or function whose
    parameters the section's keys are (imported only when needed; the item chooses it for
    ``type: lda | nmf``), or None for a section of the pipeline's own keys only. own: keys the
    pipeline keeps (not passed to the stage), with their defaults (None: no default).
    defaults: defaults of stage parameters that the pipeline sets differently or shows. supplied: stage arguments the
    pipeline gives itself (the tokens, the matrix…). rename: YAML key → stage parameter.
    choices: parameter → allowed values, imported from the stage's module, checked before any
    work. many: a list of items (else one mapping). shorthand: the key a lone string stands for.
    required: keys without a default. names: the output names an item makes (tables and
    figures), checked for collisions. check: extra checks of the pipeline's own keys.
    run: ``run(analysis, item, where)``. needs: ``"tokens"`` or ``"dtm"``. probe: the checks
    of ``discourse check`` against the data (metadata columns, group values, frame names),
    yielding one error per problem. given: the supplied arguments known without data (a
    model's ``n_topics`` from ``k``), so that the stage can check its values before any work.
    aliases: YAML key → stage parameter for this item only, the key still written in the file
    (a DMR's ``metadata``, passed as ``covariate``).
    """

    key: str
    stage: Callable[[Mapping[str, Any]], Any]
    run: Callable[[Analysis, dict[str, Any], str], None]
    own: Mapping[str, Any] = field(default_factory=dict)
    defaults: Mapping[str, Any] = field(default_factory=dict)
    supplied: tuple[str, ...] = ()
    rename: Mapping[str, str] = field(default_factory=dict)
    choices: Callable[[], Mapping[str, Any]] = dict
    many: bool = True
    shorthand: str | None = None
    required: tuple[str, ...] = ()
    names: Callable[[dict[str, Any]], list[Any]] = lambda item: []
    check: Callable[[dict[str, Any], str, dict[str, Any]], None] | None = None
    needs: str = "tokens"
    probe: Callable[[dict[str, Any], str, Facts], Iterator[ConfigError]] | None = None
    given: Callable[[dict[str, Any]], dict[str, Any]] = lambda item: {}
    aliases: Callable[[Mapping[str, Any]], Mapping[str, str]] = lambda item: {}


def stage_parameters(stage: Any, strict: bool = True) -> list[str] | None:
    """The parameters a stage accepts, from its signature.

    With ``strict``, None when the stage also takes any keyword (``**kwargs``: it passes them on).
    """
    if stage is None:
        return []
    # a class's parameters are those of its __init__ (as Estimator.get_params reads them)
    sig = inspect.signature(stage.__init__ if isinstance(stage, type) else stage)
    if strict and any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values()):
        return None
    return [n for n, p in sig.parameters.items() if n not in ("self", "cls") and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]


def stage_default(stage: Any, parameter: str) -> Any:
    """The default value of one parameter of a stage (read from its signature, never copied)."""
    return inspect.signature(stage).parameters[parameter].default


def validate_item(section: Section, item: Any, where: str, seed: int, context: dict[str, Any]) -> dict[str, Any]:
    """Check one item of a section: keys among the stage's parameters and the pipeline's own keys."""
    if isinstance(item, str) and section.shorthand:
        item = {section.shorthand: item}
    if item is None:
        item = {}
    if not isinstance(item, Mapping):
        fail(where, f"expected a mapping of parameters, got {type(item).__name__} {excerpt(repr(item), 60)}")
    stage = section.stage(item) if callable(section.stage) else section.stage
    accepted = stage_parameters(stage)
    hidden = set(section.supplied) | set(section.rename.values())
    if accepted is not None:
        item = check_keys(item, [a for a in accepted if a not in hidden] + list(section.own) + list(section.rename), where)
    else:
        item = dict(item)
    for key in section.required:
        if key not in item:
            fail(where, f"missing key {key!r}")
    for key, default in {**section.defaults, **section.own}.items():
        if key not in item and default is not None:
            item[key] = copy.deepcopy(default)
    for key, allowed_values in section.choices().items():
        if key in item:
            check_choice(item[key], allowed_values, f"{where}.{key}")
    if "name" in item and "name" in section.own:
        item["name"] = check_name(item["name"], f"{where}.name")
    # every stochastic stage gets the run's seed unless the section gives its own
    if "random_state" in (stage_parameters(stage, strict=False) or []) and "random_state" not in hidden:
        item.setdefault("random_state", seed)
    if section.check is not None:
        section.check(item, where, context)
    # the stage checks its own values (Estimator._check_params, or a function's checker), here
    # before any work and again when it runs; its error is placed at the YAML key it names
    try:
        check_stage_params(stage, {**section.given(item), **stage_arguments(section, item)})
    except ValueError as err:
        raise _located(err, where, item) from None
    return item


def stage_arguments(section: Section, item: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments of the stage: the item without the pipeline's own keys, renamed."""
    rename = {**section.rename, **section.aliases(item)}
    return {rename.get(k, k): v for k, v in item.items() if k not in section.own}


def validate_sections(analysis: Mapping[str, Any], where: str, seed: int) -> dict[str, Any]:
    """Every section of one analysis, checked and completed (absent sections: their defaults)."""
    out: dict[str, Any] = {}
    context: dict[str, Any] = {"_seed": seed}
    for key, section in SECTIONS.items():
        w = f"{where}.{key}"
        if section.many:
            items = as_list(analysis.get(key), w)
            out[key] = [validate_item(section, item, f"{w}[{i}]", seed, context) for i, item in enumerate(items)]
        elif key in analysis or key in _ALWAYS:
            out[key] = validate_item(section, analysis.get(key), w, seed, context)
        context[key] = out.get(key)
    return out


def _item_names(entry: Mapping[str, Any], where: str) -> Iterator[tuple[str, str]]:
    """Every output name of an analysis with the key that asks for it."""
    yield from ((n, f"{where}.corpus") for n in ("corpus_summary", "corpus_skipped"))
    yield from ((n, f"{where}.preprocess") for n in ("preprocess_audit",))
    yield from ((n, f"{where}.dtm") for n in ("dtm_terms", "dtm_excluded"))
    for key, section in SECTIONS.items():
        if key not in entry or not entry[key]:
            continue
        items = entry[key] if section.many else [entry[key]]
        for i, item in enumerate(items):
            w = f"{where}.{key}[{i}]" if section.many else f"{where}.{key}"
            for name in section.names(item):
                # a name given with its own key path (a sub-list of the section) or the item's
                yield (name[0], f"{where}.{name[1]}") if isinstance(name, tuple) else (name, w)


def check_output_names(entry: Mapping[str, Any], where: str) -> None:
    """Refuse two requests that would write the same file (names compared without case)."""
    seen: dict[str, tuple[str, str]] = {}
    for name, w in _item_names(entry, where):
        key = name.casefold()
        if key in seen and seen[key][1] != w:
            fail(w, f"its output {name!r} has the name of the output {seen[key][0]!r} of {seen[key][1]}: "
                    "give one of them its own 'name'")
        seen.setdefault(key, (name, w))


# ---------------------------------------------------------------------------------------------
# the state of one analysis while it runs
# ---------------------------------------------------------------------------------------------


class Analysis:
    """One analysis being run: its data so far (corpus, tokens, matrix, models) and where outputs go."""

    def __init__(self, spec: dict[str, Any], where: str, run: Any) -> None:
        self.spec = spec
        self.name = spec["name"]
        self.where = where
        self.run = run
        self.seed = run.config["random_state"]
        self.corpus: Any = None
        self._tokens: Any = None
        self._filtered: Any = None  # tokens after the dtm's token filter (matrix, coherence, keyness)
        self._dtm: Any = None
        # a sharded run: the matrix left on disk as parts, and what was read of it without its counts
        self.sharded_dtm: Any = None
        self.dtm_summary: Any = None
        self.current = ""  # the stage running (says why the matrix was gathered)
        self.models: dict[str, Any] = {}
        self.seeds: dict[str, Any] = {"random_state": self.seed}
        # a sharded run (engine kind dask): the corpus's shards and their tokens, and which
        # engine did the work of each section (the manifest's engine.sections)
        self.shards: Any = None
        self.sharded: Any = None
        self._content: Any = None
        self.engines: dict[str, str] = {}

    @property
    def tokens(self) -> Any:
        """The tokens of the whole corpus; in a sharded run, gathered from the shards when a section needs them."""
        if self._tokens is None and self.sharded is not None:
            self._tokens = self.sharded.to_tokens()
            self.note(f"the tokens of the {len(self.sharded)} shard(s) were gathered in this process (for the sections "
                      "whose engine says 'gathered' in the manifest's engine.sections)")
        return self._tokens

    @tokens.setter
    def tokens(self, value: Any) -> None:
        self._tokens = value

    @property
    def dtm(self) -> Any:
        """The document-term matrix; in a sharded run, gathered from its parts the first time a
        section needs it (the note and the manifest's engine.sections say which one)."""
        if self._dtm is None and self.sharded_dtm is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the excluded documents were reported when the parts were built
                self._dtm = self.sharded_dtm.to_matrix()
            why = self.current or "a section"
            self.note(f"the document-term matrix ({self._dtm.shape[0]} × {self._dtm.shape[1]}) was gathered in this process "
                      f"from its {len(self.sharded_dtm)} part(s), first for {why}")
            self.ran("document-term matrix gathered", f"local: gathered in this process, first for {why}")
        return self._dtm

    @dtm.setter
    def dtm(self, value: Any) -> None:
        self._dtm = value

    def provenance(self) -> Any:
        """The record of the last object of the chain corpus → tokens → matrix (never gathers)."""
        if self._dtm is not None:
            return self._dtm.provenance
        if self.dtm_summary is not None:
            return self.dtm_summary.provenance
        return (self.sharded if self.sharded is not None else self.tokens).provenance

    @property
    def filtered(self) -> Any:
        """The tokens after the dtm's token filter (gathered in a sharded run)."""
        if self._filtered is None and self.sharded is not None:
            self._filtered = _token_filter(self.tokens, self.spec["dtm"]["filter"])
        return self._filtered

    @filtered.setter
    def filtered(self, value: Any) -> None:
        self._filtered = value

    def content(self) -> Any:
        """Sharded tokens after the dtm's token filter (filtered shard by shard on the engine, once)."""
        if self._content is None:
            spec = self.spec["dtm"]["filter"]
            if spec:
                from discourse.engines.stats import filter_shards

                self._content = filter_shards(self.sharded, engine=self.run.engine, progress=self.run.progress, **spec)
            else:
                self._content = self.sharded
        return self._content

    def ran(self, label: str, how: str) -> None:
        """Record which engine did the work of a section (sharded runs only)."""
        if self.sharded is not None:
            self.engines[label] = how

    def on_shards(self) -> str:
        """How a map/reduce section ran: on the engine, over the shards."""
        n = len(self.sharded)
        return f"{self.run.engine.kind}: map over {n} shard{'s' if n != 1 else ''}, exact reduce"

    # ------------------------------------------------------------------ helpers of the runners
    @contextmanager
    def stage(self, label: str, where: str, item: Mapping[str, Any] | None = None) -> Iterator[None]:
        """Time a stage; a ``ValueError`` of the stage becomes a ConfigError at the key it names."""
        self.run.say(f"[{self.name}] {label} …")
        self.current = label
        start = time.perf_counter()
        try:
            yield
        except ConfigError:
            raise
        except ValueError as err:
            raise _located(err, where, item or {}) from err
        seconds = time.perf_counter() - start
        self.run.timings.setdefault(self.name, {})[label] = round(seconds, 3)
        self.run.say(f"[{self.name}] {label} done in {seconds:.1f} s")

    def note(self, text: str) -> None:
        self.run.notes.setdefault(self.name, []).append(text)
        self.run.say(f"[{self.name}]   {text}")

    def table(self, name: str, table: pd.DataFrame) -> None:
        self.run.outputs.table(self.name, name, table)

    def figure(self, name: str, where: str, draw: Callable[[], Any], rows: pd.DataFrame | None = None,
               selection: str = "") -> None:
        """Draw a figure; an empty selection or a figure that cannot be drawn fails the run at ``where``."""
        if not self.run.config["figures"]["enabled"]:
            return
        if rows is not None and len(rows) == 0:
            raise ConfigError(f"{where}: figure {name} would be empty: {selection or 'no row to draw'}", where)
        try:
            self.run.outputs.figure(self.name, name, draw, self.run.config["locale"])
        except ConfigError:
            raise
        except Exception as err:
            raise ConfigError(f"{where}: figure {name} cannot be drawn: {type(err).__name__}: {excerpt(err, 200)}", where) from err

    def warnings_as_notes(self, caught: list[warnings.WarningMessage]) -> None:
        for w in caught:
            self.note(f"note: {w.message}")


def _located(err: ValueError, where: str, item: Mapping[str, Any]) -> ConfigError:
    """The stage's error at the YAML key it names (or at the section)."""
    message = str(err)
    for key in sorted(item, key=len, reverse=True):
        names = {key, *(v for k, v in _RENAMED.items() if k == key)}
        if any(re.search(rf"(?<![\w.]){re.escape(n)}(?![\w])", message) for n in names):
            where = f"{where}.{key}"
            break
    return ConfigError(f"{where}: {excerpt(message, 300)}", where)


_RENAMED = {"k": "n_topics", "type": "model"}


# ---------------------------------------------------------------------------------------------
# naming outputs
# ---------------------------------------------------------------------------------------------


def _freq_label(freq: str) -> str:
    from discourse.frames.count import FREQUENCIES

    return {"D": "daily", "W": "weekly", "M": "monthly", "Q": "quarterly", "Y": "yearly"}[FREQUENCIES[freq]]


def period_label(spec: Mapping[str, Any]) -> str:
    """``group_monthly``, ``daily``, ``overall``…: the part of a file name that says how counts are grouped."""
    parts = []
    if spec.get("by"):
        parts.append(slug(spec["by"]))
    if spec.get("freq"):
        parts.append(_freq_label(spec["freq"]))
    return "_".join(parts) or "overall"


def _count_columns(items: Sequence[Mapping[str, Any]]) -> list[str]:
    """The metadata columns the count tables of a frames section read (their ``by`` and dates)."""
    from discourse.engines.stats import table_columns
    from discourse.frames import count_frames

    columns: list[str] = []
    for c in items:
        columns += table_columns(c.get("by"), c.get("freq"), c.get("date_column", stage_default(count_frames, "date_column")))
    # a model's dominant topic (by: topic:<model>) is joined on doc_id, not read from the metadata
    return [c for c in dict.fromkeys(columns) if not str(c).startswith("topic:")]


def _count_stem(c: Mapping[str, Any]) -> str:
    return c.get("name") or f"frames_{period_label(c)}"


def _kwic_stem(k: Mapping[str, Any]) -> str:
    return k.get("name") or f"kwic_{slug(k['query'])}"


def _keyness_stem(k: Mapping[str, Any]) -> str:
    reference = k.get("reference")
    return k.get("name") or f"keyness_{slug(k['by'])}_{slug(k['target'])}_vs_{slug(reference if reference is not None else 'rest')}"


def _specificities_stem(s: Mapping[str, Any]) -> str:
    return s.get("name") or f"specificities_{slug(s['by'])}"


def _prevalence_stem(model: str, p: Mapping[str, Any]) -> str:
    return p.get("name") or f"{model}_prevalence_{period_label(p)}"


# ---------------------------------------------------------------------------------------------
# core sections: preprocess, dtm
# ---------------------------------------------------------------------------------------------


def _preprocessor(item: Mapping[str, Any]) -> Any:
    from discourse.preprocess import Preprocessor

    return Preprocessor


def _preprocess_choices() -> dict[str, Any]:
    from discourse.preprocess import BACKENDS

    return {"backend": BACKENDS}


def _run_preprocess(a: Analysis, item: dict[str, Any], where: str) -> None:
    from discourse.preprocess import Preprocessor

    with a.stage("preprocess", where, item):
        params = stage_arguments(SECTIONS["preprocess"], item)
        if params.get("cache_dir") is not None:
            params["cache_dir"] = str(a.run.loaded.path(params["cache_dir"]))
        params.setdefault("progress", a.run.progress)
        if a.shards is not None:
            from discourse.pipeline import sharded

            sharded.preprocess(a, params, a.run.shards_root)
            a.ran("preprocess", a.on_shards())
            a.note(f"{a.sharded.n_tokens:,} tokens")
            a.table("preprocess_audit", a.sharded.audit)
            return
        a.tokens = Preprocessor(**params).transform(a.corpus)
        a.note(f"{a.tokens.n_tokens:,} tokens, {len(a.tokens.vocab('lemma')):,} lemma types")
        a.table("preprocess_audit", a.tokens.audit)
    a.filtered = _token_filter(a.tokens, a.spec["dtm"]["filter"])


def _token_filter(tokens: Any, spec: Mapping[str, Any]) -> Any:
    return tokens.filter(**spec) if spec else tokens


def _dtm_stage(item: Mapping[str, Any]) -> Any:
    from discourse.dtm import DocumentTermMatrix

    return DocumentTermMatrix.from_tokens


def _check_dtm(item: dict[str, Any], where: str, context: dict[str, Any]) -> None:
    from discourse.tokens import Tokens

    item["filter"] = check_keys(item.get("filter"), stage_parameters(Tokens.filter) or [], f"{where}.filter")
    try:
        check_stage_params(Tokens.filter, item["filter"])
    except ValueError as err:
        raise _located(err, f"{where}.filter", item["filter"]) from None


def _run_dtm(a: Analysis, item: dict[str, Any], where: str) -> None:
    if not any(a.spec.get(key) for key, s in SECTIONS.items() if s.needs == "dtm"):
        return
    from discourse.dtm import DocumentTermMatrix

    with a.stage("document-term matrix", where, item):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if a.sharded is not None:
                from discourse.engines.sharded import document_term_matrix, summarize_matrix

                # left on the workers as one part a shard: gathered only if a later section needs it (Analysis.dtm)
                a.sharded_dtm = document_term_matrix(a.content(), **stage_arguments(SECTIONS["dtm"], item), engine=a.run.engine,
                                                     progress=a.run.progress, gather=False)
                a.dtm_summary = summarize_matrix(a.sharded_dtm, engine=a.run.engine, progress=a.run.progress)
                a.ran("document-term matrix", f"{a.on_shards()} (two passes: vocabulary, then counts; parts left on disk)")
                shape, excluded, terms = a.sharded_dtm.shape, a.dtm_summary.excluded, a.dtm_summary.term_frequencies
            else:
                a.dtm = DocumentTermMatrix.from_tokens(a.filtered, **stage_arguments(SECTIONS["dtm"], item))
                shape, excluded, terms = a.dtm.shape, a.dtm.excluded, a.dtm.term_frequencies()
        a.warnings_as_notes(caught)
        a.note(f"document-term matrix {shape[0]} × {shape[1]}")
        if len(excluded):
            a.table("dtm_excluded", excluded)
        a.table("dtm_terms", terms)


# ---------------------------------------------------------------------------------------------
# topic models
# ---------------------------------------------------------------------------------------------


def model_classes() -> dict[str, Any]:
    """``type`` of a model section → the class fitted."""
    from discourse.topics import LDA, NMF
    from discourse.topics.covariate import DMR, DynamicLDA

    return {"lda": LDA, "nmf": NMF, "dmr": DMR, "dynamic_lda": DynamicLDA}


def _model_class(item: Mapping[str, Any]) -> Any:
    return model_classes().get(item.get("type", "lda"), model_classes()["lda"])


def _model_choices() -> dict[str, Any]:
    return {"type": list(model_classes())}


def _check_model(item: dict[str, Any], where: str, context: dict[str, Any]) -> None:
    from discourse.frames.count import FREQUENCIES
    from discourse.topics.evaluate import MEASURES
    from discourse.topics.prevalence import topic_prevalence

    if "k" not in item:
        fail(where, "missing key 'k' (the number of topics)")
    check_int(item["k"], f"{where}.k", minimum=2)
    if item["type"] == "dmr" and "metadata" in item and "covariate" in item:
        fail(f"{where}.metadata", "give 'covariate' only ('metadata' is its former name)")
    _check_sample(item, where)
    index = context.setdefault("_model_index", 0)
    context["_model_index"] = index + 1
    item.setdefault("name", f"{item['type']}{item['k']}" if index == 0 else f"{item['type']}{item['k']}_{index}")
    item["name"] = check_name(item["name"], f"{where}.name")
    names = context.setdefault("_model_names", [])
    if item["name"] in names:
        fail(f"{where}.name", f"model names must differ; {item['name']!r} is used twice")
    names.append(item["name"])
    check_int(item["top_terms"], f"{where}.top_terms", minimum=1)
    lam = item["lam"]
    if not isinstance(lam, (int, float)) or isinstance(lam, bool) or not 0 <= lam <= 1:
        fail(f"{where}.lam", f"{lam!r} must be a number between 0 and 1 (LDAvis relevance)")
    item["lam"] = float(lam)
    item["coherence"] = [str(x) for x in as_list(item.get("coherence"), f"{where}.coherence")]
    for j, measure in enumerate(item["coherence"]):
        check_choice(measure, MEASURES, f"{where}.coherence[{j}]")
    prevalence = []
    accepted = [p for p in stage_parameters(topic_prevalence) or [] if p != "model"]
    for j, p in enumerate(as_list(item.get("prevalence"), f"{where}.prevalence")):
        w = f"{where}.prevalence[{j}]"
        if isinstance(p, str):
            p = {"freq": p} if p in FREQUENCIES else {"by": p}
        p = check_keys(p, accepted + ["name"], w)
        if "freq" in p:
            check_choice(p["freq"], FREQUENCIES, f"{w}.freq")
        if not p.get("by") and not p.get("freq"):
            fail(w, f"give 'by' (a metadata column) or 'freq' (one of {', '.join(FREQUENCIES)})")
        if "name" in p:
            p["name"] = check_name(p["name"], f"{w}.name")
        prevalence.append(p)
    item["prevalence"] = prevalence
    item["pyldavis"] = bool(check_type(item["pyldavis"], bool, f"{where}.pyldavis", "true or false"))


def _sampled_parameters() -> list[str]:
    """The estimator parameters a sampled LDA takes from a model item (SampledLDA's, but those the pipeline sets)."""
    from discourse.engines.topics import SampledLDA

    return [p for p in stage_parameters(SampledLDA) or [] if p not in ("n_topics", "sample_size", "fold_in_iter")]


def _check_sample(item: dict[str, Any], where: str) -> None:
    """``sample_size`` (and ``fold_in_iter``): an LDA fitted on a sample, every document folded in."""
    if item.get("sample_size") is None:
        if item.get("fold_in_iter") is not None:
            fail(f"{where}.fold_in_iter", "fold_in_iter is the fold-in of a sampled model: give sample_size too")
        return
    check_int(item["sample_size"], f"{where}.sample_size", minimum=1)
    if item["type"] != "lda":
        fail(f"{where}.sample_size", f"a model fitted on a sample is of type lda only, not {item['type']!r}: remove "
                                     "sample_size (the model is then fitted on the whole matrix) or use type: lda")
    if item.get("fold_in_iter") is not None:
        check_int(item["fold_in_iter"], f"{where}.fold_in_iter", minimum=1)
    accepted = _sampled_parameters()
    for key in stage_arguments(SECTIONS["models"], item):
        if key not in accepted:
            fail(f"{where}.{key}", f"{key!r} is not a parameter of a model with sample_size (SampledLDA takes "
                                   f"{', '.join(accepted)}): remove {key!r} or sample_size")
    if item.get("random_state") is None:
        fail(f"{where}.random_state", "a model with sample_size needs an integer random_state (it draws the sample)")


def _model_names(item: Mapping[str, Any]) -> list[str]:
    m = item["name"]
    names = [f"{m}_top_terms", f"{m}_doc_topics", f"{m}_coordinates", f"{m}_intertopic_map", f"{m}_ldavis"]
    names += [f"{m}_coherence_{c}" for c in item["coherence"]]
    names += [_prevalence_stem(m, p) for p in item["prevalence"]]
    names += {"dmr": [f"{m}_topic_prior"], "dynamic_lda": [f"{m}_top_terms_over_time"]}.get(item["type"], [])
    return names


def _run_model(a: Analysis, item: dict[str, Any], where: str) -> None:
    from discourse import plot
    from discourse.topics import coherence, topic_prevalence
    from discourse.topics.coordinates import topic_coordinates

    mname = item["name"]
    section = SECTIONS["models"]
    with a.stage(f"model {mname}", where, item):
        if item.get("sample_size") is not None:
            model = _fit_sampled(a, item)
        else:
            # no progress bar inside the fit: tomotopy 0.14's show_progress can recurse without end
            model = model_classes()[item["type"]](n_topics=item["k"], **stage_arguments(section, item)).fit(a.dtm)
            a.ran(f"model {mname}", "local: fitted in this process on the gathered document-term matrix")
        a.seeds[mname] = item.get("random_state")
        a.models[mname] = model
        top = model.top_terms(item["top_terms"], lam=item["lam"])
        a.table(f"{mname}_top_terms", top)
        weights = pd.DataFrame(np.asarray(model.doc_topics_, dtype=float), columns=[str(t) for t in model.topic_ids_])
        weights.insert(0, "doc_id", list(model.doc_ids_))
        a.table(f"{mname}_doc_topics", weights)
        coords = topic_coordinates(model)
        a.table(f"{mname}_coordinates", coords)
        a.figure(f"{mname}_top_terms", where, lambda: plot.top_terms(top, value="weight"))
        a.figure(f"{mname}_intertopic_map", where, lambda: plot.intertopic_map(coords))
        a.figure(f"{mname}_doc_topics", where, lambda: plot.doc_topic_heatmap(weights.set_index("doc_id"), max_documents=60))
        for measure in item["coherence"]:
            a.table(f"{mname}_coherence_{measure}", coherence(model, a.filtered, measure=measure).reset_index())
            a.ran(f"model {mname} coherence {measure}", "local: in this process on the tokens gathered from the shards")
        for j, p in enumerate(item["prevalence"]):
            params = {k: v for k, v in p.items() if k != "name"}
            params.setdefault("random_state", a.seed)
            table = topic_prevalence(model, **params)
            stem = _prevalence_stem(mname, p)
            a.table(stem, table)
            a.figure(stem, f"{where}.prevalence[{j}]", lambda t=table: plot.topic_prevalence(t), rows=table)
        if item["type"] == "dmr":
            a.table(f"{mname}_topic_prior", model.topic_prior())
        elif item["type"] == "dynamic_lda":
            a.note(f"{mname}: dynamic_lda word distributions (top terms, coordinates, terms over time) are tomotopy's float32 "
                   "values, which can differ in their last digit between runs; the document-topic table does not")
            a.table(f"{mname}_top_terms_over_time", pd.concat(
                [model.top_terms_over_time(t, n=item["top_terms"]).assign(topic=topic_id)
                 for t, topic_id in enumerate(model.topic_ids_)], ignore_index=True)[["topic", "time", "rank", "term", "weight"]])
        if item["pyldavis"]:
            from discourse.topics import to_pyldavis

            a.run.outputs.file(a.name, f"{mname}_ldavis.html", lambda path: to_pyldavis(model, a.dtm, path))


def _fit_sampled(a: Analysis, item: dict[str, Any]) -> Any:
    """An LDA fitted on a reproducible sample, every document folded in (:class:`SampledLDA`), on the
    engine's workers over the matrix parts in a sharded run, in this process on the matrix otherwise.

    Returns the sample's LDA seen over the whole corpus: its topics, with every document's
    proportions, lengths and metadata (from the fold-in and the matrix), so that the tables,
    figures, prevalence and frames by topic of a model item read it as they read a full fit.
    """
    from discourse.engines.topics import SampledLDA

    own = {k: item[k] for k in ("sample_size", "fold_in_iter") if item.get(k) is not None}
    lda = SampledLDA(n_topics=item["k"], **own, **stage_arguments(SECTIONS["models"], item))
    if a.sharded is not None:
        lda.fit(a.sharded_dtm, engine=a.run.engine, folder=a.run.shards_root / a.name / "topics", progress=a.run.progress)
        facts = a.dtm_summary
        doc_ids, lengths, metadata = facts.doc_ids, facts.lengths, facts.metadata
        shards = len(a.sharded_dtm)
        a.ran(f"model {item['name']}", f"{a.run.engine.kind}: fitted on a sample of {len(lda.sample_doc_ids_)} documents in "
                                       f"one worker, folded in over {shards} shard{'s' if shards != 1 else ''}")
        if lda.reused_:
            a.note(f"{item['name']}: the fold-in of {lda.reused_} of {shards} shards reused")
    else:
        lda.fit(a.dtm, progress=a.run.progress)  # the matrix is one shard: the same sample and fit as on a cluster
        doc_ids, lengths, metadata = a.dtm.doc_ids, a.dtm.lengths, a.dtm.metadata
    if lda.doc_ids() != list(doc_ids):
        raise RuntimeError(f"model {item['name']}: the fold-in's documents are not the matrix's rows")
    a.note(f"{item['name']}: LDA fitted on a sample of {len(lda.sample_doc_ids_)} of {lda.n_documents_} documents "
           f"(sample_size {item['sample_size']}, random_state {lda.random_state}); every document's topic proportions "
           f"from the fold-in ({lda.fold_in_iter} iterations); the top terms' relevance (lam) uses the sample's term counts")
    model = copy.copy(lda.model_)  # the sample's topics; the corpus's documents below
    model.doc_topics_ = lda.doc_topics()
    model.doc_ids_ = list(doc_ids)
    model.doc_lengths_ = np.asarray(lengths, dtype=np.float64)
    model.metadata_ = metadata.reset_index(drop=True).copy()
    model.topic_prevalence_ = np.asarray(lda.topic_prevalence_, dtype=np.float64)
    return model


def _select_k_stage(item: Mapping[str, Any]) -> Any:
    from discourse.topics import select_k

    return select_k


def _select_k_choices() -> dict[str, Any]:
    # select_k refits LDA or NMF only (covariate models need their metadata column)
    return {"type": [t for t in model_classes() if t in ("lda", "nmf")]}


def _check_select_k(item: dict[str, Any], where: str, context: dict[str, Any]) -> None:
    # select_k passes its other keywords to each model it fits: they are the model's parameters
    section = SECTIONS["select_k"]
    own = [p for p in stage_parameters(_select_k_stage(item), strict=False) or [] if p not in section.supplied]
    model = model_classes().get(item.get("type", "lda"))
    model_params = [p for p in stage_parameters(model) or [] if p not in ("n_topics", "progress")]
    check_keys(item, [p for p in own + model_params if p != "model"] + ["type"], where)
    ks = item.get("ks")
    if not (isinstance(ks, list) and len(ks) >= 2 and all(isinstance(k, int) and not isinstance(k, bool) and k >= 2 for k in ks)):
        fail(f"{where}.ks", f"expected a list of at least two K values >= 2, got {excerpt(repr(ks), 60)}")
    # the model refitted at each K checks its own parameters (n_iter, backend…) before any work
    try:
        check_stage_params(model, {"n_topics": min(ks), **{k: v for k, v in item.items() if k in model_params}})
    except ValueError as err:
        raise _located(err, where, item) from None


def _run_select_k(a: Analysis, item: dict[str, Any], where: str) -> None:
    from discourse import plot
    from discourse.topics import select_k

    if not item:
        return
    with a.stage("select K", where, item):
        params = stage_arguments(SECTIONS["select_k"], item)
        table = select_k(a.dtm, tokens=a.filtered, progress=a.run.progress, model=model_classes()[item["type"]](), **params)
        # fitting times vary between runs: they go to the manifest, not into the table
        timing_cols = [c for c in table.columns if c.endswith("seconds")]
        if timing_cols:
            a.run.timings.setdefault(a.name, {})["select_k_fits"] = {
                str(k): round(float(v), 3) for k, v in zip(table["k"], table[timing_cols[0]])}
            table = table.drop(columns=timing_cols)
        a.table("select_k", table)
        a.figure("select_k", where, lambda: plot.metrics_by_k(table))


# ---------------------------------------------------------------------------------------------
# frames
# ---------------------------------------------------------------------------------------------

_FRAMES_OWN = {"dictionary": "default", "frames": None, "filter": None, "counts": None, "kwic": None, "by_topic": None}
_COUNT_OWN = ["frames", "events", "groups", "name"]
_KWIC_OWN = ["max_rows", "name"]


def _check_frames(item: dict[str, Any], where: str, context: dict[str, Any]) -> None:
    from discourse.frames import count_frames, kwic
    from discourse.frames.count import FREQUENCIES
    from discourse.tokens import Tokens

    if not isinstance(item["dictionary"], str):
        fail(f"{where}.dictionary", "expected 'default' or the path of a YAML dictionary")
    if item.get("frames") is not None:
        item["frames"] = [str(x) for x in as_list(item["frames"], f"{where}.frames")]
    else:
        item.pop("frames", None)
    item["filter"] = check_keys(item["filter"] if item.get("filter") is not None else {"punctuation": True},
                                stage_parameters(Tokens.filter) or [], f"{where}.filter")
    count_params = [p for p in stage_parameters(count_frames) or [] if p not in ("tokens", "dictionary")]
    counts = []
    for i, c in enumerate(as_list(item["counts"] if item.get("counts") is not None else [{}], f"{where}.counts")):
        w = f"{where}.counts[{i}]"
        c = check_keys(c, count_params + _COUNT_OWN, w)
        if "freq" in c:
            check_choice(c["freq"], FREQUENCIES, f"{w}.freq")
        if "events" in c:
            if not isinstance(c["events"], Mapping):
                fail(f"{w}.events", "expected a mapping of label to date, e.g. {'13 nov. 2015': 2015-11-13}")
            c["events"] = {str(k): check_date(v, f"{w}.events.{k}") for k, v in c["events"].items()}
        try:
            check_stage_params(count_frames, {k: v for k, v in c.items() if k in count_params})
        except ValueError as err:
            raise _located(err, w, c) from None
        if isinstance(c.get("by"), str) and c["by"].startswith("topic:"):
            check_choice(c["by"].split(":", 1)[1], context.get("_model_names", []), f"{w}.by (topic:<model name>)")
        if "name" in c:
            c["name"] = check_name(c["name"], f"{w}.name")
        c.setdefault("random_state", context["_seed"])
        counts.append(c)
    item["counts"] = counts
    kwic_params = [p for p in stage_parameters(kwic) or [] if p not in ("tokens", "dictionary")]
    queries = []
    for i, k in enumerate(as_list(item.get("kwic"), f"{where}.kwic")):
        w = f"{where}.kwic[{i}]"
        k = check_keys({"query": k} if isinstance(k, str) else k, kwic_params + _KWIC_OWN, w)
        if "query" not in k:
            fail(w, "missing key 'query' (a word, lemma, expression or frame name)")
        k.setdefault("window", 10)
        k.setdefault("max_rows", 200)
        if "name" in k:
            k["name"] = check_name(k["name"], f"{w}.name")
        queries.append(k)
    item["kwic"] = queries
    if item.get("by_topic") is not None:
        bt = item["by_topic"]
        bt = check_keys({"model": bt} if isinstance(bt, str) else bt, ["model"], f"{where}.by_topic")
        check_choice(bt.get("model"), context.get("_model_names", []), f"{where}.by_topic.model")
        item["by_topic"] = bt
    else:
        item.pop("by_topic", None)


def _frames_names_located(item: Mapping[str, Any]) -> list[Any]:
    """Output names of the frames section, each with the key that asks for it."""
    out: list[Any] = [("frame_dictionary", "frames")]
    for i, c in enumerate(item["counts"]):
        out += [(_count_stem(c), f"frames.counts[{i}]"), (f"{_count_stem(c)}_skipped", f"frames.counts[{i}]")]
    for i, k in enumerate(item["kwic"]):
        out.append((_kwic_stem(k), f"frames.kwic[{i}]"))
    if item.get("by_topic"):
        out.append((f"frames_by_topic_{item['by_topic']['model']}", "frames.by_topic"))
    return out


def load_dictionary(source: str, loaded: Any) -> Any:
    """The frame dictionary of a ``frames.dictionary`` key (``default`` or a path relative to the YAML file)."""
    from discourse.frames import FrameDictionary

    if source == "default":
        return FrameDictionary.default()
    path = loaded.path(source)
    if not path.is_file():
        raise ValueError(f"dictionary file {str(path)!r} not found")
    try:
        return FrameDictionary.from_yaml(path)
    except (ValueError, OSError) as err:
        # the reader's message may quote the file: only a short excerpt of it is shown
        raise ValueError(f"dictionary {path.name}: {excerpt(err, 200)}") from None


def _frame_label(dictionary: Any, frame: str, locale: str) -> str:
    if locale == "fr":
        return str(dictionary.label(frame))
    return str(dictionary[frame].gloss or frame)


def _run_frames(a: Analysis, item: dict[str, Any], where: str) -> None:
    from discourse import plot
    from discourse.frames import count_frames, frames_by_topic, kwic
    from discourse.frames.count import frames_table

    if not item:
        return
    with a.stage("frames", where, item):
        dictionary = load_dictionary(item["dictionary"], a.run.loaded)
        # colours follow the whole dictionary's order, so a frame keeps its colour in every figure
        colour_order = list(dictionary.frame_names)
        if item.get("frames"):
            unknown = [f for f in item["frames"] if f not in dictionary.frame_names]
            if unknown:
                raise ConfigError(f"{where}.frames: {unknown} not in the dictionary; allowed values: "
                                  f"{', '.join(dictionary.frame_names)}{suggest(unknown[0], dictionary.frame_names)}", f"{where}.frames")
            dictionary = dictionary.select(item["frames"])
        frame_names = list(dictionary.frame_names)
        colors = plot.frame_colors(frame_names, order=colour_order)
        labels = {f: _frame_label(dictionary, f, a.run.config["locale"]) for f in frame_names}
        sharded = a.sharded is not None
        counted = None if sharded else _token_filter(a.tokens, item["filter"])
        a.table("frame_dictionary", dictionary.patterns())
        if sharded and item["counts"]:
            from discourse.engines.stats import frame_counts

            counts = frame_counts(a.sharded, dictionary, filter=item["filter"], columns=_count_columns(item["counts"]),
                                  engine=a.run.engine, progress=a.run.progress)
            a.ran("frames.counts", a.on_shards())
        for i, c in enumerate(item["counts"]):
            w = f"{where}.counts[{i}]"
            params = {k: v for k, v in c.items() if k not in _COUNT_OWN}
            toks = counts if sharded else counted
            by = params.get("by")
            if isinstance(by, str) and by.startswith("topic:"):
                model = a.models[by.split(":", 1)[1]]
                dominant = np.asarray(model.topic_ids_, dtype=object)[np.asarray(model.doc_topics_).argmax(axis=1)]
                meta = (counts if sharded else counted).metadata.copy()
                # whole topic numbers (a document left out of the matrix has none: NA, reported as skipped)
                meta["topic"] = meta["doc_id"].map(pd.Series(dominant, index=list(model.doc_ids_))).astype("Int64")
                toks = counts.with_metadata(meta) if sharded else counted._replace(metadata=meta)
                params["by"] = by = "topic"
                topic_names = dict(zip(model.topic_ids_, model.topic_names()))
            else:
                topic_names = None
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    table = frames_table(toks, dictionary, **params) if sharded else count_frames(toks, dictionary, **params)
            except ValueError as err:
                raise _located(err, w, c) from err
            a.warnings_as_notes(caught)
            stem = _count_stem(c)
            skipped = table.attrs.get("skipped")
            if isinstance(skipped, pd.DataFrame) and len(skipped):
                a.table(f"{stem}_skipped", skipped)
            a.table(stem, table)
            plotted = table[table["frame"].isin(c["frames"])] if c.get("frames") else table
            shown = plotted
            if c.get("groups") and by in plotted.columns:
                shown = plotted[plotted[by].astype(str).isin([str(g) for g in c["groups"]])]
            selection = (f"no row for frames {c.get('frames')} and groups {c.get('groups')}; frames in the table: "
                         f"{', '.join(map(str, table['frame'].unique()[:20]))}")
            if c.get("freq"):
                a.figure(stem, w, lambda t=plotted, c=c: plot.frame_rates(
                    t, frames=c.get("frames"), colors=colors, labels=labels, events=c.get("events")), rows=shown, selection=selection)
            elif by:
                a.figure(stem, w, lambda t=plotted, c=c, b=by, n=topic_names: plot.frames_by_group(
                    t, by=b, frames=c.get("frames"), colors=colors, labels=labels, groups=c.get("groups"), topic_names=n),
                    rows=shown, selection=selection)
        for i, k in enumerate(item["kwic"]):
            params = {key: v for key, v in k.items() if key not in _KWIC_OWN}
            if k["query"] in frame_names and "by" not in params and "match_on" not in params:
                params.update(match_on="frame", dictionary=dictionary)
            try:
                if sharded:
                    from discourse.engines import stats

                    table = stats.kwic(a.sharded, **params, max_rows=k.get("max_rows") or None, filter=item["filter"],
                                       engine=a.run.engine, progress=a.run.progress)
                    a.ran(f"frames.kwic {k['query']}", a.on_shards())
                else:
                    table = kwic(counted, **params)
            except ValueError as err:
                raise _located(err, f"{where}.kwic[{i}]", k) from err
            if k.get("max_rows"):
                table = table.head(k["max_rows"])
            a.table(_kwic_stem(k), table)
        if item.get("by_topic"):
            mname = item["by_topic"]["model"]
            if sharded:
                counted = _token_filter(a.tokens, item["filter"])
                a.ran("frames.by_topic", "local: in this process on the gathered tokens")
            table = frames_by_topic(counted, dictionary, a.models[mname])
            a.table(f"frames_by_topic_{mname}", table)
            model = a.models[mname]
            a.figure(f"frames_by_topic_{mname}", f"{where}.by_topic", lambda t=table: plot.frames_by_group(
                t, by="topic", colors=colors, labels=labels, topic_names=dict(zip(model.topic_ids_, model.topic_names()))),
                rows=table)


# ---------------------------------------------------------------------------------------------
# keyness and specificities
# ---------------------------------------------------------------------------------------------


def _keyness_stage(item: Mapping[str, Any]) -> Any:
    from discourse.frames import keyness

    return keyness


def _keyness_choices() -> dict[str, Any]:
    from discourse.frames.keyness import MEASURES

    return {"measure": MEASURES}


def _metadata_mask(a: Analysis, tokens: Any, by: str, value: Any, where: str) -> np.ndarray:
    """Documents whose ``by`` equals ``value`` (compared as text); errors list the values that exist."""
    if by not in tokens.metadata.columns:
        columns = list(tokens.metadata.columns)
        raise ConfigError(f"{where.rsplit('.', 1)[0]}.by: no metadata column {by!r}; columns: {', '.join(columns)}{suggest(by, columns)}",
                          f"{where.rsplit('.', 1)[0]}.by")
    column = tokens.metadata[by].astype("string")
    mask = (column == str(value)).fillna(False).to_numpy(dtype=bool)
    if not mask.any():
        values = sorted(str(v) for v in column.dropna().unique())
        raise ConfigError(f"{where}: no document has {by} = {value!r}; allowed values: {', '.join(values[:30])}{suggest(value, values)}", where)
    return mask


def _run_keyness(a: Analysis, item: dict[str, Any], where: str) -> None:
    from discourse import plot
    from discourse.frames import keyness

    with a.stage(f"keyness {item['by']}={item['target']}", where, item):
        params = stage_arguments(SECTIONS["keyness"], item)
        if a.sharded is not None:
            table = _keyness_on_shards(a, item, where, params)
        else:
            toks = a.filtered
            target = _metadata_mask(a, toks, item["by"], item["target"], f"{where}.target")
            params["reference_mask"] = None if item.get("reference") is None else \
                _metadata_mask(a, toks, item["by"], item["reference"], f"{where}.reference")
            table = keyness(toks, target, **params)
        stem = _keyness_stem(item)
        a.table(stem, table)
        reference = item.get("reference")
        a.figure(stem, where, lambda: plot.keyness(table, n=item["n"], target_label=str(item["target"]),
                                                   reference_label=str(reference if reference is not None else "rest"),
                                                   measure=params.get("measure", stage_default(keyness, "measure"))), rows=table)


def _metadata_of(a: Analysis) -> Any:
    """Something with the whole corpus's ``metadata``, for the checks of a sharded run (the loaded corpus)."""
    return a.corpus if a.corpus is not None else None


def _keyness_on_shards(a: Analysis, item: dict[str, Any], where: str, params: dict[str, Any]) -> pd.DataFrame:
    from discourse.engines import stats

    docs = _metadata_of(a)
    if docs is not None:  # the errors of the local run, naming the values that exist
        _metadata_mask(a, docs, item["by"], item["target"], f"{where}.target")
        if item.get("reference") is not None:
            _metadata_mask(a, docs, item["by"], item["reference"], f"{where}.reference")
    reference = None if item.get("reference") is None else stats.Equals(item["by"], item["reference"])
    table = stats.keyness(a.content(), stats.Equals(item["by"], item["target"]), reference=reference, **params,
                          engine=a.run.engine, progress=a.run.progress)
    a.ran(f"keyness {item['by']}={item['target']}", a.on_shards())
    return table


def _specificities_stage(item: Mapping[str, Any]) -> Any:
    from discourse.frames import specificities

    return specificities


def _run_specificities(a: Analysis, item: dict[str, Any], where: str) -> None:
    from discourse import plot
    from discourse.frames import specificities

    with a.stage(f"specificities {item['by']}", where, item):
        sharded = a.sharded is not None
        toks = _metadata_of(a) if sharded else a.filtered
        by = item["by"]
        if toks is not None and by not in toks.metadata.columns:
            columns = list(toks.metadata.columns)
            raise ConfigError(f"{where}.by: no metadata column {by!r}; columns: {', '.join(columns)}{suggest(by, columns)}", f"{where}.by")
        params = stage_arguments(SECTIONS["specificities"], item)
        groups = item.get("groups")
        if groups:
            params["parts"] = list(groups)
        if sharded:
            from discourse.engines import stats

            table = stats.specificities(a.content(), **params, engine=a.run.engine, progress=a.run.progress)
            a.ran(f"specificities {by}", a.on_shards())
        else:
            if groups:
                toks = toks.select_documents(toks.metadata[by].isin(list(groups)).fillna(False).to_numpy(dtype=bool))
            table = specificities(toks, **params)
        stem = _specificities_stem(item)
        a.table(stem, table)
        a.figure(stem, where, lambda: plot.specificities(table, by=by if by in table.columns else None, n=item["n"], groups=groups),
                 rows=table)


# ---------------------------------------------------------------------------------------------
# discourse check: the section's requests against the corpus metadata and the dictionary
# ---------------------------------------------------------------------------------------------


class Facts:
    """What ``discourse check`` knows about one analysis's data: its metadata and its dictionary."""

    def __init__(self, metadata: pd.DataFrame, loaded: Any, spec: Mapping[str, Any]) -> None:
        self.metadata = metadata
        self.loaded = loaded
        self.spec = spec
        self._dictionary: Any = None

    def column(self, column: Any, where: str) -> Iterator[ConfigError]:
        """An error when the metadata has no such column."""
        if column not in self.metadata.columns:
            columns = [str(c) for c in self.metadata.columns]
            yield ConfigError(f"{where}: no metadata column {column!r}; columns: {', '.join(columns)}{suggest(column, columns)}", where)

    def values(self, column: Any, wanted: Any, where: str) -> Iterator[ConfigError]:
        """An error for each wanted value that no document has (values compared as text)."""
        yield from missing_values(self.metadata, column, wanted, where)

    def dictionary(self, where: str) -> Any:
        """The analysis's frame dictionary (loaded once), or a ConfigError at ``where``."""
        if self._dictionary is None:
            source = (self.spec.get("frames") or {}).get("dictionary", "default")
            try:
                self._dictionary = load_dictionary(source, self.loaded)
            except ValueError as err:
                raise ConfigError(f"{where}: {excerpt(err, 300)}", where) from None
        return self._dictionary

    def frames(self, names: Any, where: str) -> Iterator[ConfigError]:
        """An error when a frame name is not in the dictionary."""
        if not names:
            return
        try:
            known = list(self.dictionary(where.split(".frames")[0] + ".frames.dictionary").frame_names)
        except ConfigError as err:
            yield err
            return
        unknown = [f for f in names if f not in known]
        if unknown:
            yield ConfigError(f"{where}: {unknown} not in the dictionary; allowed values: {', '.join(known)}{suggest(unknown[0], known)}", where)


def missing_values(metadata: pd.DataFrame, column: Any, wanted: Any, where: str) -> list[ConfigError]:
    """One error for each wanted value of ``column`` that no document has (compared as text)."""
    if column not in metadata.columns or wanted is None:
        return []
    present = sorted({str(v) for v in metadata[column].dropna().unique()})
    errors = []
    for value in wanted if isinstance(wanted, (list, tuple, set)) else [wanted]:
        if str(value) not in present:
            shown = ", ".join(present[:30]) + (f", … ({len(present)} values)" if len(present) > 30 else "")
            errors.append(ConfigError(f"{where}: no document has {column} = {value!r}; allowed values: {shown}"
                                      f"{suggest(value, present)}", where))
    return errors


def data_problems(spec: Mapping[str, Any], where: str, metadata: pd.DataFrame, loaded: Any) -> list[ConfigError]:
    """Every request of an analysis that its data cannot satisfy (``discourse check``)."""
    facts = Facts(metadata, loaded, spec)
    problems: list[ConfigError] = []
    for key, section in SECTIONS.items():
        if not spec.get(key):
            continue
        items = spec[key] if section.many else [spec[key]]
        for i, item in enumerate(items):
            w = f"{where}.{key}[{i}]" if section.many else f"{where}.{key}"
            problems += list(stage_param_problems(section, item, w))
            if section.probe is not None:
                problems += list(section.probe(item, w, facts))
    return problems


def stage_param_problems(section: Section, item: Mapping[str, Any], where: str) -> Iterator[ConfigError]:
    """The stage's own check of its parameters, without fitting: its ``_check_params()`` when it has one.

    A stage class that defines ``_check_params`` (the hook of :class:`discourse.base.Estimator`)
    is built with the section's keys and asked to check them; its ``ValueError`` becomes an error
    at the key it names. Stages without the hook check their values when they run.
    """
    stage = section.stage(item) if callable(section.stage) else section.stage
    if not isinstance(stage, type) or not callable(getattr(stage, "_check_params", None)):
        return
    try:
        extra = {"n_topics": item["k"]} if "n_topics" in section.supplied and "k" in item else {}
        stage(**stage_arguments(section, item), **extra)._check_params()
    except ConfigError as err:
        yield err
    except (TypeError, ValueError) as err:
        yield _located(ValueError(str(err)), where, item)


def _probe_model(item: dict[str, Any], where: str, facts: Facts) -> Iterator[ConfigError]:
    from discourse.topics import topic_prevalence

    # the metadata column a covariate model reads (its default read from its signature)
    covariate = {"dmr": "covariate", "dynamic_lda": "time"}.get(item["type"])
    if covariate:
        cls = model_classes()[item["type"]]
        written = "metadata" if item["type"] == "dmr" and "metadata" in item else covariate  # the key in the file
        yield from facts.column(item.get(written, stage_default(cls, covariate)), f"{where}.{written}")

    for j, p in enumerate(item["prevalence"]):
        w = f"{where}.prevalence[{j}]"
        if p.get("by"):
            yield from facts.column(p["by"], f"{w}.by")
        if p.get("freq"):
            yield from facts.column(p.get("date_column", stage_default(topic_prevalence, "date_column")), f"{w}.freq")


def _probe_frames(item: dict[str, Any], where: str, facts: Facts) -> Iterator[ConfigError]:
    from discourse.frames import count_frames

    try:
        facts.dictionary(f"{where}.dictionary")
    except ConfigError as err:
        yield err
        return
    yield from facts.frames(item.get("frames"), f"{where}.frames")
    selected = item.get("frames")
    for i, c in enumerate(item["counts"]):
        w = f"{where}.counts[{i}]"
        yield from facts.frames(c.get("frames"), f"{w}.frames")
        if selected and c.get("frames"):
            outside = [f for f in c["frames"] if f not in selected]
            if outside:
                yield ConfigError(f"{w}.frames: {outside} not among the frames selected in {where}.frames ({', '.join(selected)})",
                                  f"{w}.frames")
        by = c.get("by")
        if isinstance(by, str) and not by.startswith("topic:"):
            yield from facts.column(by, f"{w}.by")
            yield from facts.values(by, c.get("groups"), f"{w}.groups")
        if c.get("freq"):
            yield from facts.column(c.get("date_column", stage_default(count_frames, "date_column")), f"{w}.freq")


def _probe_keyness(item: dict[str, Any], where: str, facts: Facts) -> Iterator[ConfigError]:
    yield from facts.column(item["by"], f"{where}.by")
    yield from facts.values(item["by"], item["target"], f"{where}.target")
    yield from facts.values(item["by"], item.get("reference"), f"{where}.reference")


def _probe_specificities(item: dict[str, Any], where: str, facts: Facts) -> Iterator[ConfigError]:
    yield from facts.column(item["by"], f"{where}.by")
    yield from facts.values(item["by"], item.get("groups"), f"{where}.groups")



# ---------------------------------------------------------------------------------------------
# scaling: Wordfish, Wordscores, LSS on rows grouped by a metadata column
# ---------------------------------------------------------------------------------------------


def scaling_classes() -> dict[str, Any]:
    """``method`` of a scaling section → the class fitted."""
    from discourse.scaling import LSS, Wordfish, Wordscores

    return {"wordfish": Wordfish, "wordscores": Wordscores, "lss": LSS}


def _scaling_class(item: Mapping[str, Any]) -> Any:
    return scaling_classes().get(item.get("method", "wordfish"), scaling_classes()["wordfish"])


def _scaling_choices() -> dict[str, Any]:
    return {"method": list(scaling_classes())}


# keys of the pipeline that only one method reads (the fit's second argument, the rescaling)
_SCALING_ONLY = {"scores": "wordscores", "rescaling": "wordscores", "seeds": "lss"}


def _check_scaling(item: dict[str, Any], where: str, context: dict[str, Any]) -> None:
    method = item["method"]
    for key, owner in _SCALING_ONLY.items():
        if item.get(key) is not None and method != owner:
            fail(f"{where}.{key}", f"'{key}' is a key of method {owner}, not of {method}")
    if method == "wordscores" and item.get("scores") is None:
        fail(where, "missing key 'scores' (reference rows and their scores, or a metadata column of scores)")
    if method == "lss":
        seeds = item.get("seeds")
        if not isinstance(seeds, Mapping):
            fail(f"{where}.seeds" if seeds is not None else where,
                 "give 'seeds': {positive: [words], negative: [words]} or a mapping word: weight")
    if item.get("group") is not None:
        item["group"] = str(item["group"])
    if item.get("min_tokens") is not None:
        check_int(item["min_tokens"], f"{where}.min_tokens", minimum=1)
    if item.get("filter") is not None and not isinstance(item["filter"], Mapping):
        fail(f"{where}.filter", "expected a mapping column: value (or list of values), e.g. {vote: [pour, contre]}")
    item["highlight"] = [str(x) for x in as_list(item.get("highlight"), f"{where}.highlight")]
    check_int(item["n_labels"], f"{where}.n_labels", minimum=0)
    check_int(item["min_count"], f"{where}.min_count", minimum=0)
    if "name" in item and item["name"] is not None:
        item["name"] = check_name(item["name"], f"{where}.name")


def _scaling_stem(item: Mapping[str, Any]) -> str:
    return item.get("name") or (f"{item['method']}_{slug(item['group'])}" if item.get("group") else item["method"])


def _scaling_names(item: Mapping[str, Any]) -> list[str]:
    stem = _scaling_stem(item)
    return [f"{stem}_positions", f"{stem}_word_weights", f"{stem}_left_out"]


def _filter_mask(metadata: pd.DataFrame, spec: Mapping[str, Any], where: str) -> tuple[np.ndarray, list[tuple[int, str]]]:
    """Rows whose metadata match every ``column: value(s)`` of ``spec`` (compared as text), and why the others do not."""
    keep = np.ones(len(metadata), dtype=bool)
    reasons: list[tuple[int, str]] = []
    for column, wanted in spec.items():
        if column not in metadata.columns:
            columns = [str(c) for c in metadata.columns]
            raise ConfigError(f"{where}.{column}: no metadata column {column!r} in the rows; columns: {', '.join(columns)}"
                              f"{suggest(column, columns)}", f"{where}.{column}")
        values = [str(v) for v in (wanted if isinstance(wanted, (list, tuple)) else [wanted])]
        match = metadata[column].astype("string").isin(values).fillna(False).to_numpy(dtype=bool)
        reasons += [(i, f"filter {column}: {metadata[column].iloc[i]!s} not in {values}") for i in np.flatnonzero(keep & ~match)]
        keep &= match
    return keep, reasons


def _scaling_rows(a: Analysis, item: Mapping[str, Any], where: str) -> tuple[Any, Any, pd.DataFrame]:
    """(documents kept by the filter, the rows to place, the table of what was left out and why)."""
    docs = a.dtm
    left: list[dict[str, Any]] = []
    if item.get("filter"):
        keep, reasons = _filter_mask(docs.metadata, item["filter"], f"{where}.filter")
        left += [{"row": docs.doc_ids[i], "step": "filter", "reason": r} for i, r in reasons]
        if not keep.any():
            raise ConfigError(f"{where}.filter: no document matches {dict(item['filter'])}", f"{where}.filter")
        docs = docs.select_documents(keep)
    rows = docs
    if item.get("group"):
        column = item["group"]
        if column not in docs.metadata.columns:
            columns = [str(c) for c in docs.metadata.columns]
            raise ConfigError(f"{where}.group: no metadata column {column!r}; columns: {', '.join(columns)}{suggest(column, columns)}",
                              f"{where}.group")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            rows = docs.group(column)
        a.warnings_as_notes(caught)
        left += [{"row": str(d), "step": "group", "reason": str(r)} for d, r in zip(rows.excluded["doc_id"], rows.excluded["reason"])]
    if item.get("min_tokens"):
        lengths = np.asarray(rows.lengths)
        short = lengths < item["min_tokens"]
        left += [{"row": rows.doc_ids[i], "step": "min_tokens", "reason": f"{int(lengths[i])} tokens < {item['min_tokens']}"}
                 for i in np.flatnonzero(short)]
        rows = rows.select_documents(~short)
    if rows.shape[0] == 0:
        raise ConfigError(f"{where}: no row is left to place (see the filter, group and min_tokens keys)", where)
    table = pd.DataFrame(left, columns=["row", "step", "reason"]).astype(str)
    return docs, rows, table


def _run_scaling(a: Analysis, item: dict[str, Any], where: str) -> None:
    from discourse import plot

    stem = _scaling_stem(item)
    method = item["method"]
    with a.stage(f"scaling {stem}", where, item):
        docs, rows, left_out = _scaling_rows(a, item, where)
        steps = left_out["step"].value_counts()
        what = {"filter": "documents by the filter", "group": "documents or groups by group()", "min_tokens": "rows by min_tokens"}
        a.note(f"{stem}: {rows.shape[0]} rows placed; left out: "
               + (", ".join(f"{steps[s]} {what[s]}" for s in what if s in steps) or "none") + f" (listed in {stem}_left_out)")
        a.table(f"{stem}_left_out", left_out)
        params = stage_arguments(SECTIONS["scaling"], item)
        if isinstance(params.get("dir"), list):
            params["dir"] = tuple(params["dir"])
        model = scaling_classes()[method](**params)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if method == "wordfish":
                model.fit(rows)
                positions = model.positions(level=item["level"])
                a.note(f"{stem}: Wordfish {'converged' if model.converged_ else 'did NOT converge'} in {model.n_iter_} iterations")
            elif method == "wordscores":
                model.fit(rows, item["scores"])
                positions = model.positions(rescaling=item.get("rescaling") or "none", level=item["level"])
            else:
                seeds = item["seeds"]
                if set(seeds) == {"positive", "negative"}:
                    seeds = (list(as_list(seeds["positive"], f"{where}.seeds.positive")),
                             list(as_list(seeds["negative"], f"{where}.seeds.negative")))
                # the embedding is learnt on the documents (short turns), the rows are scored with it
                model.fit(docs, seeds)
                positions = model.positions(rows, level=item["level"])
        a.warnings_as_notes(caught)
        weights = model.word_weights()
        a.table(f"{stem}_positions", positions)
        a.table(f"{stem}_word_weights", weights)
        score = {"wordfish": "theta"}.get(method, "score")
        by = item.get("by")
        xlabel = {"wordfish": "Wordfish position (θ)", "wordscores": "Wordscores score", "lss": "LSS score"}[method]
        a.figure(f"{stem}_positions", where, lambda: plot.positions(positions.dropna(subset=[score]), score=score, by=by,
                                                                      xlabel=xlabel), rows=positions)
        if method == "wordfish":
            drawn, x, y, labels = weights, "beta", "psi", None
        else:
            # a word's weight against its log frequency: the same reading as Wordfish's β against ψ
            x = "score" if method == "wordscores" else "polarity"
            drawn, y = weights[weights["count"] > 0].assign(log_count=lambda t: np.log(t["count"])), "log_count"
            labels = (("Word score (Wordscores)", "Log count in the reference rows") if method == "wordscores"
                      else ("Word polarity (LSS)", "Log count in the documents"))

        def draw_weights() -> Any:
            ax = plot.word_weights(drawn, x=x, y=y, highlight=item["highlight"], n_labels=item["n_labels"],
                                   min_count=item["min_count"])
            if labels:
                ax.set_xlabel(labels[0])
                ax.set_ylabel(labels[1])
            return ax

        a.figure(f"{stem}_word_weights", where, draw_weights, rows=drawn)


def _constant_within(facts: Facts, group: str | None, column: str, where: str) -> Iterator[ConfigError]:
    """An error when ``column`` varies within a group: group() keeps only the columns constant in each group."""
    meta = facts.metadata
    if not group or group not in meta.columns or column not in meta.columns or column == group:
        return
    varying = meta.groupby(group, dropna=True)[column].nunique(dropna=False)
    varying = varying[varying > 1]
    if len(varying):
        yield ConfigError(f"{where}: {column!r} takes several values within {len(varying)} groups of {group!r} (first: "
                          f"{', '.join(map(str, varying.index[:3]))}); grouped rows keep only the columns constant in each group",
                          where)


def _probe_scaling(item: dict[str, Any], where: str, facts: Facts) -> Iterator[ConfigError]:
    group = item.get("group")
    for column, wanted in (item.get("filter") or {}).items():
        yield from facts.column(column, f"{where}.filter.{column}")
        yield from facts.values(column, wanted, f"{where}.filter.{column}")
    if group:
        yield from facts.column(group, f"{where}.group")
    if item.get("by"):
        yield from facts.column(item["by"], f"{where}.by")
        yield from _constant_within(facts, group, item["by"], f"{where}.by")
    if isinstance(item.get("scores"), str):
        yield from _constant_within(facts, group, item["scores"], f"{where}.scores")
    named = group if group else "doc_id"
    if isinstance(item.get("dir"), (list, tuple)):
        yield from facts.values(named, [d for d in item["dir"] if isinstance(d, str)], f"{where}.dir")
    scores = item.get("scores")
    if isinstance(scores, str):
        yield from facts.column(scores, f"{where}.scores")
    elif isinstance(scores, Mapping):
        yield from facts.values(named, list(scores), f"{where}.scores")


# ---------------------------------------------------------------------------------------------
# effects: estimate_effect on a fitted model of the analysis
# ---------------------------------------------------------------------------------------------


def _effects_stage(item: Mapping[str, Any]) -> Any:
    from discourse.topics import estimate_effect

    return estimate_effect


def _check_effects(item: dict[str, Any], where: str, context: dict[str, Any]) -> None:
    check_choice(item["model"], context.get("_model_names", []), f"{where}.model (a model name of 'models')")
    if not isinstance(item["formula"], str):
        fail(f"{where}.formula", "expected a formula such as 'group + s(date, df=4)'")
    contrasts = []
    for j, c in enumerate(as_list(item.get("contrasts"), f"{where}.contrasts")):
        w = f"{where}.contrasts[{j}]"
        c = check_keys(c, ["variable", "reference", "other", "name"], w)
        for key in ("variable", "reference", "other"):
            if key not in c:
                fail(w, f"missing key {key!r} (a contrast is 'other' minus 'reference' of a categorical 'variable')")
        if "name" in c:
            c["name"] = check_name(c["name"], f"{w}.name")
        contrasts.append(c)
    item["contrasts"] = contrasts
    curves = []
    for j, c in enumerate(as_list(item.get("curves"), f"{where}.curves")):
        c = check_keys({"variable": c} if isinstance(c, str) else c, ["variable", "topics"], f"{where}.curves[{j}]")
        if "variable" not in c:
            fail(f"{where}.curves[{j}]", "missing key 'variable' (a numeric or date term of the formula)")
        c["variable"] = str(c["variable"])
        if c.get("topics") is not None:
            c["topics"] = [check_int(t, f"{where}.curves[{j}].topics", minimum=0) for t in as_list(c["topics"], f"{where}.curves[{j}].topics")]
        curves.append(c)
    item["curves"] = curves
    item["levels"] = [str(v) for v in as_list(item.get("levels"), f"{where}.levels")]
    check_int(item["n_points"], f"{where}.n_points", minimum=2)
    if item.get("name") is not None:
        item["name"] = check_name(item["name"], f"{where}.name")


def _effects_stem(item: Mapping[str, Any]) -> str:
    return item.get("name") or f"effects_{item['model']}"


def _contrast_stem(stem: str, c: Mapping[str, Any]) -> str:
    return c.get("name") or f"{stem}_contrast_{slug(c['variable'])}_{slug(c['other'])}_vs_{slug(c['reference'])}"


def _effects_names(item: Mapping[str, Any]) -> list[str]:
    stem = _effects_stem(item)
    names = [f"{stem}_coefficients"] + [_contrast_stem(stem, c) for c in item["contrasts"]]
    names += [f"{stem}_curve_{slug(c['variable'])}" for c in item["curves"]] + [f"{stem}_levels_{slug(v)}" for v in item["levels"]]
    return names


def _run_effects(a: Analysis, item: dict[str, Any], where: str) -> None:
    from discourse import plot
    from discourse.topics import estimate_effect

    stem = _effects_stem(item)
    with a.stage(f"effects {stem}", where, item):
        params = stage_arguments(SECTIONS["effects"], item)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                effects = estimate_effect(a.models[item["model"]], a.dtm, **params)
            except KeyError as err:  # a formula term that is not a column
                raise ConfigError(f"{where}.formula: {excerpt(err.args[0], 300)}", f"{where}.formula") from None
        a.warnings_as_notes(caught)
        a.note(f"{stem}: {effects!r}")
        a.table(f"{stem}_coefficients", effects.coefficients())
        for j, c in enumerate(item["contrasts"]):
            w = f"{where}.contrasts[{j}]"
            try:
                table = effects.contrast(c["variable"], c["reference"], c["other"])
            except (KeyError, ValueError) as err:
                raise ConfigError(f"{w}: {excerpt(err.args[0], 300)}", w) from None
            name = _contrast_stem(stem, c)
            a.table(name, table)
            a.figure(name, w, lambda t=table: plot.effect_contrast(t), rows=table)
        for j, c in enumerate(item["curves"]):
            w, variable = f"{where}.curves[{j}]", c["variable"]
            try:
                table = effects.curve(variable, n_points=item["n_points"])
            except (KeyError, ValueError) as err:
                raise ConfigError(f"{w}: {excerpt(err.args[0], 300)}", w) from None
            name = f"{stem}_curve_{slug(variable)}"
            a.table(name, table)
            shown = table if c.get("topics") is None else table[table["topic"].isin(c["topics"])]
            a.figure(name, w, lambda t=table, v=variable, c=c: plot.effect_curve(t, v, topics=c.get("topics")), rows=shown,
                     selection=f"topics {c.get('topics')} not among the topics of the table ({sorted(set(table['topic']))})")
        for variable in item["levels"]:
            try:
                table = effects.levels(variable)
            except (KeyError, ValueError) as err:
                raise ConfigError(f"{where}.levels: {excerpt(err.args[0], 300)}", f"{where}.levels") from None
            a.table(f"{stem}_levels_{slug(variable)}", table)


def _formula_columns(formula: str) -> list[str]:
    """The metadata columns a formula names (``group + s(date, df=4)`` → group, date)."""
    from discourse.topics.effects import _TERM

    columns = []
    for raw in formula.split("+"):
        m = _TERM.match(raw.strip())
        if m:
            columns.append((m.group("inner") or m.group("name")).strip())
    return columns


def _probe_effects(item: dict[str, Any], where: str, facts: Facts) -> Iterator[ConfigError]:
    columns = _formula_columns(item["formula"])
    for column in columns:
        yield from facts.column(column, f"{where}.formula")
    for j, c in enumerate(item["contrasts"]):
        w = f"{where}.contrasts[{j}]"
        if c["variable"] not in columns:
            yield ConfigError(f"{w}.variable: {c['variable']!r} is not a term of the formula {item['formula']!r}", f"{w}.variable")
            continue
        yield from facts.values(c["variable"], c["reference"], f"{w}.reference")
        yield from facts.values(c["variable"], c["other"], f"{w}.other")
    for key, variables in (("curves", [c["variable"] for c in item["curves"]]), ("levels", item["levels"])):
        for v in variables:
            if v not in columns:
                yield ConfigError(f"{where}.{key}: {v!r} is not a term of the formula {item['formula']!r}", f"{where}.{key}")


# ---------------------------------------------------------------------------------------------
# textometry: Reinert classification of segments, correspondence analysis
# ---------------------------------------------------------------------------------------------


def _reinert_stage(item: Mapping[str, Any]) -> Any:
    from discourse.textometry import Reinert

    return Reinert


def _check_reinert(item: dict[str, Any], where: str, context: dict[str, Any]) -> None:
    item["crosstab"] = [str(c) for c in as_list(item.get("crosstab"), f"{where}.crosstab")]
    check_int(item["n_segments"], f"{where}.n_segments", minimum=0)
    check_int(item["n_terms"], f"{where}.n_terms", minimum=1)
    if item.get("min_tokens") is not None:
        check_int(item["min_tokens"], f"{where}.min_tokens", minimum=1)
    item["name"] = check_name(item["name"], f"{where}.name")


def _reinert_names(item: Mapping[str, Any]) -> list[str]:
    stem = item["name"]
    names = [f"{stem}_{t}" for t in ("segments", "classes", "profiles", "characteristic_segments", "doc_classes", "tree",
                                     "dendrogram", "left_out")]
    return names + [f"{stem}_by_{slug(c)}" for c in item["crosstab"]]


def _run_reinert(a: Analysis, item: dict[str, Any], where: str) -> None:
    from discourse import plot
    from discourse.textometry import Reinert

    stem = item["name"]
    with a.stage(f"reinert {stem}", where, item):
        # segments of content tokens (the dtm's token filter): segment_size counts those
        tokens = a.filtered
        if item.get("min_tokens"):
            # short turns (« Bravo ! », « Lamentable ! ») make tiny classes of interjections: left out, listed
            lengths = np.asarray(tokens.lengths)
            short = np.flatnonzero(lengths < item["min_tokens"])
            a.table(f"{stem}_left_out", pd.DataFrame({
                "doc_id": pd.Series([tokens.doc_ids[i] for i in short], dtype=object),
                "reason": pd.Series([f"{int(lengths[i])} tokens < {item['min_tokens']}" for i in short], dtype=object)}))
            a.note(f"{stem}: {len(short)} of {len(lengths)} documents with fewer than {item['min_tokens']} tokens left out "
                   f"(listed in {stem}_left_out)")
            if len(short) == len(lengths):
                raise ConfigError(f"{where}.min_tokens: no document has {item['min_tokens']} tokens or more", f"{where}.min_tokens")
            tokens = tokens.select_documents(np.flatnonzero(lengths >= item["min_tokens"]))
        model = Reinert(**stage_arguments(SECTIONS["reinert"], item), progress=a.run.progress).fit(tokens)
        seg = model.segments_
        unclassified = int(seg["class"].isna().sum())
        a.note(f"{stem}: {model.n_classes_} classes; {len(seg) - unclassified} of {len(seg)} segments classified"
               + (f"; stopped: {model.stopped_}" if model.stopped_ else ""))
        a.table(f"{stem}_segments", seg)
        a.table(f"{stem}_classes", model.classes_)
        a.table(f"{stem}_profiles", model.profiles_)
        a.table(f"{stem}_tree", model.tree_)
        doc_classes = model.doc_classes_.rename("class").rename_axis("doc_id").reset_index()
        a.table(f"{stem}_doc_classes", doc_classes)
        if item["n_segments"]:
            classes = [int(c) for c in model.classes_["class"]]
            a.table(f"{stem}_characteristic_segments", pd.concat(
                [model.characteristic_segments(c, n=item["n_segments"]) for c in classes], ignore_index=True))
        for column in item["crosstab"]:
            meta = tokens.metadata
            if column not in meta.columns:
                columns = [str(c) for c in meta.columns]
                raise ConfigError(f"{where}.crosstab: no metadata column {column!r}; columns: {', '.join(columns)}"
                                  f"{suggest(column, columns)}", f"{where}.crosstab")
            a.table(f"{stem}_by_{slug(column)}", model.crosstab(meta, column=column))
        a.figure(f"{stem}_dendrogram", where, lambda: plot.reinert_dendrogram(model, n_terms=item["n_terms"],
                                                                               locale=a.run.config["locale"]))


def _probe_reinert(item: dict[str, Any], where: str, facts: Facts) -> Iterator[ConfigError]:
    for column in item["crosstab"]:
        yield from facts.column(column, f"{where}.crosstab")


def _ca_stage(item: Mapping[str, Any]) -> Any:
    from discourse.textometry import CA

    return CA


def _check_ca(item: dict[str, Any], where: str, context: dict[str, Any]) -> None:
    for key in ("supplementary_rows", "supplementary_columns"):
        item[key] = [str(v) for v in as_list(item.get(key), f"{where}.{key}")]
    check_int(item["max_labels"], f"{where}.max_labels", minimum=0)
    if item.get("min_count") is not None:
        check_int(item["min_count"], f"{where}.min_count", minimum=1)
    if item.get("by") is not None:
        item["by"] = str(item["by"])
    if item.get("name") is not None:
        item["name"] = check_name(item["name"], f"{where}.name")


def _ca_stem(item: Mapping[str, Any]) -> str:
    return item.get("name") or (f"ca_{slug(item['by'])}" if item.get("by") else "ca")


def _ca_names(item: Mapping[str, Any]) -> list[str]:
    stem = _ca_stem(item)
    return [f"{stem}_{t}" for t in ("eigenvalues", "rows", "columns", "skipped", "biplot")]


def _ca_side(model: Any, side: str) -> pd.DataFrame:
    """One row a label of one side: mass, coordinates, contributions (%), cos², active or supplementary."""
    coords = getattr(model, f"{side}_coordinates_")
    frame = pd.concat([getattr(model, f"{side}_masses_").rename("mass"), coords,
                       getattr(model, f"{side}_contributions_").add_prefix("contribution_"),
                       getattr(model, f"{side}_cos2_").add_prefix("cos2_")], axis=1)
    frame.insert(0, "supplementary", False)
    sup = pd.concat([getattr(model, f"{side}_sup_coordinates_"), getattr(model, f"{side}_sup_cos2_").add_prefix("cos2_")], axis=1)
    if len(sup):
        sup.insert(0, "supplementary", True)
        frame = pd.concat([frame, sup])
    return frame.rename_axis("label").reset_index()


def _run_ca(a: Analysis, item: dict[str, Any], where: str) -> None:
    from discourse import plot
    from discourse.textometry import CA, lexical_table

    stem = _ca_stem(item)
    with a.stage(f"correspondence analysis {stem}", where, item):
        if item.get("by"):
            by = item["by"]
            if by not in a.dtm.metadata.columns:
                columns = [str(c) for c in a.dtm.metadata.columns]
                raise ConfigError(f"{where}.by: no metadata column {by!r}; columns: {', '.join(columns)}{suggest(by, columns)}",
                                  f"{where}.by")
            table = lexical_table(a.dtm, by)
            if table.attrs.get("dropped"):
                a.note(f"{stem}: {table.attrs['dropped']} documents without a value of {by!r} left out of the lexical table")
        else:
            table = a.dtm
        dropped = pd.DataFrame(columns=["kind", "label", "reason"])
        if item.get("min_count"):
            counts = np.asarray(table.sum(axis=0) if isinstance(table, pd.DataFrame) else table.matrix.sum(axis=0)).ravel()
            rare = counts < item["min_count"]
            names = list(table.columns) if isinstance(table, pd.DataFrame) else list(table.vocabulary)
            dropped = pd.DataFrame({"kind": "column", "label": [names[j] for j in np.flatnonzero(rare)],
                                    "reason": [f"count {int(counts[j])} < min_count {item['min_count']}" for j in np.flatnonzero(rare)]})
            a.note(f"{stem}: {int(rare.sum())} of {rare.size} terms counted fewer than {item['min_count']} times left out "
                   f"(listed in {stem}_skipped)")
            if isinstance(table, pd.DataFrame):
                table = table.loc[:, ~rare]
            else:
                from discourse.dtm import DocumentTermMatrix

                keep = np.flatnonzero(~rare)
                table = DocumentTermMatrix(table.matrix[:, keep], [names[j] for j in keep], table.doc_ids, table.metadata)
        try:
            model = CA(**stage_arguments(SECTIONS["ca"], item)).fit(
                table, supplementary_rows=item["supplementary_rows"] or None,
                supplementary_columns=item["supplementary_columns"] or None)
        except KeyError as err:  # a supplementary label that is not in the table
            raise ConfigError(f"{where}: {excerpt(err.args[0], 300)}", where) from None
        if len(model.skipped_):
            a.note(f"{stem}: {len(model.skipped_)} rows or columns with a zero total left out (listed in {stem}_skipped)")
        a.table(f"{stem}_eigenvalues", model.eigenvalue_table().rename_axis("axis").reset_index())
        a.table(f"{stem}_rows", _ca_side(model, "row"))
        a.table(f"{stem}_columns", _ca_side(model, "column"))
        a.table(f"{stem}_skipped", pd.concat([dropped, model.skipped_], ignore_index=True).astype(str))
        if model.eigenvalues_.size >= 2:
            a.figure(f"{stem}_biplot", where, lambda: plot.ca_biplot(model, max_labels=item["max_labels"],
                                                                     locale=a.run.config["locale"]))
        else:
            a.note(f"{stem}: one axis only, no biplot drawn")


def _probe_ca(item: dict[str, Any], where: str, facts: Facts) -> Iterator[ConfigError]:
    if item.get("by"):
        yield from facts.column(item["by"], f"{where}.by")
        yield from facts.values(item["by"], item["supplementary_rows"] or None, f"{where}.supplementary_rows")


# ---------------------------------------------------------------------------------------------
# the registry itself: YAML section → stage
# ---------------------------------------------------------------------------------------------


SECTIONS: dict[str, Section] = {
    "preprocess": Section("preprocess", _preprocessor, _run_preprocess, many=False,
                          defaults={"backend": "fast"}, choices=_preprocess_choices),
    "dtm": Section("dtm", _dtm_stage, _run_dtm, many=False,
                   own={"filter": {"stop_words": True, "punctuation": True, "min_length": 2}}, supplied=("tokens",),
                   check=_check_dtm),
    "select_k": Section("select_k", _select_k_stage, _run_select_k, many=False, needs="dtm",
                        own={"type": "lda"}, supplied=("dtm", "tokens", "progress", "model"), required=("ks",),
                        choices=_select_k_choices, check=_check_select_k, names=lambda item: ["select_k"]),
    "models": Section("models", _model_class, _run_model, needs="dtm",
                      own={"name": None, "type": "lda", "k": None, "top_terms": 10, "lam": 0.6, "coherence": None,
                           "prevalence": None, "pyldavis": False, "sample_size": None, "fold_in_iter": None},
                      supplied=("n_topics", "progress"), choices=_model_choices, check=_check_model, names=_model_names, probe=_probe_model,
                      given=lambda item: {"n_topics": item["k"]},
                      # DMR's former parameter name, still written in analysis files: passed as covariate=
                      aliases=lambda item: {"metadata": "covariate"} if item.get("type") == "dmr" else {}),
    "frames": Section("frames", None, _run_frames, many=False, own=_FRAMES_OWN,
                      check=_check_frames, names=lambda item: _frames_names_located(item) if item else [], probe=_probe_frames),
    "keyness": Section("keyness", _keyness_stage, _run_keyness, own={"by": None, "target": None, "reference": None,
                                                                          "n": 20, "name": None},
                       supplied=("tokens", "target_mask", "reference_mask"), required=("by", "target"),
                       choices=_keyness_choices, names=lambda item: [_keyness_stem(item)], probe=_probe_keyness),
    "specificities": Section("specificities", _specificities_stage, _run_specificities,
                             own={"n": 10, "groups": None, "name": None}, supplied=("tokens", "parts"), shorthand="by",
                             required=("by",), names=lambda item: [_specificities_stem(item)], probe=_probe_specificities),
    "scaling": Section("scaling", _scaling_class, _run_scaling, needs="dtm",
                       own={"method": None, "name": None, "group": None, "min_tokens": None, "filter": None, "scores": None,
                            "rescaling": None, "seeds": None, "level": 0.95, "by": None, "highlight": None, "n_labels": 12,
                            "min_count": 20},
                       shorthand="method", required=("method",), choices=_scaling_choices, check=_check_scaling,
                       names=_scaling_names, probe=_probe_scaling),
    "effects": Section("effects", _effects_stage, _run_effects, needs="dtm",
                       own={"model": None, "name": None, "contrasts": None, "curves": None, "levels": None, "n_points": 50},
                       supplied=("model", "dtm"), required=("model", "formula"), check=_check_effects, names=_effects_names,
                       probe=_probe_effects),
    "reinert": Section("reinert", _reinert_stage, _run_reinert,
                       own={"name": "reinert", "min_tokens": None, "crosstab": None, "n_segments": 10, "n_terms": 6},
                       supplied=("progress",),
                       check=_check_reinert, names=_reinert_names, probe=_probe_reinert),
    "ca": Section("ca", _ca_stage, _run_ca, needs="dtm",
                  own={"by": None, "name": None, "min_count": None, "supplementary_rows": None, "supplementary_columns": None,
                       "max_labels": 40},
                  check=_check_ca, names=_ca_names, probe=_probe_ca),
}
# sections completed with their defaults even when the file leaves them out
_ALWAYS = ("preprocess", "dtm")
