"""Parquet shards of a corpus: exact round trip, checked reads, streaming writes and reads, the CLI."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discourse import Corpus, corpora, io
from discourse.cli import main
from discourse.shards import MANIFEST, ShardError, read_shards, stream_file, write_shards
from discourse.storage import ModelFileError


def _same(a: Corpus, b: Corpus) -> None:
    assert b.ids == a.ids
    assert b.texts == a.texts
    assert b.metadata.dtypes.to_dict() == a.metadata.dtypes.to_dict()
    pd.testing.assert_frame_equal(b.metadata, a.metadata)
    assert b.name == a.name and b.history == a.history
    pd.testing.assert_frame_equal(b.skipped.astype(str), a.skipped.astype(str))


@pytest.mark.parametrize("name", corpora.names())
def test_every_registered_corpus_round_trips_exactly(tmp_path, name):
    n = 1 if name == "seed" else 110
    limited = {"limit": n} if name in ("legi-codes", "literary-fr-scale") else {}
    corpus = corpora.load(name, **limited).head(n)
    assert len(corpus) == n
    sharded = write_shards(corpus, tmp_path / "s", documents_per_shard=25, progress=False)
    assert len(sharded) == -(-n // 25) and sharded.n_documents == n
    assert [s.n_documents for s in sharded.shards] == [25] * (n // 25) + ([n % 25] if n % 25 else [])
    _same(corpus, read_shards(tmp_path / "s").to_corpus())
    # the shards, in order, are the corpus in order
    assert [i for c in read_shards(tmp_path / "s") for i in c.ids] == corpus.ids
    assert sharded.shards[0].first_id == corpus.ids[0] and sharded.shards[-1].last_id == corpus.ids[-1]


def test_metadata_dtypes_kept_categorical_nullable_dates_lists(tmp_path):
    frame = pd.DataFrame({
        "texte": ["La séance est ouverte.", "Je mets aux voix l’amendement.", "Adopté.", "La séance est levée."],
        "id": ["t1", "t2", "t3", "t4"],
        "groupe": pd.Categorical(["SRC", "UMP", "SRC", "UDI"], categories=["UMP", "SRC", "UDI", "GDR"], ordered=True),
        "votes": pd.array([12, None, 3, 0], dtype="Int64"),
        "date": pd.to_datetime(["2013-01-29", "2013-01-29", "2013-02-02", None]),
        "reactions": [["Applaudissements"], [], ["Exclamations", "Rires"], []],
        "score": [0.5, float("nan"), 1.25, -2.0],
    })
    corpus = Corpus.from_frame(frame, text_column="texte", id_column="id", name="débat")
    sharded = write_shards(corpus, tmp_path / "s", documents_per_shard=3, progress=False)
    back = sharded.to_corpus()
    _same(corpus, back)
    # one shard alone keeps every category, in order, even those absent from it
    assert list(sharded.shard(1).metadata["groupe"].cat.categories) == ["UMP", "SRC", "UDI", "GDR"]
    assert sharded.schema["votes"] == "Int64"


def test_skipped_documents_and_history_travel_in_the_manifest(tmp_path):
    corpus = corpora.load("sample").head(30)
    corpus = corpus.drop(corpus.ids[:2], reason="texte hors sujet")
    sharded = write_shards(corpus, tmp_path / "s", documents_per_shard=10, progress=False)
    assert sharded.skipped["doc_id"].tolist() == corpus.skipped["doc_id"].tolist()
    assert sharded.provenance.skipped_table()["reason"].tolist() == ["texte hors sujet"] * 2
    assert sharded.shard(2).history[-1] == "shard 3 of 3 (shard-00002.parquet)"


def test_a_tampered_shard_is_refused_naming_it(tmp_path):
    corpus = corpora.load("sample").head(60)
    write_shards(corpus, tmp_path / "s", documents_per_shard=20, progress=False)
    path = tmp_path / "s" / "shard-00001.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, one byte changed
    path.write_bytes(bytes(data))
    sharded = read_shards(tmp_path / "s")  # sizes agree: opening is fine
    assert sharded.shard(0).ids == corpus.ids[:20]
    with pytest.raises(ShardError, match="shard-00001.parquet does not match its SHA-256"):
        sharded.shard(1)
    with pytest.raises(ModelFileError, match="shard-00001.parquet"):
        sharded.to_corpus()
    path.write_bytes(bytes(data[:-10]))  # truncated: refused on opening
    with pytest.raises(ShardError, match="shard-00001.parquet has .* bytes, the manifest says"):
        read_shards(tmp_path / "s")
    path.unlink()
    with pytest.raises(ShardError, match="shard shard-00001.parquet is missing"):
        read_shards(tmp_path / "s")


def test_a_damaged_manifest_is_refused(tmp_path):
    write_shards(corpora.load("sample").head(10), tmp_path / "s", documents_per_shard=5, progress=False)
    manifest = tmp_path / "s" / MANIFEST
    data = json.loads(manifest.read_text())
    data["shards"][0]["file"] = "../autre.parquet"
    manifest.write_text(json.dumps(data))
    with pytest.raises(ShardError, match="outside the folder"):
        read_shards(tmp_path / "s")
    data["shards"][0]["file"] = "shard-00000.parquet"
    data["n_documents"] = 11
    manifest.write_text(json.dumps(data))
    with pytest.raises(ShardError, match="counts 11 documents, its shards hold 10"):
        read_shards(tmp_path / "s")
    with pytest.raises(ShardError, match="no shards.json"):
        read_shards(tmp_path)


def test_a_stream_is_written_chunk_by_chunk(tmp_path):
    corpus = corpora.load("sample").head(100)
    written_before: list[int] = []

    def chunks():
        for start in range(0, 100, 10):
            # when chunk k is asked for, the shards of the chunks before it are already on disk
            partial = [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]
            written_before.append(len(list(partial[0].glob("shard-*.parquet"))) if partial else 0)
            yield corpus.select(corpus.ids[start:start + 10])

    sharded = write_shards(chunks(), tmp_path / "s", documents_per_shard=20, progress=False)
    assert written_before == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert len(sharded) == 5
    back = sharded.to_corpus()
    assert back.ids == corpus.ids and back.texts == corpus.texts
    pd.testing.assert_frame_equal(back.metadata, corpus.metadata)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folder left


def test_reading_streams_one_shard_at_a_time(tmp_path, monkeypatch):
    import discourse.shards as shards

    write_shards(corpora.load("sample").head(60), tmp_path / "s", documents_per_shard=20, progress=False)
    reads: list[str] = []
    original = shards.read_checked
    monkeypatch.setattr(shards, "read_checked", lambda folder, info: reads.append(info.file) or original(folder, info))
    it = iter(read_shards(tmp_path / "s"))
    assert reads == []
    first = next(it)
    assert reads == ["shard-00000.parquet"] and len(first) == 20
    next(it)
    assert reads == ["shard-00000.parquet", "shard-00001.parquet"]


def test_duplicate_ids_across_chunks_refused_and_nothing_left(tmp_path):
    corpus = corpora.load("sample").head(30)
    with pytest.raises(ValueError, match=f"doc_id {corpus.ids[3]!r} appears more than once"):
        write_shards(iter([corpus, corpus.head(5).select([corpus.ids[3]])]), tmp_path / "s",
                     documents_per_shard=7, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_overwrite_rules(tmp_path):
    corpus = corpora.load("sample").head(10)
    write_shards(corpus, tmp_path / "s", documents_per_shard=5, progress=False)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        write_shards(corpus, tmp_path / "s", progress=False)
    again = write_shards(corpus.head(4), tmp_path / "s", documents_per_shard=5, overwrite=True, progress=False)
    assert again.n_documents == 4 and sorted(p.name for p in (tmp_path / "s").iterdir()) == ["shard-00000.parquet", MANIFEST]
    (tmp_path / "autre").mkdir()
    with pytest.raises(FileExistsError, match="not a shard folder"):
        write_shards(corpus, tmp_path / "autre", overwrite=True, progress=False)


def test_stream_file_follows_the_missing_text_policy_of_the_readers(tmp_path):
    rows = pd.DataFrame({"texte": ["La paix.", None, "  ", "La guerre.", "L’état de droit."],
                         "annee": [2001, 2002, 2003, 2004, 2005]})
    path = tmp_path / "depeches.csv"
    rows.to_csv(path, index=False)
    chunks = list(stream_file(path, text_column="texte", id_column=None, chunk_size=2))
    whole = io.read_csv(path, text_column="texte", id_column=None)
    assert [i for c in chunks for i in c.ids] == whole.ids == ["doc0", "doc3", "doc4"]
    assert [t for c in chunks for t in c.texts] == whole.texts
    assert pd.concat([c.skipped for c in chunks]).values.tolist() == whole.skipped.values.tolist() == [
        ["doc1", "missing text"], ["doc2", "empty text"]]
    sharded = write_shards(stream_file(path, text_column="texte", id_column=None, chunk_size=2), tmp_path / "s",
                           documents_per_shard=2, progress=False)
    assert sharded.to_corpus().metadata["annee"].tolist() == [2001, 2004, 2005]
    assert sharded.skipped.values.tolist() == [["doc1", "missing text"], ["doc2", "empty text"]]

    jsonl = tmp_path / "depeches.jsonl"
    jsonl.write_text("\n".join(json.dumps({"id": f"d{i}", "text": t}) for i, t in enumerate(["Oui.", "", "Non."])),
                     encoding="utf-8")
    streamed = write_shards(stream_file(jsonl, id_column="id", chunk_size=2), tmp_path / "j", progress=False)
    assert streamed.to_corpus().ids == ["d0", "d2"] and streamed.skipped.values.tolist() == [["d1", "empty text"]]


def test_cli_shard_a_registered_corpus_and_a_file(tmp_path, capsys):
    assert main(["shard", "sample", str(tmp_path / "s"), "--documents-per-shard", "100", "--quiet"]) == 0
    sharded = read_shards(tmp_path / "s")
    assert sharded.n_documents == len(corpora.load("sample")) and len(sharded) == -(-sharded.n_documents // 100)
    assert main(["shard", "sample", str(tmp_path / "s"), "--quiet"]) == 2  # exists: one line, no traceback
    assert "overwrite" in capsys.readouterr().err
    parquet = tmp_path / "sample.parquet"
    corpora.load("sample").head(50).to_frame().to_parquet(parquet)
    assert main(["shard", str(parquet), str(tmp_path / "p"), "--documents-per-shard", "20", "--quiet"]) == 0
    assert [s.n_documents for s in read_shards(tmp_path / "p").shards] == [20, 20, 10]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(min_size=1), min_size=1, max_size=12), st.integers(1, 5))
def test_round_trip_property(tmp_path_factory, texts, per_shard):
    corpus = Corpus.from_texts([t for t in texts if not any("\ud800" <= c <= "\udfff" for c in t)] or ["x"])
    folder = tmp_path_factory.mktemp("h") / "s"
    back = write_shards(corpus, folder, documents_per_shard=per_shard, progress=False).to_corpus()
    assert back.texts == corpus.texts and back.ids == corpus.ids


def test_an_empty_source_is_refused(tmp_path):
    rows = pd.DataFrame({"text": ["", None], "doc_id": ["a", "b"]})
    rows.to_csv(tmp_path / "vide.csv", index=False)
    with pytest.raises(ValueError, match="holds no document .*2 skipped"):
        write_shards(stream_file(tmp_path / "vide.csv"), tmp_path / "s", progress=False)
    assert not (tmp_path / "s").exists()


def test_cli_shard_a_folder_of_text_files(tmp_path):
    (tmp_path / "txt").mkdir()
    for i, text in enumerate(["La séance est ouverte.", "Je mets aux voix.", "La séance est levée."]):
        (tmp_path / "txt" / f"s{i}.txt").write_text(text, encoding="utf-8")
    assert main(["shard", str(tmp_path / "txt"), str(tmp_path / "s"), "--documents-per-shard", "2", "--quiet"]) == 0
    assert read_shards(tmp_path / "s").to_corpus().texts == io.read_folder(tmp_path / "txt").texts
    assert main(["shard", "pas-un-corpus", str(tmp_path / "x"), "--quiet"]) == 2
