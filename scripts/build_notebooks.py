"""Write the notebooks of notebooks/ from the cell sources below (the reviewable form).

Run ``python scripts/build_notebooks.py`` after editing a cell; the notebooks are written
without outputs and executed by ``tests/test_notebooks.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "notebooks"

SETUP = """\
%matplotlib inline
import pandas as pd
import discourse
from discourse import corpora, plot

plot.style("notebook")      # plot.style("paper") for the sizes of a journal
pd.set_option("display.max_colwidth", 80)"""

NOTEBOOKS: dict[str, list[tuple[str, str]]] = {
    "01_seed_article.ipynb": [
        ("md", """\
# The seed article, end to end

One French news-wire article: the EU and the UN reaffirm their partnership against
terrorism. It is short (about 450 words) but has everything French press text throws at a
preprocessor — typographic apostrophes (*l’UE*), elisions (*d’extrémisme*), acronyms (*UE*,
*ONU*, *UNOCT*), scraped noise (*>>Lire aussi: …*) — and the framing terms this library
counts: « état de droit », « multilatéralisme », « gouvernance mondiale »,
« droits fondamentaux », « extrémisme violent »."""),
        ("code", SETUP),
        ("code", """\
corpus = corpora.load("seed")
print(corpus)
print(corpus.metadata.loc[0, "title"])
print(corpus.texts[0][:400], "…")"""),
        ("md", """\
## Preprocessing

The fast backend normalises apostrophes, removes the scraped "Lire aussi" line, splits
elisions, lemmatises, joins multiword expressions and maps aliases (*UE* → *Union
européenne*). The audit says what each step did, with examples."""),
        ("code", """\
tokens = discourse.Preprocessor(backend="fast", progress=False).transform(corpus)
print(tokens)
tokens.audit[["stage", "tokens_before", "tokens_after", "examples"]]"""),
        ("code", """\
print(tokens.to_lists("lemma")[0][:40])"""),
        ("md", """\
## Frames

The default dictionary groups patterns into frames. In one article the rates have no
interval (a bootstrap over documents needs more than one document), but the counts are the
hits a reader finds by hand."""),
        ("code", """\
dictionary = discourse.FrameDictionary.default()
counts = discourse.count_frames(tokens, dictionary)
counts[["frame", "count", "tokens", "rate_per_10k"]]"""),
        ("code", """\
hits = discourse.frames.match_frames(tokens, dictionary)
hits[["frame", "text"]].value_counts().rename("hits").reset_index()"""),
        ("md", """\
## Concordances

Every hit keeps its offsets into the original text, so a concordance shows the words as
published."""),
        ("code", """\
plot.kwic_table(discourse.kwic(tokens, "counter_terrorism", window=6, by="frame", dictionary=dictionary))"""),
        ("code", """\
plot.kwic_table(discourse.kwic(tokens, "état de droit", window=10))"""),
        ("md", """\
## Which frames share a sentence

Frames that appear in the same sentence, drawn as a network (edge width = number of
sentences holding both)."""),
        ("code", """\
pairs = discourse.frames.cooccurrence(tokens, dictionary, unit="sentence")
pairs = pairs[(pairs.frame_a != pairs.frame_b) & (pairs.both > 0)]
ax = plot.cooccurrence_network(pairs, source="frame_a", target="frame_b", weight="both")
pairs[["frame_a", "frame_b", "both"]]"""),
    ],
    "02_europarl_topics.ipynb": [
        ("md", """\
# Topics in the European Parliament debates

The French side of four sitting days of the European Parliament (17–21 January 2000), one
document per speech, with the agenda item each speech belongs to. We fit an LDA topic model,
look at its topics, and see which topics and frames each agenda item carries."""),
        ("code", SETUP),
        ("code", """\
corpus = corpora.load("europarl-fr-2000")
print(corpus)
corpus.metadata.head()"""),
        ("code", """\
# "madame", "président", "séance"…: the procedure of a sitting, not its subject
tokens = discourse.Preprocessor(backend="fast", domain_stop_words=["parliament"], progress=False).transform(corpus)
dtm = discourse.DocumentTermMatrix.from_tokens(tokens.filter(min_length=3), min_df=3, max_df=0.4)
print(dtm)
lda = discourse.LDA(n_topics=8, n_iter=300, random_state=42).fit(dtm)"""),
        ("md", """\
## The topics

Terms ranked by relevance (λ = 0.6, as LDAvis suggests): a mix of probability within the
topic and specificity to it. Topic ids are ordered by prevalence and are the same in every
table and figure below, with the same colours."""),
        ("code", """\
top = lda.top_terms(8, lam=0.6)
fig = plot.top_terms(top, value="relevance")"""),
        ("code", """\
