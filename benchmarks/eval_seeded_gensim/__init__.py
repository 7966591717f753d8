"""Seeded (guided) LDA with gensim: does a seeded topic keep its seed terms and get documents?

    python -m benchmarks.eval_seeded_gensim            # writes results/seeded_gensim.md/json
    python -m benchmarks.eval_seeded_gensim --quick    # seeds 0-1, passes 3 only (a smoke run)

``LDA(backend="gensim", seed_terms=...)`` before and after the fix of its seeding, with the two
halves of the fix apart, and tomotopy (80 sweeps, the same prior) as reference:

- *before*: prior of a seed term = its count in the matrix (at least 20) in its topic and
  eta / 100 elsewhere, gensim's random start (the code before this benchmark);
- *random start, prior 1*: tomotopy's prior (1.0 in its topic, eta / 100 elsewhere) alone;
- *seeded start, count prior* and *seeded start, prior 1*: the new start (the seed terms'
  starting expected counts all in their topic) with either prior;
- *after*: seeded start and a prior of the square root of the term's count (at least 1) in its
  topic, eta / 100 elsewhere: ``LDA(backend="gensim")`` now.

Two real slices: the legal codes of the tests (40 articles of each of six codes, K = 8, seeds
``enseignement`` and ``pénal``, whose codes are known: ``code-de-l-education`` and
``code-penal``) and the Europarl speeches of ``europarl-fr-2000`` (K = 10, seeds ``marée noire``
and ``tempêtes``, two agenda items of the period). Per seeded topic: its prevalence (share of
the corpus's words), the share of documents it dominates, how many seed terms it anchors
(argmax over topics of p(topic | term) ∝ p(term | topic) p(topic) is the seeded topic), the worst
rank of a seed in the topic (by p(term | topic), 1 = first), the share of the topic's row of
variational parameters (lambda = eta + expected counts) that is the seed terms' prior (gensim
only; a topic reduced to its seeds' prior would be near 100 %), and the *subject recall*: the
share of the documents of the topic's known subject (its code; its agenda item, 27 and 16
speeches) of which it is the dominant topic. For scale: on the legal codes the penal code
holds 2.6 % of the words and the education code 3.8 %, and the seed tokens themselves 0.26 % and
0.29 % (a topic holding only its seeds would have that prevalence); on Europarl the seed tokens
hold 0.17 % and 0.08 % of the words.

Quality only: no timing is reported, so this may run beside other work.
"""

from __future__ import annotations

import argparse
import json
import os
import warnings
from typing import Any

import numpy as np
import pandas as pd

from benchmarks.common import data_home, markdown_table, record, results_dir
from benchmarks.topic_data import load_legi
from discourse.topics import LDA
from discourse.topics.lda import _seed_prior

K = {"legi": 8, "europarl": 10}
SEEDS = {
    "legi": {"enseignement": ["enseignement", "élève", "scolaire"], "pénal": ["infraction", "peine", "crime", "délit"]},
    "europarl": {"marée noire": ["navire", "pétrole", "maritime", "pollution"], "tempêtes": ["tempête", "forêt"]},
}
# the known subject of each seeded topic: the legal code, the Europarl agenda item
SUBJECT_OF = {"enseignement": "code-de-l-education", "pénal": "code-penal",
              "marée noire": "Marée noire en France", "tempêtes": "Tempêtes en Europe"}
CODES = ["code-civil", "code-du-travail", "code-de-commerce", "code-penal", "code-des-transports", "code-de-l-education"]
RANDOM_STATES = (0, 1, 2, 3, 4)
PASSES = (3, 10, 20)


