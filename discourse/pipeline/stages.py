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
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from discourse.base import check_stage_params
from discourse.pipeline.config import (
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
    return {section.rename.get(k, k): v for k, v in item.items() if k not in section.own}


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
        self.tokens: Any = None
        self.filtered: Any = None  # tokens after the dtm's token filter (matrix, coherence, keyness)
        self.dtm: Any = None
        self.models: dict[str, Any] = {}
        self.seeds: dict[str, Any] = {"random_state": self.seed}

    # ------------------------------------------------------------------ helpers of the runners
    @contextmanager
    def stage(self, label: str, where: str, item: Mapping[str, Any] | None = None) -> Iterator[None]:
        """Time a stage; a ``ValueError`` of the stage becomes a ConfigError at the key it names."""
        self.run.say(f"[{self.name}] {label} …")
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
            a.dtm = DocumentTermMatrix.from_tokens(a.filtered, **stage_arguments(SECTIONS["dtm"], item))
        a.warnings_as_notes(caught)
        a.note(f"document-term matrix {a.dtm.shape[0]} × {a.dtm.shape[1]}")
        if len(a.dtm.excluded):
            a.table("dtm_excluded", a.dtm.excluded)
        a.table("dtm_terms", a.dtm.term_frequencies())


# ---------------------------------------------------------------------------------------------
# topic models
# ---------------------------------------------------------------------------------------------


def model_classes() -> dict[str, Any]:
    """``type`` of a model section → the class fitted."""
    from discourse.topics import LDA, NMF

    return {"lda": LDA, "nmf": NMF}


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


def _model_names(item: Mapping[str, Any]) -> list[str]:
    m = item["name"]
    names = [f"{m}_top_terms", f"{m}_doc_topics", f"{m}_coordinates", f"{m}_intertopic_map", f"{m}_ldavis"]
    names += [f"{m}_coherence_{c}" for c in item["coherence"]]
    names += [_prevalence_stem(m, p) for p in item["prevalence"]]
    return names


def _run_model(a: Analysis, item: dict[str, Any], where: str) -> None:
    from discourse import plot
    from discourse.topics import coherence, topic_prevalence
    from discourse.topics.coordinates import topic_coordinates

    mname = item["name"]
    section = SECTIONS["models"]
    with a.stage(f"model {mname}", where, item):
        cls = model_classes()[item["type"]]
        # no progress bar inside the fit: tomotopy 0.14's show_progress can recurse without end
        model = cls(n_topics=item["k"], **{k: v for k, v in stage_arguments(section, item).items()}).fit(a.dtm)
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
        for j, p in enumerate(item["prevalence"]):
            params = {k: v for k, v in p.items() if k != "name"}
            params.setdefault("random_state", a.seed)
            table = topic_prevalence(model, **params)
            stem = _prevalence_stem(mname, p)
            a.table(stem, table)
            a.figure(stem, f"{where}.prevalence[{j}]", lambda t=table: plot.topic_prevalence(t), rows=table)
        if item["pyldavis"]:
            from discourse.topics import to_pyldavis

            a.run.outputs.file(a.name, f"{mname}_ldavis.html", lambda path: to_pyldavis(model, a.dtm, path))


def _select_k_stage(item: Mapping[str, Any]) -> Any:
    from discourse.topics import select_k

    return select_k


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
        counted = _token_filter(a.tokens, item["filter"])
        a.table("frame_dictionary", dictionary.patterns())
        for i, c in enumerate(item["counts"]):
            w = f"{where}.counts[{i}]"
            params = {k: v for k, v in c.items() if k not in _COUNT_OWN}
            toks = counted
            by = params.get("by")
            if isinstance(by, str) and by.startswith("topic:"):
                model = a.models[by.split(":", 1)[1]]
                dominant = np.asarray(model.topic_ids_, dtype=object)[np.asarray(model.doc_topics_).argmax(axis=1)]
                meta = counted.metadata.copy()
                meta["topic"] = meta["doc_id"].map(pd.Series(dominant, index=list(a.dtm.doc_ids)))
                toks = counted._replace(metadata=meta)
                params["by"] = by = "topic"
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    table = count_frames(toks, dictionary, **params)
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
                a.figure(stem, w, lambda t=plotted, c=c, b=by: plot.frames_by_group(
                    t, by=b, frames=c.get("frames"), colors=colors, labels=labels, groups=c.get("groups")),
                    rows=shown, selection=selection)
        for i, k in enumerate(item["kwic"]):
            params = {key: v for key, v in k.items() if key not in _KWIC_OWN}
            if k["query"] in frame_names and "by" not in params:
                params.update(by="frame", dictionary=dictionary)
            try:
                table = kwic(counted, **params)
            except ValueError as err:
                raise _located(err, f"{where}.kwic[{i}]", k) from err
            if k.get("max_rows"):
                table = table.head(k["max_rows"])
            a.table(_kwic_stem(k), table)
        if item.get("by_topic"):
            mname = item["by_topic"]["model"]
            table = frames_by_topic(counted, dictionary, a.models[mname])
            a.table(f"frames_by_topic_{mname}", table)
            a.figure(f"frames_by_topic_{mname}", f"{where}.by_topic", lambda t=table: plot.frames_by_group(
                t, by="topic", colors=colors, labels=labels), rows=table)


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
        toks = a.filtered
        params = stage_arguments(SECTIONS["keyness"], item)
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


def _specificities_stage(item: Mapping[str, Any]) -> Any:
    from discourse.frames import specificities

    return specificities


def _run_specificities(a: Analysis, item: dict[str, Any], where: str) -> None:
    from discourse import plot
    from discourse.frames import specificities

    with a.stage(f"specificities {item['by']}", where, item):
        toks = a.filtered
        by = item["by"]
        if by not in toks.metadata.columns:
            columns = list(toks.metadata.columns)
            raise ConfigError(f"{where}.by: no metadata column {by!r}; columns: {', '.join(columns)}{suggest(by, columns)}", f"{where}.by")
        params = stage_arguments(SECTIONS["specificities"], item)
        groups = item.get("groups")
        if groups:
            toks = toks.select_documents(toks.metadata[by].isin(list(groups)).fillna(False).to_numpy(dtype=bool))
            params["parts"] = list(groups)
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
        if section.probe is None or not spec.get(key):
            continue
        items = spec[key] if section.many else [spec[key]]
        for i, item in enumerate(items):
            problems += list(section.probe(item, f"{where}.{key}[{i}]" if section.many else f"{where}.{key}", facts))
    return problems


def _probe_model(item: dict[str, Any], where: str, facts: Facts) -> Iterator[ConfigError]:
    from discourse.topics import topic_prevalence

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
                        choices=_model_choices, check=_check_select_k, names=lambda item: ["select_k"]),
    "models": Section("models", _model_class, _run_model, needs="dtm",
                      own={"name": None, "type": "lda", "k": None, "top_terms": 10, "lam": 0.6, "coherence": None,
                           "prevalence": None, "pyldavis": False},
                      supplied=("n_topics", "progress"), choices=_model_choices, check=_check_model, names=_model_names, probe=_probe_model,
                      given=lambda item: {"n_topics": item["k"]}),
    "frames": Section("frames", None, _run_frames, many=False, own=_FRAMES_OWN,
                      check=_check_frames, names=lambda item: _frames_names_located(item) if item else [], probe=_probe_frames),
    "keyness": Section("keyness", _keyness_stage, _run_keyness, own={"by": None, "target": None, "reference": None,
                                                                          "n": 20, "name": None},
                       supplied=("tokens", "target_mask", "reference_mask"), required=("by", "target"),
                       choices=_keyness_choices, names=lambda item: [_keyness_stem(item)], probe=_probe_keyness),
    "specificities": Section("specificities", _specificities_stage, _run_specificities,
                             own={"n": 10, "groups": None, "name": None}, supplied=("tokens", "parts"), shorthand="by",
                             required=("by",), names=lambda item: [_specificities_stem(item)], probe=_probe_specificities),
}
# sections completed with their defaults even when the file leaves them out
_ALWAYS = ("preprocess", "dtm")