discourse.coherence(lda, tokens, measure="c_npmi").round(3)"""),
        ("code", """\
from discourse.topics.coordinates import topic_coordinates

coords = topic_coordinates(lda)          # Jensen–Shannon distances + classical MDS
ax = plot.intertopic_map(coords)"""),
        ("md", """\
## Topics by agenda item

Mean topic proportion of the speeches of each agenda item, with bootstrap intervals. We keep
the five agenda items with the most speeches."""),
        ("code", """\
from discourse.topics import topic_prevalence

busiest = corpus.metadata["agenda_item"].value_counts().head(5).index
prevalence = topic_prevalence(lda, by="agenda_item", n_boot=300)
prevalence = prevalence[prevalence.agenda_item.isin(busiest)]
prevalence.pivot(index="agenda_item", columns="topic", values="prevalence").round(2)"""),
        ("code", """\
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(10, 4))
short = prevalence.assign(agenda_item=prevalence.agenda_item.str.slice(0, 28))
_ = plot.topic_prevalence(short, by="agenda_item", ax=ax)"""),
        ("md", """\
## Which topics carry which frames

Frame rates per topic, weighting every speech by its topic proportions."""),
        ("code", """\
dictionary = discourse.FrameDictionary.default()
by_topic = discourse.frames.frames_by_topic(tokens, dictionary, lda)
ax = plot.frames_by_group(by_topic, by="topic", frames=["rule_of_law", "human_rights", "security_threat", "sovereignty"])
by_topic.pivot(index="topic", columns="frame", values="rate_per_10k").round(1)"""),
    ],
    "03_assemblee_framing.ipynb": [
        ("md", """\
# Framing over time in the Assemblée nationale, 2013–2018

1,190 public sittings of the Assemblée nationale (sentences of 3 to 14 words kept by the
Common Voice extraction). We count, month by month, the frames « état d'urgence » and
counter-terrorism per 10,000 tokens, with 95 % bootstrap intervals over sittings, and ask
where they peak. The state of emergency was declared after the attacks of 13 November 2015
and extended by Parliament several times until 1 November 2017."""),
        ("code", SETUP),
        ("code", """\
corpus = corpora.load("an-debats-2013-2018")
print(corpus)
corpus.metadata["date"].dt.year.value_counts().sort_index()"""),
        ("code", """\
tokens = discourse.Preprocessor(backend="fast", n_jobs=2, progress=False).transform(corpus)
print(tokens)"""),
        ("code", """\
dictionary = discourse.FrameDictionary.default()
monthly = discourse.count_frames(tokens, dictionary, freq="M", n_boot=300)
shown = ["state_of_emergency", "counter_terrorism"]
monthly = monthly[monthly.frame.isin(shown)]
monthly.head()"""),
        ("code", """\
events = {"13 Nov 2015": "2015-11-13", "14 Jul 2016": "2016-07-14", "End: 1 Nov 2017": "2017-11-01"}
with plot.style("paper"):
    ax = plot.frame_rates(monthly, frames=shown, events=events,
                          labels={"state_of_emergency": "état d'urgence", "counter_terrorism": "counter-terrorism"})
    paths = plot.savefig(ax.figure, "figures/assemblee_monthly", formats=("pdf", "png"))
ax.figure"""),
        ("md", """\
## Where the rates peak

The three months with the highest rate of each frame, with their intervals and the number
of sittings behind them."""),
        ("code", """\
peaks = (monthly.dropna(subset=["rate_per_10k"])
         .sort_values("rate_per_10k", ascending=False)
         .groupby("frame").head(3)
         [["frame", "period", "count", "tokens", "rate_per_10k", "ci_low", "ci_high", "n_docs"]])
peaks.round({"rate_per_10k": 2, "ci_low": 2, "ci_high": 2})"""),
        ("code", """\
plot.kwic_table(discourse.kwic(tokens.select_documents(tokens.metadata["date"].between("2015-11-14", "2015-11-30").to_numpy()),
                               "state_of_emergency", by="frame", dictionary=dictionary, window=8), max_rows=10)"""),
    ],
    "04_mariage_pour_tous.ipynb": [
        ("md", """\
# Comparing parties in the "mariage pour tous" debate

The Assemblée nationale debate on opening marriage to same-sex couples (29 January –
12 February 2013), one document per speech turn, with the speaker's parliamentary group.
Which words are key to UMP (opposition) speech turns against SRC (majority) ones? Which are
specific to each group (Lafon)? How often does each group use the frames?

The sittings also hold questions to the government and a banking bill (the `subject`
column, see the corpus datasheet): this notebook compares the parties **on the marriage
debate only** (`subject == "mpt"`), otherwise the keyness picks up *banque*, *bancaire*."""),
        ("code", SETUP),
        ("code", """\