class _Variant(LDA):
    """``LDA`` with the gensim seeding switched piece by piece (this benchmark only; never saved)."""

    start = True
    prior = "1"  # a seed term's prior in its topic: "1", "count" (at least 20) or "sqrt" (of the count)

    def _fit_gensim(self, dtm, n_iter, seeds):  # type: ignore[no-untyped-def]
        from gensim.models import LdaModel

        import discourse.topics.lda as lda

        dictionary, bow = dtm.to_gensim()
        counts = np.asarray(dtm.matrix.sum(axis=0), dtype=np.float64).ravel()
        weight = {"1": 1.0, "count": np.maximum(20.0, counts), "sqrt": np.maximum(1.0, np.sqrt(counts))}[self.prior]
        eta = _seed_prior(self.n_topics, dtm.shape[1], self._eta(), seeds, weight)
        model = LdaModel(id2word=dictionary, num_topics=self.n_topics, passes=n_iter, iterations=50, alpha="symmetric",
                         eta=eta, random_state=self.random_state, eval_every=None, chunksize=2000)
        if self.start:
            lda._seed_start(model, dtm, seeds)
        model.update(bow)
        doc_topics = np.vstack([model.inference(bow[a:a + 2000])[0] for a in range(0, len(bow), 2000)])
        return doc_topics, model.get_topics(), np.asarray(model.alpha, dtype=np.float64), {"backend_model_": model}


def _variant(start: bool, prior: str) -> type[LDA]:
    return type("Variant", (_Variant,), {"start": start, "prior": prior})


VARIANTS: dict[str, tuple[str, Any]] = {
    "before (random start, count prior)": ("gensim", _variant(False, "count")),
    "random start, prior 1": ("gensim", _variant(False, "1")),
    "seeded start, count prior": ("gensim", _variant(True, "count")),
    "seeded start, prior 1": ("gensim", _variant(True, "1")),
    "after (seeded start, prior √count)": ("gensim", LDA),
    "tomotopy, 80 sweeps (prior 1)": ("tomotopy", LDA),
}


