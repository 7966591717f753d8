"""Crafted model, matrix and token files: a saved file is data, never code, and never trusted unchecked.

Each test starts from a genuine file (fitted on real sittings of the Assemblée nationale) and
changes one thing, as an attacker or a failing disk would.
"""

from __future__ import annotations

import io
import json
import struct
import sys
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from discourse import storage
from discourse.dtm import DocumentTermMatrix
from discourse.storage import ModelFileError
from discourse.tokens import Tokens
from discourse.topics import LDA, NMF, NotFittedError, TopicModel, load_model


@pytest.fixture(scope="module")
def sittings(an_debats):
    return an_debats.select(an_debats.ids[:8])


@pytest.fixture(scope="module")
def dtm(tokens: Tokens) -> DocumentTermMatrix:
    return DocumentTermMatrix.from_tokens(tokens, min_df=2)


@pytest.fixture(scope="module")
def nmf(dtm: DocumentTermMatrix) -> NMF:
    return NMF(n_topics=3).fit(dtm)


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _write(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _edit_info(src: Path, dst: Path, edit) -> Path:
    members = _members(src)
    header = json.loads(members["info.json"])
    edit(header)
    members["info.json"] = json.dumps(header).encode()
    return _write(dst, members)


def _npy(array: np.ndarray, allow_pickle: bool = False) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=allow_pickle)
    return buf.getvalue()


@pytest.fixture()
def saved(nmf: NMF, tmp_path: Path) -> Path:
    return nmf.save(tmp_path / "nmf.discourse")


# ------------------------------------------------------------------------- genuine files
def test_round_trip_of_each_saveable_class(nmf: NMF, dtm: DocumentTermMatrix, tokens: Tokens, tmp_path: Path) -> None:
    back = load_model(nmf.save(tmp_path / "m"))
    assert type(back) is NMF and np.array_equal(back.topic_terms_, nmf.topic_terms_)
    assert back.zero_documents_ == nmf.zero_documents_ and back.reconstruction_err_ == nmf.reconstruction_err_
    m = DocumentTermMatrix.load(dtm.save(tmp_path / "d"))
    assert (m.matrix != dtm.matrix).nnz == 0 and m.vocabulary == dtm.vocabulary
    t = Tokens.load(tokens.save(tmp_path / "t"))
    assert t.to_lists() == tokens.to_lists() and t.config == tokens.config
    # the same object gives the same bytes (stable hashes for manifests and the cache)
    assert (tmp_path / "d").read_bytes() == dtm.save(tmp_path / "d2").read_bytes()


def test_registry_is_closed_and_holds_the_library_classes() -> None:
    assert {"LDA", "NMF", "DocumentTermMatrix", "Tokens"} <= set(storage.registered())
    assert "TopicModel" not in storage.registered()


def test_topic_model_is_an_estimator_and_not_fitted_error_is_shared() -> None:
    from discourse.base import Estimator
    from discourse.base import NotFittedError as BaseNotFitted

    assert issubclass(TopicModel, Estimator) and NotFittedError is BaseNotFitted
    with pytest.raises(NotFittedError, match="not fitted yet"):
        LDA(n_topics=2).save("never-written.discourse")
    assert not Path("never-written.discourse").exists()