corpus = corpora.load("an-mariage-pour-tous-2013")
print(corpus)
pd.crosstab(corpus.metadata["subject"].fillna("NA"), corpus.metadata["group"].fillna("NA"))"""),
        ("code", """\
groups = ["UMP", "SRC", "UDI", "ECOLO", "GDR", "RRDP"]
turns = corpus.filter(subject="mpt").filter(group=groups)   # the marriage bill, deputies of the six groups
tokens = discourse.Preprocessor(backend="fast", domain_stop_words=["parliament"], n_jobs=2, progress=False).transform(turns)
print(tokens)"""),
        ("md", """\
## Keyness: UMP against SRC

Log-likelihood (G²) signed by the direction of the difference; terms used fewer than 5 times
in both groups together are left out."""),
        ("code", """\
group = tokens.metadata["group"]
key = discourse.keyness(tokens, (group == "UMP").to_numpy(), "g2", reference_mask=(group == "SRC").to_numpy())
ax = plot.keyness(key, n=15, target_label="UMP", reference_label="SRC")
key.head(10)[["term", "count_target", "count_reference", "g2", "log_ratio", "effect"]]"""),
        ("code", """\
key.tail(10)[["term", "count_target", "count_reference", "g2", "log_ratio", "effect"]]"""),
        ("md", """\
## Specificities by group

Lafon's specificities (signed log10 of the hypergeometric tail, as TXM computes them): above
2, a term is over-used by the group with a probability of 1 % or less under chance."""),
        ("code", """\
spec = discourse.specificities(tokens, "group", min_count=20)
ax = plot.specificities(spec, n=5, groups=["UMP", "SRC", "UDI", "ECOLO", "GDR"])"""),
        ("md", """\
## Frames by group

Rates per 10,000 content tokens (stop words removed; `rate_per_10k_words` gives the rate per
10,000 running words of the original text) with 95 % bootstrap intervals over speech turns."""),
        ("code", """\
frames = discourse.count_frames(tokens, discourse.FrameDictionary.default(), by="group", n_boot=300)
print(frames.attrs["rate_unit"])
ax = plot.frames_by_group(frames, by="group", frames=["human_rights", "rule_of_law", "sovereignty"], groups=groups)
frames[frames.frame == "human_rights"][["group", "count", "excluded", "tokens", "words", "rate_per_10k",
                                         "rate_per_10k_words", "ci_low", "ci_high"]].round(2)"""),
    ],
    "05_dictionary_validation.ipynb": [
        ("md", """\
# Validating a frame dictionary

A frame count is only as good as the dictionary's precision on the corpus. This notebook
runs the validation loop of `discourse.frames.validation` on the default dictionary:

1. draw a reproducible, stratified sample of hits as a coding sheet;
2. code it by hand (`relevant` true/false) — the coded sheets of the default dictionary are
   kept in `docs/validation/` (coder, date and coding rule in its README);
3. read it back (with checks) and measure precision per frame and concept, with Wilson
   intervals; revise the dictionary where a frame is below 90 % and code a fresh sample;
4. code *near misses* to estimate what the dictionary misses.

The same steps run from the shell: `discourse validate sample|score|agreement`."""),
        ("code", SETUP + """
from pathlib import Path
import matplotlib.pyplot as plt
from discourse.frames import validation

SHEETS = Path(discourse.__file__).resolve().parents[1] / "docs" / "validation"
dictionary = discourse.FrameDictionary.default()"""),
        ("md", """\
## 1. Drawing a coding sheet

Up to `n` counted hits per frame, drawn with `random_state`: the same seed, corpus and
dictionary give the same sheet. Each row has its KWIC context, ids, a hash of the context
(an edited context is refused when the sheet is read back), the size of its stratum and its
weight, and an empty `relevant` column."""),
        ("code", """\
europarl = discourse.Preprocessor(domain_stop_words=["parliament"], progress=False).transform(corpora.load("europarl-fr-2000"))
sheet = validation.sample_hits({"europarl-fr-2000": europarl}, dictionary, per="frame", n=5, random_state=1)
again = validation.sample_hits({"europarl-fr-2000": europarl}, dictionary, per="frame", n=5, random_state=1)
assert sheet.equals(again)
sheet[["frame", "pattern", "left", "match", "right", "stratum_hits", "relevant"]].head(8)"""),
        ("md", """\
`validation.write_sheet(sheet, "sheet.csv")` writes it; a coder fills `relevant` in a
spreadsheet. Reading it back refuses missing or non-boolean codes, extra or lost rows and
edited contexts, naming every faulty row:"""),
        ("code", """\
bad = sheet.copy()
bad["relevant"] = "true"
bad.loc[1, "relevant"] = "peut-être"
bad.loc[2, "left"] = "texte modifié"
try:
    validation.read_sheet(bad, drawn=sheet)
