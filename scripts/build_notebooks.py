"""Write the notebooks of notebooks/ from the cell sources below (the reviewable form).

Run ``python scripts/build_notebooks.py`` after editing a cell; the notebooks are written
without outputs and executed by ``tests/integration/test_notebooks.py``.
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
plot.kwic_table(discourse.kwic(tokens, "counter_terrorism", window=6, match_on="frame", dictionary=dictionary))"""),
        ("code", """\
plot.kwic_table(discourse.kwic(tokens, "état de droit", window=10))"""),
        ("md", """\
## Which frames share a sentence

Frames that appear in the same sentence, drawn as a network (edge width = number of
sentences holding both)."""),
        ("code", """\
pairs = discourse.lexicometry.cooccurrence(tokens, dictionary, unit="sentence")
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
                               "state_of_emergency", match_on="frame", dictionary=dictionary, window=8), max_rows=10)"""),
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
    "07_positions_mariage.ipynb": [
        ("md", """\
# Positions and topic prevalence in the "mariage pour tous" debate

The Assemblée nationale debate on opening marriage to same-sex couples (29 January –
12 February 2013). Two questions: where does each deputy stand on one dimension of word use
(Wordfish), and does it separate how they voted? How does the share of each topic differ
between parliamentary groups and over the two weeks, with intervals (the method of
composition of the structural topic model)?

Only the speech turns on the marriage bill (`subject == "mpt"`; the sittings also hold
questions to the government) by deputies of the list (`role == "deputy"`), so each turn has
a group and, for most deputies, the final vote."""),
        ("code", SETUP),
        ("code", """\
corpus = corpora.load("an-mariage-pour-tous-2013")
turns = corpus.filter(subject="mpt", role="deputy")
tokens = discourse.Preprocessor(backend="fast", domain_stop_words=["parliament"], n_jobs=2, progress=False).transform(turns)
dtm = discourse.DocumentTermMatrix.from_tokens(tokens, min_df=5)
print(turns)
print(dtm)"""),
        ("md", """\
## One row a deputy

`group("speaker")` sums each deputy's turns; the group, sex and vote (constant for a deputy)
are kept. Many deputies only interrupt: positions of rows with a few dozen words are noise,
so we keep deputies with at least 300 tokens and a recorded "pour" or "contre" vote, and say
how many that leaves out."""),
        ("code", """\
speakers = dtm.group("speaker")
keep = (speakers.lengths >= 300) & speakers.metadata["vote"].isin(["pour", "contre"]).to_numpy()
deputies = speakers.select_documents(keep)
print(f"{speakers.shape[0]} deputies spoke; {deputies.shape[0]} kept "
      f"({int((speakers.lengths < 300).sum())} with fewer than 300 tokens, the others without a pour/contre vote)")
deputies.metadata.groupby(["group", "vote"]).size().unstack(fill_value=0)"""),
        ("md", """\
## Wordfish

The sign is fixed so that the rapporteur of the bill (Erwann Binet, SRC) is to the left of
Hervé Mariton (UMP), one of its main opponents."""),
        ("code", """\
wf = discourse.Wordfish(dir=("Erwann Binet", "Hervé Mariton")).fit(deputies)
positions = wf.positions()
print(f"converged: {wf.converged_} in {wf.n_iter_} iterations")
ax = plot.positions(positions, by="group")"""),
        ("md", """\
### Does the dimension separate the votes?

The area under the ROC curve (AUC) is the probability that a deputy who voted "contre" is
placed to the right of one who voted "pour" (0.5: no separation, 1: perfect)."""),
        ("code", """\
from sklearn.metrics import roc_auc_score

auc = roc_auc_score(positions["vote"] == "contre", positions["theta"])
print(f"AUC of the Wordfish position for the vote: {auc:.2f}")
positions.groupby("vote")["theta"].describe()[["count", "mean", "25%", "50%", "75%"]].round(2)"""),
        ("md", """\
### What the dimension is

Wordfish finds the main axis of variation in word use, which need not be the position on the
bill. Its words with the largest weights, among words used at least 100 times:"""),
        ("code", """\
weights = wf.word_weights()
frequent = weights[weights["count"] >= 100]
pd.DataFrame({"left (β < 0)": frequent.tail(15)["term"].iloc[::-1].tolist(),
              "right (β > 0)": frequent.head(15)["term"].tolist()})"""),
        ("code", """\
ax = plot.word_weights(weights, highlight=["famille", "enfant", "égalité", "mariage"], min_count=100)"""),
        ("md", """\
Read honestly: the right pole is procedure — suspension, règlement, rappel (au règlement),
Premier ministre, Conseil d'État, Jacob (the UMP group's president) — the vocabulary of the
opposition's contest of the procedure; the left pole mixes the supporters' substantive
vocabulary (égalité, discrimination, amour, couple, homosexualité, orientation) with
"défavorable", the rapporteur's opinion on amendments. The dimension is therefore *contesting
the procedure against arguing the bill* as much as a position on marriage: it separates the
votes only partly (AUC above; the deputies voting "contre" spread over the whole axis), and
some of the most extreme deputies on the right are group leaders and the (SRC) chair of the law
committee, who run the sittings' procedure. To place deputies on the bill itself, use reference
texts (`discourse.Wordscores`) or seed words (`discourse.LSS`), or remove the procedural
vocabulary first."""),
        ("md", """\
### A dimension chosen by the analyst: latent semantic scaling

Seed words define the dimension instead: the supporters' vocabulary of equality against the
opponents' vocabulary of filiation, which we chose knowing the debate (so this is
semi-supervised: the separation below partly reflects that choice). The SVD is fitted on the
speech turns; each deputy's score is the mean polarity of their words. The AUC is computed
again with the seed words themselves removed from the deputies' counts."""),
        ("code", """\
seeds = (["égalité", "amour", "discrimination", "progrès"], ["filiation", "père", "mère", "altérité"])
lss = discourse.LSS(k=100, random_state=0).fit(dtm, seeds)
lss_positions = lss.positions(deputies)
no_seeds = [j for j, t in enumerate(deputies.vocabulary) if t not in set(seeds[0]) | set(seeds[1])]
without = discourse.DocumentTermMatrix(deputies.matrix[:, no_seeds], [deputies.vocabulary[j] for j in no_seeds],
                                       deputies.doc_ids, deputies.metadata)
print(f"AUC of the LSS score for the vote: {roc_auc_score(lss_positions['vote'] == 'pour', lss_positions['score']):.2f}; "
      f"without the seed words: {roc_auc_score(without.metadata['vote'] == 'pour', lss.positions(without)['score']):.2f}")
ax = plot.positions(lss_positions, score="score", by="vote", xlabel="LSS score (equality + / filiation −)")"""),
        ("md", """\
## Topic prevalence by group and over time

An LDA on the speech turns, then `estimate_effect` with the group (categorical) and a spline
of the date: each draw takes the turns' topic proportions from their approximate posterior
(Dirichlet around each turn's topic counts), regresses them on the covariates, and the
draws are pooled, so the intervals carry both the uncertainty of the proportions and of the
regression."""),
        ("code", """\
lda = discourse.LDA(n_topics=12, random_state=0, n_jobs=2).fit(dtm)
effects = discourse.estimate_effect(lda, dtm, "group + s(date, df=4)", n_draws=10, random_state=0)
print(effects)
contrast = effects.contrast("group", "SRC", "UMP")
ax = plot.effect_contrast(contrast)
contrast[["label", "estimate", "ci_low", "ci_high"]].round(3)"""),
        ("code", """\
curve = effects.curve("date", n_points=40)
topics = contrast.sort_values("estimate")["topic"].iloc[[0, -1]].tolist()
ax = plot.effect_curve(curve, "date", topics=topics)"""),
    ],
    "06_textometry_mariage.ipynb": [
        ("md", """\
# Textometry of the marriage debate: Reinert classes, correspondence analysis, similarities

The Assemblée nationale debate on opening marriage to same-sex couples (2013), only the turns
on the bill itself (``subject == "mpt"``) and the deputies' interventions. What are the
lexical worlds of the debate (Reinert's classification, as IRaMuTeQ computes it)? Which
groups speak in which world? How do the groups and their words place on a correspondence
analysis? A slice of the debate keeps the notebook fast; drop ``.head(...)`` for all of it."""),
        ("code", SETUP),
        ("code", """\
corpus = corpora.load("an-mariage-pour-tous-2013")
turns = corpus.filter(subject="mpt", turn_type="intervention", role="deputy").head(2500)
tokens = discourse.Preprocessor(backend="fast", domain_stop_words=["parliament"], progress=False).transform(turns)
print(tokens)"""),
        ("md", """\
## Reinert classification

Segments of about 20 content tokens (the preprocessor removed stop words, so about 40 words
of text) cut at the strongest punctuation, merged into context units of at least 10 distinct
terms; each split on the first axis of a correspondence analysis, the cut maximising χ²,
then units reassigned while χ² grows (see the Textometry page of the docs)."""),
        ("code", """\
reinert = discourse.Reinert(n_classes=6, segment_size=20).fit(tokens)
reinert.classes_"""),
        ("code", """\
ax = plot.reinert_dendrogram(reinert)"""),
        ("md", """\
Profiles: the terms over-represented in the segments of a class (signed χ², p, the share of
the term's segments that fall in the class, as IRaMuTeQ prints them)."""),
        ("code", """\
reinert.profile(1, n=10)[["term", "chi2", "p", "n_segments_class", "percent"]].round(2)"""),
        ("code", """\
reinert.characteristic_segments(1, n=3)[["doc_id", "text", "score"]]"""),
        ("md", """\
## Classes by parliamentary group

Segments of each class by the group of the speaker; colour = signed χ² of the cell (red:
more segments than independence predicts)."""),
        ("code", """\
table = reinert.crosstab(tokens.metadata, "group")
ax = plot.class_table(table)"""),
        ("md", """\
## Correspondence analysis of groups × terms

The groups' lexical table (terms used at least 50 times), NI as a supplementary row:
marker size is the contribution to the plane."""),
        ("code", """\
from discourse.dtm import DocumentTermMatrix
from discourse.textometry import lexical_table

dtm = DocumentTermMatrix.from_tokens(tokens, min_df=5)
groups = lexical_table(dtm, "group")
groups = groups.loc[:, groups.sum() >= 50]
ca = discourse.CA(n_components=4).fit(groups, supplementary_rows=["NI"])
ca.eigenvalue_table().round(3)"""),
        ("code", """\
ax = plot.ca_biplot(ca, max_labels=40)"""),
        ("md", """\
## Co-occurrences of « enfant » and the similarity tree"""),
        ("code", """\
discourse.cooccurrence_specificities(tokens, "enfant", window=10, min_count=5).head(12)"""),
        ("code", """\
graph = discourse.similarity_graph(dtm, n_terms=50, index="jaccard")
ax = plot.similarity_tree(graph)"""),
        ("code", """\
discourse.labbe_distance(dtm, by="group").round(3)"""),
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
