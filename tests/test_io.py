"""Reading files: encodings, line endings, HTML, skipped files, CSV/JSONL, duplicates."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discourse import Corpus, corpora, io
from discourse.corpus import CorpusError

# A real French sentence with the characters where cp1252 and Latin-1 differ (’ « » œ €)
# and those they share (é, è, à, ç).
FRENCH = "L’Union européenne « réaffirme » son soutien à l’état de droit ; cœur du budget : 3 € pour la sécurité."


@pytest.fixture(scope="module")
def debats(data_home: Path) -> Corpus:
    return corpora.load("an-debats-2013-2018", data_home=data_home, years=[2015])


# ---------------------------------------------------------------------- encodings
def test_cp1252_file_is_decoded_and_reported(tmp_path: Path, seed_text: str) -> None:
    path = tmp_path / "depeche.txt"
    body = seed_text.replace("\n", "\r\n") + "\r\n" + FRENCH
    path.write_bytes(body.encode("cp1252"))
    text, report = io.read_text_file(path)
    assert text == seed_text + "\n" + FRENCH
    assert report.encoding == "cp1252"
    assert report.detected_by == "charset-normalizer"
    assert report.line_endings == "crlf"


def test_latin1_bytes_shared_with_cp1252_decode_the_same(tmp_path: Path) -> None:
    path = tmp_path / "archive.txt"
    sentence = "Le président de la République a déclaré que la sécurité était une priorité."
    path.write_bytes(sentence.encode("latin-1"))
    text, report = io.read_text_file(path)
    assert text == sentence
    assert report.encoding in {"cp1252", "latin_1", "iso8859-15"}


def test_utf8_bom_is_detected_and_removed(tmp_path: Path, seed_text: str) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + seed_text.encode("utf-8"))
    text, report = io.read_text_file(path)
    assert text == seed_text and not text.startswith("\ufeff")
    assert report.encoding == "utf-8-sig" and report.detected_by == "bom"


def test_utf8_is_preferred_when_it_decodes(data_home: Path, seed_text: str) -> None:
    text, report = io.read_text_file(data_home / "seed" / "ue-onu-contre-terrorisme.txt")
    assert text == seed_text
    assert (report.encoding, report.line_endings) == ("utf-8", "lf")


def test_old_mac_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "mac.txt"
    path.write_bytes("Première ligne.\rDeuxième ligne.\r\nTroisième.".encode("utf-8"))
    text, report = io.read_text_file(path)
    assert text == "Première ligne.\nDeuxième ligne.\nTroisième."
    assert report.line_endings == "mixed"


def test_forced_encoding_that_does_not_fit_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(FRENCH.encode("cp1252"))
    with pytest.raises(io.DecodeError, match="bad.txt"):
        io.read_text_file(path, encoding="utf-8")


def test_strip_html(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Dépêche</title><style>p {color: red}</style></head><body>"
        "<h1>L&rsquo;UE et l&rsquo;ONU</h1><p>Le <b>multilatéralisme</b> &laquo;&nbsp;recule&nbsp;&raquo;.</p>"
        "<script>var x = 1;</script><p>Fin.</p></body></html>",
        encoding="utf-8",
    )
    text, report = io.read_text_file(path, strip_html=True)
    assert text == "Dépêche\nL’UE et l’ONU\nLe multilatéralisme « recule ».\nFin."
    assert report.html_stripped


# ---------------------------------------------------------------------- folders
def test_read_folder_reports_encodings_and_skips(tmp_path: Path, data_home: Path, seed_text: str) -> None:
    (tmp_path / "2019").mkdir()
    (tmp_path / "2019" / "seed.txt").write_bytes((data_home / "seed" / "ue-onu-contre-terrorisme.txt").read_bytes())
    (tmp_path / "cp1252.txt").write_bytes(FRENCH.encode("cp1252"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + FRENCH.encode("utf-8"))
    (tmp_path / "vide.txt").write_bytes(b"")
    (tmp_path / "blanc.txt").write_bytes(b" \r\n\t\n")
    (tmp_path / "utf16.txt").write_bytes(b"\xff\xfe" + b"\x00\xd8")  # a BOM then a lone surrogate
    (tmp_path / "notes.md").write_text("pas un .txt", encoding="utf-8")

    corpus = Corpus.read_folder(tmp_path)
    assert corpus.ids == ["2019/seed.txt", "bom.txt", "cp1252.txt"]
    meta = corpus.metadata.set_index("doc_id")
    assert meta.loc["2019/seed.txt", "encoding"] == "utf-8"
    assert meta.loc["bom.txt", "encoding"] == "utf-8-sig"
    assert meta.loc["cp1252.txt", "encoding"] == "cp1252"
    assert corpus.text("2019/seed.txt") == seed_text
    assert corpus.text("cp1252.txt") == corpus.text("bom.txt") == FRENCH
    skipped = corpus.skipped.set_index("doc_id").reason
    assert skipped["vide.txt"] == "empty file" and skipped["blanc.txt"] == "empty file"
    assert skipped["utf16.txt"].startswith("undecodable: ")
    assert len(skipped) == 3
    assert "3 documents, 3 skipped" in corpus.history[-1]

    flat = io.read_folder(tmp_path, recursive=False)
    assert "2019/seed.txt" not in flat.ids


def test_read_folder_on_real_sittings(data_home: Path) -> None:
    corpus = io.read_folder(data_home / "an-debats-2013-2018" / "txt", pattern="2018*.txt")
    assert len(corpus) == 62 and corpus.skipped.empty
    assert set(corpus.metadata.encoding) == {"utf-8"}
    assert corpus.ids[:2] == ["20180116150000000.txt", "20180116213000000.txt"]


def test_read_folder_missing() -> None:
    with pytest.raises(FileNotFoundError, match="no such folder"):
        io.read_folder("/nonexistent/depeches")


# ---------------------------------------------------------------------- CSV / JSONL
def test_read_csv_cp1252_with_empty_rows(tmp_path: Path) -> None:
    path = tmp_path / "communiques.csv"
    frame = pd.DataFrame({"id": ["c1", "c2", "c3"], "source": ["AFP", "Reuters", "AFP"],
                          "texte": [FRENCH, "", "Le multilatéralisme recule."]})
    path.write_bytes(frame.to_csv(index=False, sep=";").encode("cp1252"))
    corpus = Corpus.read_csv(path, text_column="texte", id_column="id", sep=";")
    assert corpus.ids == ["c1", "c3"]
    assert corpus.text("c1") == FRENCH
    assert corpus.metadata.source.tolist() == ["AFP", "AFP"]
    assert corpus.skipped.to_dict("records") == [{"doc_id": "c2", "reason": "missing text"}]
    assert "encoding=cp1252" in corpus.history[0]


def test_read_jsonl_gzip_and_limit(tmp_path: Path, data_home: Path) -> None:
    path = tmp_path / "articles.jsonl.gz"
    records = [{"doc_id": "a", "text": "L’état de droit.", "code": "x"}, {"doc_id": "b", "text": "  ", "code": "y"},
               {"doc_id": "c", "text": "Les droits fondamentaux.", "code": "x"}]
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    corpus = Corpus.read_jsonl(path)
    assert corpus.ids == ["a", "c"] and corpus.metadata.code.tolist() == ["x", "x"]
    assert corpus.skipped.to_dict("records") == [{"doc_id": "b", "reason": "empty text"}]
    assert io.read_jsonl(path, limit=1).ids == ["a"]
    legi = io.read_jsonl(data_home / "legi-codes" / "articles.jsonl.gz", limit=5)
    assert len(legi) == 5 and legi.metadata.code.unique().tolist() == ["code-civil"]


def test_read_jsonl_bad_line_names_it(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "ok"}\n{"text": \n', encoding="utf-8")
    with pytest.raises(CorpusError, match="line 2"):
        io.read_jsonl(path)


# ---------------------------------------------------------------------- duplicates
def _edit(text: str) -> str:
    """A republished copy: typographic apostrophes changed, a few words edited, a line removed."""
    lines = text.split("\n")
    del lines[10]
    edited = "\n".join(lines).replace("’", "'")
    return edited.replace("Gouvernement", "gouvernement", 3).replace(" très ", " fort ", 5)


def test_duplicates_on_a_real_sitting(debats: Corpus) -> None:
    original_id, other_id = debats.ids[0], debats.ids[1]
    original = debats.text(original_id)
    corpus = Corpus.from_texts(
        [original, debats.text(other_id), "  " + original.upper().replace("\n", "  \n"), _edit(original)],
        ids=["depeche", "autre", "copie-exacte", "copie-modifiee"],
    )
    found = io.find_duplicates(corpus, threshold=0.8, random_state=0)
    assert found[["doc_id", "duplicate_of", "kind"]].values.tolist() == [
        ["copie-exacte", "depeche", "exact"],
        ["copie-modifiee", "depeche", "near"],
    ]
    similarity = found.set_index("doc_id").loc["copie-modifiee", "similarity"]
    assert 0.9 < similarity < 1.0
    # the same call gives the same table
    pd.testing.assert_frame_equal(found, io.find_duplicates(corpus, threshold=0.8, random_state=0))

    kept = io.drop_duplicates(corpus)
    assert kept.ids == ["depeche", "autre"]
    reasons = kept.skipped.set_index("doc_id").reason
    assert reasons["copie-exacte"] == "exact duplicate of depeche"
    assert reasons["copie-modifiee"] == f"near duplicate of depeche (similarity {similarity:.2f})"
    assert kept.history[-1].startswith("drop_duplicates(threshold=0.8")
    assert len(corpus) == 4  # the input is untouched

    only_exact = io.drop_duplicates(corpus, keep_near=True)
    assert only_exact.ids == ["depeche", "autre", "copie-modifiee"]


def test_no_duplicates_among_distinct_sittings(debats: Corpus) -> None:
    sample = debats.head(60)
    assert io.find_duplicates(sample).empty


def test_duplicates_on_a_europarl_speech(data_home: Path) -> None:
    europarl = corpora.load("europarl-fr-2000", data_home=data_home)
    speech = europarl.text("ep-00-01-17/ch1/sp4")
    copy = speech.replace("Madame la Présidente", "Madame la présidente").replace("jeudi", "mercredi", 1)
    corpus = europarl.head(20).concat(Corpus.from_texts([copy], ids=["reprise"]))
    found = io.find_duplicates(corpus, threshold=0.7)
    assert found[["doc_id", "duplicate_of", "kind"]].values.tolist() == [["reprise", "ep-00-01-17/ch1/sp4", "near"]]


def test_threshold_must_be_a_proportion() -> None:
    with pytest.raises(ValueError, match="threshold"):
        io.find_duplicates(Corpus.from_texts(["a"]), threshold=1.5)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(alphabet="abcdéèàç’' \n", min_size=1, max_size=60), min_size=1, max_size=8))
def test_a_corpus_followed_by_itself_is_all_duplicates(texts: list[str]) -> None:
    # Every document of the second half is a copy of one kept in the first half.
    doubled = Corpus.from_texts(texts + texts)
    found = io.find_duplicates(doubled, threshold=0.9)
    second_half = {f"doc{i}" for i in range(len(texts), 2 * len(texts))}
    assert second_half <= set(found.doc_id)
    kept = io.drop_duplicates(doubled, threshold=0.9)
    assert set(kept.ids).isdisjoint(second_half)
    assert len(kept) + len(kept.skipped) == len(doubled)
    assert set(found.duplicate_of) <= set(kept.ids)  # copies point to a document that stays