# ------------------------------------------------------------------------- code is never chosen by the file
@pytest.mark.parametrize("name", ["run", "discourse.pipeline.run", "Path", "os.system", "evil_module.Evil", "TopicModel", ""])
def test_class_outside_the_registry_is_refused_and_nothing_is_imported(
        saved: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    # a module in the working directory that would leave a trace if it were ever imported
    (tmp_path / "evil_module.py").write_text(f"open({str(tmp_path / 'imported')!r}, 'w').write('x')\nclass Evil: pass\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    before = set(sys.modules)
    crafted = _edit_info(saved, tmp_path / "crafted.discourse", lambda h: h.update({"class": name}))
    with pytest.raises(ModelFileError, match="is not a saveable discourse class"):
        load_model(crafted)
    assert not (tmp_path / "imported").exists()
    assert set(sys.modules) - before == set()


def test_a_matrix_file_is_not_a_model(dtm: DocumentTermMatrix, tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="holds a DocumentTermMatrix, not a TopicModel"):
        load_model(dtm.save(tmp_path / "d"))


def test_unknown_parameters_are_refused(saved: Path, tmp_path: Path) -> None:
    crafted = _edit_info(saved, tmp_path / "c", lambda h: h["params"].update({"cache_dir": "/", "url": "http://x"}))
    with pytest.raises(ModelFileError, match=r"NMF has no parameter\(s\) \['cache_dir', 'url'\]"):
        load_model(crafted)


def test_n_topics_that_contradicts_the_arrays_is_refused(saved: Path, tmp_path: Path) -> None:
    crafted = _edit_info(saved, tmp_path / "c", lambda h: h["params"].update({"n_topics": 7}))
    with pytest.raises(ModelFileError, match="n_topics=7 but the arrays hold 3 topics"):
        load_model(crafted)


def test_other_format_version_is_refused(saved: Path, tmp_path: Path) -> None:
    crafted = _edit_info(saved, tmp_path / "c", lambda h: h.update({"format_version": 99}))
    with pytest.raises(ModelFileError, match="format version 99"):
        load_model(crafted)


# ------------------------------------------------------------------------- arrays that do not fit
@pytest.mark.parametrize("member, array, message", [
    ("arrays/topic_terms_.npy", np.ones((3, 5)) / 5, r"topic_terms_' has shape \(3, 5\)"),
    ("arrays/doc_topics_.npy", np.ones((2, 3)) / 3, r"doc_topics_' has shape \(2, 3\)"),
    ("arrays/idf_.npy", np.ones(4), r"idf_' has shape \(4,\)"),
    ("arrays/doc_topics_.npy", np.full((8, 3), np.nan), "NaN or infinite"),
    ("arrays/components_.npy", np.full((3, 1), np.inf), "NaN or infinite"),
    ("arrays/doc_topics_.npy", np.ones((8, 3)), "probabilities summing to 1"),
    ("arrays/doc_topics_.npy", np.ones((8, 3), dtype=np.int64), "has dtype int64, expected kind 'f'"),
])
def test_arrays_of_wrong_shape_value_or_dtype_are_refused(saved: Path, tmp_path: Path, member: str,
                                                         array: np.ndarray, message: str) -> None:
    members = _members(saved)
    if member == "arrays/components_.npy":
        array = np.full((3, len(json.loads(members["info.json"])["info"]["vocabulary"])), np.inf)
    members[member] = _npy(array)
    with pytest.raises(ModelFileError, match=message):
        load_model(_write(tmp_path / "c", members))


def test_object_array_is_refused_before_any_unpickling(saved: Path, tmp_path: Path) -> None:
    members = _members(saved)
    members["arrays/doc_topics_.npy"] = _npy(np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
    with pytest.raises(ModelFileError, match="has dtype object: only bool, int and float"):
        load_model(_write(tmp_path / "c", members))


def test_array_whose_header_lies_about_its_size(saved: Path, tmp_path: Path) -> None:
    members = _members(saved)
    members["arrays/doc_topics_.npy"] = _npy(np.ones((8, 3)) / 3)[:-16]
    with pytest.raises(ModelFileError, match="declares shape"):
        load_model(_write(tmp_path / "c", members))


def test_extra_or_unknown_members_are_refused(saved: Path, tmp_path: Path) -> None:
    members = _members(saved)
    with pytest.raises(ModelFileError, match="unexpected member"):
        load_model(_write(tmp_path / "a", {**members, "../../etc/passwd": b"x"}))
    with pytest.raises(ModelFileError, match="unexpected member"):
        load_model(_write(tmp_path / "b", {**members, "payload.pkl": b"x"}))
    with pytest.raises(ModelFileError, match=r"unknown array\(s\) \['backdoor'\]"):
        load_model(_write(tmp_path / "c", {**members, "arrays/backdoor.npy": _npy(np.zeros(2))}))


def test_tokens_with_codes_outside_the_vocabulary(tokens: Tokens, tmp_path: Path) -> None:
    members = _members(tokens.save(tmp_path / "t"))
    codes = np.load(io.BytesIO(members["arrays/codes_lemma.npy"]))
    codes[0] = 10**6
    members["arrays/codes_lemma.npy"] = _npy(codes)
    with pytest.raises(ModelFileError, match="codes of 'lemma' must lie in"):
        Tokens.load(_write(tmp_path / "c", members))


def test_matrix_with_broken_sparse_structure(dtm: DocumentTermMatrix, tmp_path: Path) -> None:
    members = _members(dtm.save(tmp_path / "d"))
    indices = np.load(io.BytesIO(members["arrays/indices.npy"]))
    indices[3] = dtm.shape[1] + 5
    members["arrays/indices.npy"] = _npy(indices)
    with pytest.raises(ModelFileError, match=r"'indices' must lie in \[0, "):
        DocumentTermMatrix.load(_write(tmp_path / "c", members))


def test_metadata_table_of_the_wrong_length(saved: Path, tmp_path: Path) -> None:
    members = _members(saved)
    buf = io.BytesIO()
    pd.DataFrame({"doc_id": ["a"]}).to_parquet(buf, index=False)
    members["tables/metadata.parquet"] = buf.getvalue()
    with pytest.raises(ModelFileError, match="metadata table must have one row for each of the 8 documents"):
        load_model(_write(tmp_path / "c", members))


# ------------------------------------------------------------------------- damaged files
def test_truncated_file(saved: Path, tmp_path: Path) -> None:
    data = saved.read_bytes()
    for cut in (0, 10, len(data) // 2, len(data) - 1):
        (tmp_path / "t").write_bytes(data[:cut])
        with pytest.raises(ModelFileError, match="truncated or corrupted|not a discourse file"):
            load_model(tmp_path / "t")


def test_every_flipped_byte_is_refused_or_harmless(nmf: NMF, saved: Path, tmp_path: Path) -> None:
    """A flipped byte is caught (CRC-32, deflate, JSON, checks) or lands where it changes nothing."""
    data = bytearray(saved.read_bytes())
    refused = harmless = 0
    for pos in range(0, len(data), max(1, len(data) // 400)):
        flipped = bytearray(data)
        flipped[pos] ^= 0x20
        (tmp_path / "f").write_bytes(bytes(flipped))
        try:
            back = load_model(tmp_path / "f")
        except ModelFileError:
            refused += 1
            continue
        # loaded: then it must be exactly the model that was saved
        assert np.array_equal(back.topic_terms_, nmf.topic_terms_) and back.vocabulary_ == nmf.vocabulary_
        assert back.get_params() == nmf.get_params()
        harmless += 1
    assert refused > 300  # nearly every byte of the file is covered by a check


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="cannot read"):
        load_model(tmp_path / "absent.discourse")
    with pytest.raises(ModelFileError, match="cannot read|not a discourse file"):
        load_model(tmp_path)


def test_old_npz_format_is_named(tmp_path: Path) -> None:
    np.savez(tmp_path / "old.npz", info=np.zeros(3, np.uint8), array_doc_topics_=np.zeros((2, 2)))
    with pytest.raises(ModelFileError, match="older .npz format"):
        load_model(tmp_path / "old.npz")


# ------------------------------------------------------------------------- zip bombs
def _raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip written by hand from (name, deflate stream, CRC-32, declared size), so sizes can lie."""
    body, central = b"", b""
    for name, deflated, crc, declared in members:
        name_b = name.encode()
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(deflated), declared,
                               len(name_b), 0, 0, 0, 0, 0, len(body)) + name_b
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(deflated), declared,
                            len(name_b), 0) + name_b + deflated
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(body), 0)
    return body + central + end


def _genuine(data: bytes, name: str) -> tuple[str, bytes, int, int]:
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    return name, comp.compress(data) + comp.flush(), zlib.crc32(data), len(data)


def _deflated_zeros(mebibytes: int) -> bytes:
    """A raw deflate stream of ``mebibytes`` MiB of zeros, built without compressing them all."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = bytes(1 << 20)
    block = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)
    again = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)
    assert block == again  # a full flush resets the window: the block repeats byte for byte
    return block * mebibytes + comp.flush()


def test_zip_bomb_with_honest_size_is_refused_without_decompressing(saved: Path, tmp_path: Path) -> None:
    deflated = _deflated_zeros(3 * 1024)  # 3 GiB of zeros
    path = tmp_path / "bomb.discourse"
    info = _members(saved)["info.json"]
    path.write_bytes(_raw_zip([_genuine(info, "info.json"), ("arrays/doc_topics_.npy", deflated, 0, 3 * 1024**3)]))
    assert path.stat().st_size < 4 * 1024**2
    tracemalloc.start()
    try:
        with pytest.raises(ModelFileError, match=r"members would expand to 3,22\d,\d{3},\d{3} bytes, over the limit"):
            load_model(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024**2


def test_zip_bomb_that_lies_about_its_size_never_expands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # info.json declared as 100 bytes but holding 3 GiB: reading stops at the declared size
    deflated = _deflated_zeros(3 * 1024)
    path = tmp_path / "liar.discourse"
    path.write_bytes(_raw_zip([("info.json", deflated, 0, 100)]))
    tracemalloc.start()
    try:
        with pytest.raises(ModelFileError, match="truncated or corrupted|not valid JSON"):
            load_model(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024**2


def test_member_over_the_expansion_limit(saved: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    members = _members(saved)
    members["arrays/doc_weights_.npy"] = _npy(np.zeros((8 * 100_000, 3)))  # 19 MB of zeros, compresses ~1000×
    path = _write(tmp_path / "big", members)
    monkeypatch.setattr(storage, "SIZE_ALLOWANCE", 0)
    with pytest.raises(ModelFileError, match="over the limit"):
        load_model(path)


def test_parquet_bomb_is_refused(saved: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    members = _members(saved)
    buf = io.BytesIO()
    pd.DataFrame({"doc_id": np.zeros(2_000_000, dtype=np.int8)}).to_parquet(buf, index=False)
    members["tables/metadata.parquet"] = buf.getvalue()
    path = _write(tmp_path / "pq", members)
    monkeypatch.setattr(storage, "SIZE_ALLOWANCE", 0)
    with pytest.raises(ModelFileError, match="table 'metadata' declares 2,000,000 rows"):
        load_model(path)


def test_metadata_that_cannot_be_stored_is_a_sentence_and_leaves_no_file(nmf: NMF, tmp_path: Path) -> None:
    import copy

    mixed = copy.copy(nmf)
    mixed.metadata_ = nmf.metadata_.assign(legislature=[14, "14e", 14, 15, 15, 14, 14, 15])
    with pytest.raises(ValueError, match="table 'metadata' cannot be stored: a column mixes types"):
        mixed.save(tmp_path / "m.discourse")
    assert list(tmp_path.iterdir()) == []