except validation.SheetError as err:
    print(err)"""),
        ("md", """\
## 2. The coded sheets of the default dictionary

Round 1: 30 hits per frame on the four shipped corpora, drawn with the first revision of
the dictionary and coded by hand."""),
        ("code", """\
round1 = validation.read_sheet(SHEETS / "round1_hits.csv")
validation.precision(round1, by="frame").round(3)"""),
        ("md", """\
`security_threat` was at 73 %: bare « sécurité » (safety of transport, work and plants,
« c'est une sécurité », a family's stability) and the verb « menacer » (jobs, species). The
frame was narrowed to the compounds that name security against crime, war and attacks, the
noun « menace » and dangerous people, and a fresh sample of 40 was coded (round 2). The other
frames only lost hits in later revisions (new exclusions), so the round-1 rows the final
dictionary still counts remain a random sample of their hits. To check which rows are
still counted, the documents of the sheet are preprocessed as they were for drawing
(preprocessing is per document, so the hits are the same as in the whole corpus)."""),
        ("code", """\
options = {"europarl-fr-2000": {"domain_stop_words": ["parliament"]}, "an-mariage-pour-tous-2013": {"domain_stop_words": ["parliament"]}}
tokens = {}
for name in round1["corpus"].unique():
    docs = set(round1.loc[round1["corpus"] == name, "doc_id"])
    corpus = corpora.load(name).filter(lambda m: m["doc_id"].isin(docs))
    tokens[name] = discourse.Preprocessor(progress=False, **options.get(name, {})).transform(corpus)
kept = validation.still_counted(round1, tokens, dictionary)
print(f"{kept.sum()} of {len(round1)} round-1 rows are still counted")
round1.loc[~kept & (round1["frame"] != "security_threat"), ["frame", "left", "match", "relevant"]]"""),
        ("code", """\
round2 = validation.read_sheet(SHEETS / "round2_security_threat.csv")
final = pd.concat([round1[kept & (round1["frame"] != "security_threat")], round2], ignore_index=True)
by_frame = validation.precision(final, by="frame")
by_frame[["frame", "n", "relevant", "precision", "ci_low", "ci_high"]].round(3)"""),
        ("code", """\
t = by_frame.sort_values("precision")
fig, ax = plt.subplots(figsize=(6, 3.2))
ax.errorbar(t["precision"], range(len(t)), xerr=[t["precision"] - t["ci_low"], t["ci_high"] - t["precision"]], fmt="o", capsize=3)
ax.axvline(0.9, color="grey", linestyle="--", linewidth=1)
ax.set_yticks(range(len(t)), t["frame"])
ax.set_xlabel("precision on coded hits (95 % Wilson interval)")
ax.set_xlim(0.5, 1.02)
fig.tight_layout()"""),
        ("code", """\
validation.precision(final, by="concept")[["frame", "concept", "n", "relevant", "precision", "ci_low", "ci_high"]].round(3)"""),
        ("md", """\
## 3. What the dictionary misses

Near misses are sentences that come close to a frame without a counted hit: the words of a
multiword pattern apart, a hit a rule excluded, or probe words (here, the words the
revision dropped). The share coded relevant, times their number, estimates the sentences
the dictionary misses among them."""),
        ("code", """\
near = validation.read_sheet(SHEETS / "round3_near_misses.csv")
missed = validation.precision(near, by="frame")[["frame", "n", "relevant", "precision", "ci_low", "ci_high", "hits"]]
missed = missed.rename(columns={"precision": "share_missed", "hits": "near_miss_sentences"})
missed["estimated_missed"] = (missed["share_missed"] * missed["near_miss_sentences"]).round()
missed.round(3)"""),
        ("md", """\
With a second coder, add a `relevant_2` column and measure agreement (Cohen's κ and
Krippendorff's α, computed by nltk) before trusting the codes:
`validation.agreement(validation.read_sheet(path, coders=["relevant", "relevant_2"]))`."""),
    ],
}


def build(out: Path = OUT) -> list[Path]:
    """Write every notebook (no outputs, the project's ``python3`` kernel) and return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, cells in NOTEBOOKS.items():
        nb = new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
        nb.metadata["language_info"] = {"name": "python"}
        for i, (kind, source) in enumerate(cells):
            cell = new_markdown_cell(source) if kind == "md" else new_code_cell(source)
            cell["id"] = f"{Path(name).stem[:2]}-{i:02d}"  # stable ids: rebuilding gives the same file
            nb.cells.append(cell)
        nbformat.validate(nb)
        path = out / name
        nbformat.write(nb, path)
        paths.append(path)
    return paths


if __name__ == "__main__":
    for p in build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(p)