def legi_matrix() -> tuple[Any, pd.Series]:
    """The tests' slice of legi-codes (``tests/conftest.py``: the first 40 articles of six codes)."""
    from discourse.corpus import Corpus
    from discourse.dtm import DocumentTermMatrix
    from discourse.preprocess import Preprocessor

    texts, meta = load_legi()
    meta["text"] = texts
    picked = meta[meta["code"].isin(CODES)].groupby("code", sort=False).head(40)
    frame = pd.concat([picked[picked["code"] == c] for c in CODES], ignore_index=True)
    tokens = Preprocessor(backend="fast", progress=False).transform(
        Corpus.from_texts(frame["text"], ids=frame["doc_id"], metadata=frame[["code"]]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dtm = DocumentTermMatrix.from_tokens(tokens, min_df=3, max_df=0.5)
    code = frame.set_index("doc_id")["code"]
    return dtm, code.loc[list(dtm.doc_ids)].reset_index(drop=True)


def europarl_matrix() -> tuple[Any, pd.Series]:
    """Every speech of europarl-fr-2000 through the library's loader and French preprocessing,
    and the agenda item of each document of the matrix."""
    import discourse
    from discourse.dtm import DocumentTermMatrix

    corpus = discourse.corpora.load("europarl-fr-2000", data_home=data_home())
    tokens = discourse.Preprocessor(backend="fast", progress=False).transform(corpus)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dtm = DocumentTermMatrix.from_tokens(tokens, min_df=3, max_df=0.5)
    item = corpus.metadata.set_index(corpus.metadata["doc_id"].astype(str))["agenda_item"].astype(str)
    return dtm, item.loc[[str(d) for d in dtm.doc_ids]].reset_index(drop=True)


def measure(model: LDA, dtm: Any, seeds: dict[str, list[str]], subjects: pd.Series) -> list[dict[str, Any]]:
    """One row a seeded topic (see the module notes)."""
    rows = []
    dominant = model.doc_topics_.argmax(axis=1)
    backend = getattr(model, "backend_model_", None)
    for label, terms in seeds.items():
        topic = model.topic_labels_.index(label)
        cols = [dtm.term_index[t] for t in terms]
        holds = model.topic_terms_[:, cols] * model.topic_prevalence_[:, None]
        order = np.argsort(-model.topic_terms_[topic], kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(1, order.size + 1)
        row = {
            "label": label,
            "prevalence": float(model.topic_prevalence_[topic]),
            "docs dominated": float((dominant == topic).mean()),
            "anchored": int((holds.argmax(axis=0) == topic).sum()),
            "seeds": len(cols),
            "worst seed rank": int(rank[cols].max()),
            "seed prior share": None,
        }
        if model.backend == "gensim" and hasattr(backend, "state"):
            # topic_labels_ follows our topic order, the engine's rows are in its own: match by p(term|topic)
            lam = backend.state.get_lambda().astype(np.float64)
            eng = int(np.argmin(np.abs(lam / lam.sum(axis=1, keepdims=True) - model.topic_terms_[topic]).sum(axis=1)))
            row["seed prior share"] = float(np.asarray(backend.eta, dtype=np.float64)[eng, cols].sum() / lam[eng].sum())
        mine = subjects.to_numpy() == SUBJECT_OF[label]
        row["subject documents"] = int(mine.sum())
        row["subject recall"] = float((dominant[mine] == topic).mean())
        rows.append(row)
    return rows


def run(quick: bool) -> pd.DataFrame:
    states = RANDOM_STATES[:2] if quick else RANDOM_STATES
    passes = PASSES[:1] if quick else PASSES
    rows = []
    for corpus, build in (("legi", legi_matrix), ("europarl", europarl_matrix)):
        dtm, subjects = build()
        print(f"{corpus}: {dtm.shape[0]} documents × {dtm.shape[1]} terms, {int(dtm.matrix.sum())} words", flush=True)
        for name, (backend, cls) in VARIANTS.items():
            for n_iter in ((80,) if backend == "tomotopy" else passes):
                for state in states:
                    kwargs = {"n_jobs": 1} if backend == "tomotopy" else {}
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        model = cls(n_topics=K[corpus], backend=backend, seed_terms=SEEDS[corpus], random_state=state,
                                    n_iter=n_iter, **kwargs).fit(dtm)
                    for row in measure(model, dtm, SEEDS[corpus], subjects):
                        rows.append({"corpus": corpus, "documents": dtm.shape[0], "variant": name, "n_iter": n_iter,
                                     "random_state": state, **row})
                print(f"  {name}, n_iter={n_iter}: done", flush=True)
    return pd.DataFrame(rows)


def summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Per corpus, variant and n_iter, over random states and seeded topics."""
    keys = ["corpus", "variant", "n_iter"]
    out = frame.groupby(keys, sort=False).agg(
        fits=("random_state", "nunique"),
        prevalence_min=("prevalence", "min"), prevalence_mean=("prevalence", "mean"),
        docs_dominated_mean=("docs dominated", "mean"),
        anchored=("anchored", "sum"), seeds=("seeds", "sum"),
        worst_rank=("worst seed rank", "max"),
        seed_prior_share_max=("seed prior share", "max"),
        subject_recall_min=("subject recall", "min"), subject_recall_mean=("subject recall", "mean"),
    ).reset_index()
    out["seeds anchored"] = out["anchored"].astype(str) + " / " + out["seeds"].astype(str)
    out = out.drop(columns=["anchored", "seeds"])
    for col in ("prevalence_min", "prevalence_mean", "docs_dominated_mean", "seed_prior_share_max", "subject_recall_min",
                "subject_recall_mean"):
        out[col] = out[col].map(lambda x: "—" if pd.isna(x) else f"{100 * x:.1f} %")
    return out.rename(columns=lambda c: c.replace("_", " "))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.eval_seeded_gensim", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="random states 0-1, 3 passes (smoke run)")
    args = parser.parse_args(argv)
    out = results_dir(__name__)
    out.mkdir(parents=True, exist_ok=True)
    frame = run(args.quick)
    stem = "seeded_gensim_quick" if args.quick else "seeded_gensim"
    table = summary(frame)
    load = os.getloadavg()[0]
    md = out / f"{stem}.md"
    md.write_text("# Seeded topics with gensim, before and after\n\n" + __doc__ + "\n"
                  f"Random states {sorted(frame.random_state.unique().tolist())}; each row pools the two seeded topics "
                  f"of every fit (min and mean over them; seeds anchored summed over fits; worst rank = the largest). "
                  f"Load average at the end: {load:.1f} (quality only, no timing).\n\n" + markdown_table(table) + "\n",
                  encoding="utf-8")
    js = out / f"{stem}.json"
    js.write_text(json.dumps(frame.to_dict(orient="records"), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    record([md, js], argv)
    print(md.read_text(encoding="utf-8"))
