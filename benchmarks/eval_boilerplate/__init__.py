"""Clean parliamentary text: does an LDA on the Assemblée stop spending topics on names?

    python -m benchmarks.eval_boilerplate            # writes benchmarks/eval_boilerplate/results/eval_boilerplate.md/.json
    python -m benchmarks.eval_boilerplate --quick    # 60 sittings, 10 texts for the NER check

Three preprocessings of the same slice of the Assemblée nationale sittings (every 4th of the
1,190 sittings of an-debats-2013-2018, in date order), fast backend, default stop words plus the
parliament list, each followed by the same matrix (min_df = 5, max_df = 0.5) and the same
LDA (K = 20, random_state = 0, 200 sweeps):

- ``before``: the previous default — press boilerplate and bracketed stage directions only
  (``remove_boilerplate=["read_also", "dateline", "agency", "byline", "published", "procedure"]``);
- ``boilerplate``: every kind, including speaker attributions, forms of address, the chair's
  formulas and vote announcements (``remove_boilerplate=True``, the default now);
- ``boilerplate + names``: the same and ``drop_person_names=True``.

A topic is **dominated by names** when at least 3 of its 10 most probable terms are person
names. Whether a term is a person name is decided by a list independent of the name rules
being evaluated: every capitalised word of the names that follow "Monsieur"/"Madame" in a
"La parole est à …" sentence anywhere in the corpus (the deputies' and ministers' first and
last names, read off all 1,190 sittings), plus ``first_names.txt``; a lower-case term counts
when its capitalised form is in that list and it is not a French word (``poisson``, the fish,
does not count, though the lemmatiser may have made it from the surname).

The name rules (``discourse.lang.fr.names``) are also compared with spaCy's named-entity
recogniser (``fr_core_news_sm``, PER entities) on held-out text, token by token: 40 sittings
of 2017–2018 not in the slice above, and the 400-odd Europarl speeches (whose speakers are
not in the first-name list's source): agreement (the share of our name tokens that spaCy also
calls PER, and of spaCy's PER tokens we find) and the time of each. spaCy is not ground
truth: the disagreements are listed for reading, and the docs give a hand count on them.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

import numpy as np

from benchmarks.common import record
from discourse import corpora
from discourse.dtm import DocumentTermMatrix
from discourse.lang.fr.lemmatize import is_known_word
from discourse.lang.fr.names import find_person_names, first_names
from discourse.lang.fr.normalize import normalize
from discourse.preprocess import Preprocessor
from discourse.topics import LDA

RESULTS = Path(__file__).parent / "results"
K = 20
SEED = 0
PREVIOUS_DEFAULT = ["read_also", "dateline", "agency", "byline", "published", "procedure"]
CONDITIONS = {
    "before": dict(remove_boilerplate=PREVIOUS_DEFAULT),
    "boilerplate": dict(remove_boilerplate=True),
    "boilerplate + names": dict(remove_boilerplate=True, drop_person_names=True),
}
_NOT_NAME_WORDS = frozenset("M. MM. Mme Mmes Mlle Monsieur Madame Mademoiselle Messieurs Mesdames Président Présidente Commissaire "
                            "Ministre Rapporteur Rapporteure Député Députée Merci Veuillez".split())
_FLOOR = re.compile(r"La parole est (?:à|au|aux) (?:Monsieur|Madame|M\.|Mme) ((?:[A-ZÀ-Ý][\w'-]*[ \t]*|de |d'|du |la |le )+)")


def name_list(texts: list[str]) -> set[str]:
    """The capitalised words of every name given the floor (the judge of "is a name")."""
    words: set[str] = set()
    for text in texts:
        for m in _FLOOR.finditer(normalize(text)):
            words.update(w for w in m.group(1).split() if w[:1].isupper() and w not in ("Le", "La"))
    return words | set(first_names())


def is_name(term: str, names: set[str]) -> bool:
    if term in names:
        return True
    cap = term[:1].upper() + term[1:]
    return term.islower() and cap in names and not is_known_word(term)


def topics(corpus, condition: dict, names: set[str]) -> dict:
    pre = Preprocessor(backend="fast", domain_stop_words=["parliament"], progress=False, n_jobs=2, **condition)
    start = time.perf_counter()
    tokens = pre.transform(corpus)
    seconds = time.perf_counter() - start
    dtm = DocumentTermMatrix.from_tokens(tokens, min_df=5, max_df=0.5)
    lda = LDA(n_topics=K, random_state=SEED).fit(dtm)
    top = lda.top_terms(10)
    rows = []
    for topic, group in top.groupby("topic", sort=True):
        terms = group.sort_values("rank")["term"].tolist()
        flagged = [t for t in terms if is_name(t, names)]
        rows.append({"topic": int(topic), "terms": terms, "names": flagged, "dominated": len(flagged) >= 3})
    audit = tokens.audit
    freq = dtm.term_frequencies()
    name_tokens = int(freq.loc[[is_name(t, names) for t in freq["term"]], "count"].sum())
    return {
        "name_tokens_in_matrix": name_tokens, "name_share_of_matrix": round(name_tokens / max(1, int(freq["count"].sum())), 4),
        "tokens": int(tokens.n_tokens), "terms": len(dtm.vocabulary), "preprocess_seconds": round(seconds, 1),
        "dominated": sum(r["dominated"] for r in rows), "name_terms_in_top10": sum(len(r["names"]) for r in rows),
        "topics": rows, "audit": audit[["stage", "tokens_before", "tokens_after", "removed", "changed"]].to_dict("records"),
    }


def ner_agreement(texts: list[str], known: list[str] | None = None) -> dict:
    """Token agreement of our name spans with spaCy PER entities on the same normalised texts."""
    import spacy

    nlp = spacy.load("fr_core_news_sm", exclude=["lemmatizer", "attribute_ruler", "morphologizer"])
    texts = [normalize(t) for t in texts]
    start = time.perf_counter()
    ours = [find_person_names(t, known or ()) for t in texts]
    ours_seconds = time.perf_counter() - start
    start = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=4))
    spacy_seconds = time.perf_counter() - start
    both = only_ours = only_spacy = 0
    disagreements: dict[str, list[str]] = {"ours only": [], "spaCy only": []}
    for text, spans, doc in zip(texts, ours, docs):
        mine = np.zeros(len(text), dtype=bool)
        for s, e in spans:
            mine[s:e] = True
        for tok in doc:
            # names are capitalised words; civility titles and forms of address, which spaCy
            # often puts inside a PER entity ("Madame la Présidente"), are not names here
            if not tok.text[:1].isupper() or tok.text in _NOT_NAME_WORDS:
                continue
            a = bool(mine[tok.idx:tok.idx + len(tok.text)].any())
            b = tok.ent_type_ == "PER"
            both += a and b
            only_ours += a and not b
            only_spacy += b and not a
            if a != b:
                context = text[max(0, tok.idx - 40):tok.idx + len(tok.text) + 30].replace("\n", " ")
                disagreements["ours only" if a else "spaCy only"].append(f"{tok.text} | {context}")
    rng = np.random.default_rng(0)
    sample = {k: [v[i] for i in sorted(rng.choice(len(v), size=min(25, len(v)), replace=False))] if v else [] for k, v in disagreements.items()}
    return {
        "texts": len(texts), "characters": sum(map(len, texts)),
        "tokens_both": both, "tokens_ours_only": only_ours, "tokens_spacy_only": only_spacy,
        "share_of_ours_spacy_agrees": round(both / max(1, both + only_ours), 3),
        "share_of_spacy_we_find": round(both / max(1, both + only_spacy), 3),
        "ours_seconds": round(ours_seconds, 2), "spacy_seconds": round(spacy_seconds, 1),
        "speed_ratio": round(spacy_seconds / max(ours_seconds, 1e-9), 1),
        "disagreement_sample": sample,
    }


def _table(header: list[str], rows: list[list]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(str(v) for v in row) + " |" for row in rows]


def report(result: dict) -> str:
    lines = ["# Clean parliamentary text: topics of the Assemblée before and after", "",
             "Command, commit and machine: at the end of this file.", "",
             f"Slice: {result['slice']}. LDA K = {K}, random_state = {SEED}, tomotopy, 200 sweeps; matrix min_df = 5, max_df = 0.5; "
             "fast backend, default stop words + parliament list.",
             "A topic is *dominated by names* when ≥ 3 of its 10 most probable terms are person names (judged by the list "
             "of names given the floor in the whole corpus, see the module docstring).", "",
             *_table(["preprocessing", "tokens", "terms", "topics dominated by names (of 20)", "name terms among the 200 top terms", "name tokens in the matrix"],
                     [[name, r["tokens"], r["terms"], r["dominated"], r["name_terms_in_top10"], f"{r['name_tokens_in_matrix']} ({100 * r['name_share_of_matrix']:.2f} %)"]
                      for name, r in result["conditions"].items()])]
    for name, r in result["conditions"].items():
        lines += ["", f"## {name}", "", "| topic | top 10 terms (names in bold) |", "|---|---|"]
        for t in r["topics"]:
            terms = ", ".join(f"**{w}**" if w in t["names"] else w for w in t["terms"])
            lines.append(f"| {t['topic']}{' (names)' if t['dominated'] else ''} | {terms} |")
    lines += ["", "## Name rules against spaCy's NER (PER), token by token", "",
              "Capitalised tokens only, civility titles and forms of address left out on both sides (spaCy often counts "
              "\"Madame la Présidente\" as a person). Agreement, not accuracy: read the samples below.", "",
              *_table(["texts", "documents", "tokens both", "ours only", "spaCy only", "share of ours spaCy agrees", "share of spaCy's we find",
                       "ours (s)", "spaCy NER (s)", "spaCy / ours time"],
                      [[name, *(r[k] for k in ("texts", "tokens_both", "tokens_ours_only", "tokens_spacy_only", "share_of_ours_spacy_agrees",
                                               "share_of_spacy_we_find", "ours_seconds", "spacy_seconds", "speed_ratio"))]
                       for name, r in result["ner"].items()])]
    for name, r in result["ner"].items():
        for side, sample in r["disagreement_sample"].items():
            lines += ["", f"### {name}: {side} (random sample)", ""]
            lines += [f"- `{s}`" for s in sample]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    an = corpora.load("an-debats-2013-2018")
    names = name_list(an.texts)
    step = 20 if args.quick else 4
    positions = list(range(0, len(an), step))
    sliced = an.select([an.ids[i] for i in positions])
    result = {
        "slice": f"every {step}th sitting of an-debats-2013-2018 ({len(positions)} sittings)",
        "name_list_size": len(names),
        "conditions": {},
    }
    for label, condition in CONDITIONS.items():
        print(f"== {label}", flush=True)
        result["conditions"][label] = topics(sliced, condition, names)
        print(f"   dominated by names: {result['conditions'][label]['dominated']} of {K}", flush=True)
    # held-out text for the name rules: sittings of 2017-2018 not in the slice, Europarl speeches
    held = [i for i in range(len(an)) if i % step and an.metadata["year"].iloc[i] >= 2017][: (10 if args.quick else 40)]
    ep = corpora.load("europarl-fr-2000")
    ep_texts = ep.texts[: 10 if args.quick else len(ep)]
    result["ner"] = {
        "Assemblée 2017-2018 (held out)": ner_agreement([an.texts[i] for i in held]),
        "Europarl speeches": ner_agreement(list(ep_texts)),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "eval_boilerplate_quick" if args.quick else "eval_boilerplate"
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    (RESULTS / f"{name}.md").write_text(report(result), encoding="utf-8")
    record([RESULTS / f"{name}.json", RESULTS / f"{name}.md"], argv)
    print(report(result).split("\n## ")[0])
    return 0
