"""The corpus loaders, on the real corpora: counts, metadata fields and values, errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from discourse import Corpus, corpora
from discourse.corpora import CorpusNotFoundError
from discourse.corpora import an_mariage_pour_tous_2013 as mpt_module
from discourse.corpora import europarl_fr_2000 as europarl_module
from discourse.corpora.ud_french_gsd import parse_conllu, read_conllu


# ---------------------------------------------------------------------- fixtures (load once)
@pytest.fixture(scope="module")
def europarl(data_home: Path) -> Corpus:
    return corpora.load("europarl-fr-2000", data_home=data_home)


@pytest.fixture(scope="module")
def debats(data_home: Path) -> Corpus:
    return corpora.load("an-debats-2013-2018", data_home=data_home)


@pytest.fixture(scope="module")
def mariage(data_home: Path) -> Corpus:
    return corpora.load("an-mariage-pour-tous-2013", data_home=data_home)


@pytest.fixture(scope="module")
def legi(data_home: Path) -> Corpus:
    return corpora.load("legi-codes", data_home=data_home)


@pytest.fixture(scope="module")
def literary(data_home: Path) -> Corpus:
    return corpora.load("literary-fr-scale", data_home=data_home)


@pytest.fixture(scope="module")
def ud(data_home: Path) -> Corpus:
    return corpora.load("ud-french-gsd", data_home=data_home)


# ---------------------------------------------------------------------- registry
def test_names_are_the_corpus_folders(data_home: Path) -> None:
    assert corpora.names() == [
        "seed", "europarl-fr-2000", "an-debats-2013-2018", "an-mariage-pour-tous-2013",
        "legi-codes", "literary-fr-scale", "ud-french-gsd", "sample",
    ]
    on_disk = sorted(p.name for p in data_home.iterdir() if p.is_dir())
    assert sorted(n for n in corpora.names() if not corpora.info(n).embedded) == on_disk


def test_every_local_file_matches_its_recorded_checksum(data_home: Path) -> None:
    for name in ["seed", "europarl-fr-2000", "ud-french-gsd", "an-mariage-pour-tous-2013"]:
        report = corpora.verify(name, data_home=data_home)
        assert (report.status == "ok").all(), report[report.status != "ok"]
    assert len(corpora.info("an-debats-2013-2018").files) == 1190


def test_info_records_origin_licence_and_pinned_address() -> None:
    ud = corpora.info("ud-french-gsd")
    assert ud.licence == "CC BY-SA 4.0"
    assert "830e2782" in ud.base_url
    assert ud.url("fr_gsd-ud-test.conllu").endswith("/830e2782/fr_gsd-ud-test.conllu")
    # The TEI files sit under files/xml/ in the source repository, the deputies at its root.
    mpt = corpora.info("an-mariage-pour-tous-2013")
    assert mpt.url("xml/20130118.xml") == (
        "https://raw.githubusercontent.com/nlegrand/mariagepourtousInXML/de11b6b3/files/xml/20130118.xml")
    assert mpt.url("deputes_id.json").endswith("de11b6b3/deputes_id.json")
    debats = corpora.info("an-debats-2013-2018")
    assert debats.url("txt/20151116160000000.txt").endswith("debats-assemblee-nationale/20151116160000000.txt")
    assert corpora.info("legi-codes").base_url is None  # a conversion: no direct address


def test_data_home_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DISCOURSE_DATA", str(tmp_path / "env"))
    assert corpora.data_home() == tmp_path / "env"
    assert corpora.data_home(tmp_path / "arg") == tmp_path / "arg"
    monkeypatch.delenv("DISCOURSE_DATA")
    assert corpora.data_home() == Path.home() / "discourse_data"


def test_unknown_name_lists_names_and_suggests() -> None:
    with pytest.raises(ValueError) as err:
        corpora.load("europarl")
    message = str(err.value)
    assert "Did you mean 'europarl-fr-2000'?" in message
    for name in corpora.names():
        assert name in message


def test_missing_corpus_says_where_it_looked_and_where_it_comes_from(tmp_path: Path) -> None:
    with pytest.raises(CorpusNotFoundError) as err:
        corpora.load("europarl-fr-2000", data_home=tmp_path)
    assert isinstance(err.value, FileNotFoundError)
    message = str(err.value)
    assert str(tmp_path / "europarl-fr-2000") in message
    assert "mjlaali/europarl" in message and "a796a50d" in message
    assert "download=True" in message


def test_partial_corpus_loads_with_a_warning(data_home: Path, tmp_path: Path) -> None:
    # A folder with only two of the four Europarl days: usable, but the gap is not silent.
    raw = tmp_path / "europarl-fr-2000" / "raw"
    raw.mkdir(parents=True)
    for day in ("17", "21"):
        shutil.copy(data_home / "europarl-fr-2000" / "raw" / f"ep-00-01-{day}.txt", raw)
    with pytest.warns(UserWarning, match="2 file"):
        corpus = corpora.load("europarl-fr-2000", data_home=tmp_path)
    assert len(corpus) == 87 + 2


def test_summary_table_reports_every_corpus(data_home: Path, tmp_path: Path) -> None:
    table = corpora.summary_table(["seed", "europarl-fr-2000", "ud-french-gsd"], data_home=data_home)
    assert table.corpus.tolist() == ["seed", "europarl-fr-2000", "ud-french-gsd"]
    assert table.documents.tolist() == [1, 451, 1892]
    assert table.set_index("corpus").loc["europarl-fr-2000", "first_date"] == pd.Timestamp("2000-01-17")
    missing = corpora.summary_table(["seed"], data_home=tmp_path)
    assert missing.status.tolist() == ["missing"]


# ---------------------------------------------------------------------- seed
def test_seed_is_the_file_exactly(data_home: Path, seed_text: str) -> None:
    seed = corpora.load("seed", data_home=data_home)
    assert seed.name == "seed"
    assert seed.ids == ["ue-onu-contre-terrorisme"]
    assert seed.texts == [seed_text]
    assert seed.metadata.loc[0, "title"] == (
        "L’UE et l’ONU veulent renforcer leur partenariat en matière de lutte contre le terrorisme")
    assert seed.texts[0].startswith(seed.metadata.loc[0, "title"] + "\n")


# ---------------------------------------------------------------------- Europarl
def test_europarl_counts(europarl: Corpus) -> None:
    meta = europarl.metadata
    assert europarl.name == "europarl-fr-2000"
    assert len(europarl) == 451
    # 54 speakers announced with no French text: reported, not kept empty
    assert len(europarl.skipped) == 54
    assert set(europarl.skipped.reason) == {"empty speech"}
    assert len(meta.drop_duplicates(["file", "chapter"])) == 21
    assert meta.groupby("date").size().to_dict() == {
        pd.Timestamp("2000-01-17"): 87, pd.Timestamp("2000-01-18"): 252,
        pd.Timestamp("2000-01-19"): 110, pd.Timestamp("2000-01-21"): 2,
    }
    assert meta["language"].notna().sum() == 223
    assert meta["language"].value_counts().to_dict()["EN"] == 54
    assert pd.api.types.is_datetime64_any_dtype(meta["date"])


def test_europarl_17_january_agenda_items(europarl: Corpus) -> None:
    day = europarl.filter(date=pd.Timestamp("2000-01-17")).metadata
    assert day.drop_duplicates("chapter").agenda_item.tolist() == [
        "Reprise de la session",
        "Ordre des travaux",
        "Conseillers à la sécurité pour le transport de marchandises dangereuses",
        "Transport de marchandises dangereuses par route",
        "Coordination Fonds structurels/Fonds de cohésion",
        "Situation, développement social et économique des régions de l' Union",
    ]
    assert (day.label == day.agenda_item).all()


def test_europarl_a_known_speech(europarl: Corpus) -> None:
    doc = europarl["ep-00-01-17/ch1/sp2"]
    assert doc.metadata["speaker"] == "Evans, Robert J"
    assert doc.metadata["language"] == "EN"
    assert doc.metadata["agenda_item"] == "Reprise de la session"
    assert not doc.metadata["is_chair"]
    assert doc.text.startswith("Madame la Présidente, c'est une motion de procédure.\nVous avez probablement")
    opening = europarl["ep-00-01-17/ch1/sp1"]
    assert opening.metadata["speaker"] == "La Présidente" and opening.metadata["is_chair"]
    assert pd.isna(opening.metadata["language"])
    # <P> markers become blank lines; no markup is left in any text
    assert "\n\nComme vous avez pu le constater" in opening.text
    assert not any("<SPEAKER" in t or "<P>" in t or "<CHAPTER" in t for t in europarl.texts)


def test_europarl_text_before_first_speaker_is_kept(tmp_path: Path) -> None:
    day = tmp_path / "ep-00-02-01.txt"
    day.write_text(
        '<CHAPTER ID=3>\nOrdre du jour\nLe texte annoncé sans orateur.\n<P>\nSuite.\n'
        '<SPEAKER ID=7 NAME="Le Président" >\nLa séance est ouverte.\n<SPEAKER ID=8 NAME="X">\n',
        encoding="utf-8",
    )
    records, skipped = europarl_module.parse_file(day)
    assert [r["doc_id"] for r in records] == ["ep-00-02-01/ch3/intro", "ep-00-02-01/ch3/sp7"]
    assert records[0]["text"] == "Le texte annoncé sans orateur.\n\nSuite."
    assert records[0]["speaker"] is None and records[0]["agenda_item"] == "Ordre du jour"
    assert records[0]["date"] == pd.Timestamp("2000-02-01")
    assert skipped == [("ep-00-02-01/ch3/sp8", "empty speech")]


# ---------------------------------------------------------------------- AN sittings
def test_an_debats_counts_and_dates(debats: Corpus) -> None:
    meta = debats.metadata
    assert len(debats) == 1190 and debats.skipped.empty
    assert meta.groupby("year").size().to_dict() == {2013: 100, 2014: 283, 2015: 303, 2016: 254, 2017: 188, 2018: 62}
    assert meta.date.min() == pd.Timestamp("2013-07-18 09:30")
    assert meta.date.max() == pd.Timestamp("2018-03-29 09:30")
    row = meta.set_index("doc_id").loc["20131016150000000"]
    assert row.date == pd.Timestamp("2013-10-16 15:00") and row.year == 2013
    assert debats.text("20131016150000000").startswith("La séance est ouverte.\nL’ordre du jour appelle les questions au Gouvernement.\n")
    assert sorted(meta.loc[meta.variant.notna(), "doc_id"].str[:12]) == [
        "201310222130", "201502102130", "201610041500", "201707041500", "201709251600"]


def test_an_debats_years_option(data_home: Path) -> None:
    two = corpora.load("an-debats-2013-2018", data_home=data_home, years=[2018])
    assert len(two) == 62 and set(two.metadata.year) == {2018}


# ---------------------------------------------------------------------- TEI debate
def test_mariage_counts(mariage: Corpus) -> None:
    meta = mariage.metadata
    assert len(mariage) == 19240 and mariage.skipped.empty
    assert meta.sitting.nunique() == 25
    assert meta.turn_type.value_counts().to_dict() == {"intervention": 7584, "interruption": 6796, "régulation": 4860}
    assert meta.role.value_counts().to_dict() == {"deputy": 12526, "chair": 4861, "other": 1418, "deputies": 435}
    assert meta.group.value_counts().to_dict() == {
        "UMP": 8050, "SRC": 4052, "ECOLO": 245, "UDI": 235, "GDR": 185, "RRDP": 134, "NI": 50}
    assert meta.date.min() == pd.Timestamp("2013-01-29") and meta.date.max() == pd.Timestamp("2013-02-12")


def test_mariage_known_deputies_and_turns(mariage: Corpus, data_home: Path) -> None:
    table = mpt_module.deputies(data_home / "an-mariage-pour-tous-2013").set_index("deputy_id")
    assert len(table) == 573
    assert table.loc["1001", "name"] == "Marc-Philippe Daubresse" and table.loc["1001", "group"] == "UMP"
    jacob = mariage.filter(speaker="Christian Jacob").metadata
    assert len(jacob) == 471
    assert set(jacob.group) == {"UMP"} and set(jacob.deputy_id) == {"1695"}
    assert set(jacob.vote) == {"contre"} and set(jacob.sex) == {"H"}
    binet = mariage.filter(speaker="Erwann Binet").metadata
    assert set(binet.group) == {"SRC"} and set(binet.vote) == {"pour"}
    # a minister: no group; the printed heading keeps her title
    taubira = mariage.filter(speaker="Christiane Taubira").metadata
    assert len(taubira) == 889 and taubira.group.isna().all() and set(taubira.role) == {"other"}
    assert "garde des Sceaux" in taubira.speaker_heading.iloc[0]
    first = mariage["20130118/sp4"]
    assert first.metadata["sitting_title"] == "Deuxième séance du mardi 29 janvier 2013"
    assert first.metadata["date"] == pd.Timestamp("2013-01-29")
    assert first.metadata["section"] == "Mariage pour tous"
    assert first.text.startswith("Monsieur le président, ma question s'adresse à M. le Premier ministre.\nInexorablement")


def test_mariage_stage_directions_are_counted_not_kept(mariage: Corpus) -> None:
    meta = mariage.metadata
    assert int(meta.reactions.sum()) == 4383
    cope = mariage["20130120/sp4"]
    assert cope.metadata["speaker"] == "Jean-François Copé" and cope.metadata["reactions"] == 2
    assert "les masques sont en train de tomber.\nVous avez refusé" in cope.text
    assert "les 800 000 Français qui ont manifesté, les plus hautes autorités" in cope.text
    # Two turns of the source carry an applause note as plain text, not as markup: kept as published.
    assert sum("Applaudissements sur les bancs" in t for t in mariage.texts) == 2
    opening = mariage["20130118/sp1"]
    assert opening.text.startswith("La séance est ouverte.")  # the converter's leading ". " is gone


def test_mariage_collective_turns_get_their_group(mariage: Corpus) -> None:
    meta = mariage.metadata
    ump = meta[meta.speaker_heading == "Plusieurs députés du groupe UMP"]
    assert len(ump) == 171 and set(ump.group) == {"UMP"} and set(ump.role) == {"deputies"}
    two = meta[meta.speaker_heading == "Plusieurs députés du groupe SRC et du groupe écologiste"]
    assert two.group.isna().all()


# ---------------------------------------------------------------------- legal codes, literary chunks
def test_legi_codes(legi: Corpus, data_home: Path) -> None:
    meta = legi.metadata
    assert len(legi) == 73890 and legi.skipped.empty
    assert meta.label.nunique() == 63 and (meta.label == meta.code).all()
    row = meta.set_index("doc_id").loc["codes-en-vigueur/code-civil/livre-ier/titre-ier-bis/chapitre-ier/article-17-1.md"]
    assert row.code == "code-civil" and row.article == "Article 17-1"
    assert row.hierarchy == "livre-ier/titre-ier-bis/chapitre-ier"
    first = corpora.load("legi-codes", data_home=data_home, limit=100)
    assert first.ids == legi.ids[:100] and first.texts == legi.texts[:100]


@pytest.mark.parametrize("compress", [True, False])
def test_jsonl_reader_across_block_boundaries(data_home: Path, tmp_path: Path, compress: bool) -> None:
    import gzip

    from discourse.corpora._jsonl import load_jsonl_corpus

    source = data_home / "literary-fr-scale" / "chunks.jsonl.gz"
    with gzip.open(source, "rb") as fh:
        head = b"".join(next(fh) for _ in range(30))
    head = head.replace(b"\n", b"\n\n", 1) + b'{"doc_id": "vide", "text": " "}'  # a blank line, a blank text, no final newline
    path = tmp_path / ("chunks.jsonl.gz" if compress else "chunks.jsonl")
    path.write_bytes(gzip.compress(head) if compress else head)
    expected = corpora.load("literary-fr-scale", data_home=data_home, limit=30)
    for block_size in (7, 4096):
        corpus = load_jsonl_corpus(path, "literary-fr-scale", ["source", "work"], None, "chunks", block_size=block_size)
        assert corpus.ids == expected.ids and corpus.texts == expected.texts
        assert corpus.skipped.to_dict("records") == [{"doc_id": "vide", "reason": "empty text"}]


def test_literary_chunks(literary: Corpus) -> None:
    meta = literary.metadata
    assert len(literary) == 21030
    assert meta.source.value_counts().to_dict() == {"gutenberg": 16358, "libretheatre": 2512, "wikisource": 2160}
    assert meta.work.nunique() == 1207
    assert literary.ids[0] == "gutenberg/10160.txt#0"
    assert literary.texts[0].startswith("Ève promenait parmi les animaux de la création sa beauté flamande.\n")


# ---------------------------------------------------------------------- UD French-GSD
def test_ud_counts_and_splits(ud: Corpus, data_home: Path) -> None:
    meta = ud.metadata
    assert len(ud) == 1892
    assert meta.split.value_counts().to_dict() == {"dev": 1476, "test": 416}
    assert sum(map(len, meta.gold_tokens)) == 44402
    assert sum(map(len, meta.gold_words)) == 45739
    test = corpora.load("ud-french-gsd", data_home=data_home, split="test")
    assert len(test) == 416 and test.ids[0] == "fr-ud-test_00001"
    with pytest.raises(ValueError, match="unknown split"):
        corpora.load("ud-french-gsd", data_home=data_home, split="train")


def test_ud_multiword_tokens(ud: Corpus) -> None:
    doc = ud["fr-ud-test_00002"]
    row = doc.metadata
    assert doc.text == "On pourra toujours parler à propos d'Averroès de \"décentrement du Sujet\"."
    i = row["gold_tokens"].index("du")
    first, end = row["gold_mwt"][i]
    assert row["gold_words"][first:end] == ["de", "le"]
    assert row["gold_lemmas"][first:end] == ["de", "le"]
    assert row["gold_upos"][first:end] == ["ADP", "DET"]
    assert row["gold_lemmas"][row["gold_words"].index("pourra")] == "pouvoir"
    start, stop = row["gold_spans"][i]
    assert doc.text[start:stop] == "du"


def test_ud_gold_columns_are_consistent(ud: Corpus) -> None:
    for text, row in zip(ud.texts, ud.metadata.itertuples()):
        assert len(row.gold_words) == len(row.gold_lemmas) == len(row.gold_upos)
        assert len(row.gold_tokens) == len(row.gold_mwt) == len(row.gold_spans) == len(row.gold_space_after)
        assert row.gold_mwt[0][0] == 0 and row.gold_mwt[-1][1] == len(row.gold_words)
        # every surface token is found in the text, and a space follows it exactly when CoNLL-U says so
        for k, (start, stop) in enumerate(row.gold_spans):
            assert text[start:stop] == row.gold_tokens[k]
            if k + 1 < len(row.gold_spans):
                assert (row.gold_spans[k + 1][0] > stop) == row.gold_space_after[k]


def test_read_conllu_on_any_file(data_home: Path) -> None:
    corpus = read_conllu(data_home / "ud-french-gsd" / "fr_gsd-ud-test.conllu")
    assert len(corpus) == 416 and "split" not in corpus.metadata.columns
    block = "# sent_id = x\n# text = Au revoir\n1-2\tAu\t_\t_\t_\t_\t_\t_\t_\t_\n1\tÀ\tà\tADP\t_\t_\t0\troot\t_\t_\n" \
            "2\tle\tle\tDET\t_\t_\t1\tdet\t_\t_\n3\trevoir\trevoir\tNOUN\t_\t_\t1\tobj\t_\t_\n3.1\tx\tx\tX\t_\t_\t_\t_\t_\t_\n"
    sentence = next(parse_conllu(block))
    assert sentence["gold_tokens"] == ["Au", "revoir"]
    assert sentence["gold_words"] == ["À", "le", "revoir"]  # the empty node 3.1 is no word
    assert sentence["gold_mwt"] == [[0, 2], [2, 3]]


def test_loading_benchmark_measures_in_process(data_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Smoke test of benchmarks/bench_loading.py on the smallest corpora (no timing assertion).
    from benchmarks import bench_loading

    monkeypatch.setenv("DISCOURSE_DATA", str(data_home))
    timed = bench_loading.child("europarl-fr-2000", "discourse", "time", 1)
    assert timed["documents"] == 451 and timed["seconds"] > 0
    traced = bench_loading.child("seed", "discourse", "trace", 1)
    assert traced["traced_peak_mb"] >= 0
    assert bench_loading.child("seed", "plain", "time", 1) == {}  # no plain reader for one file
    table = bench_loading._markdown([{**timed, **bench_loading.child("europarl-fr-2000", "discourse", "trace", 1)}], 1)
    assert "| europarl-fr-2000 | 451 |" in table
