"""The preprocessing cache is never wrong: stale keys, poisoned entries, killed writers, racing readers.

The entries hold real preprocessed text (sittings of the Assemblée nationale); the processes
are real (multiprocessing), killed with SIGKILL where the case needs it.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import shutil
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest

from discourse import cache as cache_module
from discourse import storage
from discourse.cache import CacheWarning, PreprocessCache, canonical_json
from discourse.corpus import Corpus
from discourse.preprocess import Preprocessor
from discourse.tokens import Tokens

CTX = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context("spawn")


@pytest.fixture(scope="module")
def sittings(an_debats: Corpus) -> Corpus:
    return an_debats.select(an_debats.ids[:4])


def _key(sittings: Corpus, **settings) -> str:
    return PreprocessCache.key(ids=sittings.ids, texts=sittings.texts, metadata=sittings.metadata,
                               settings=settings or {"backend": "fast"})


def _only_entry(folder: Path) -> Path:
    entries = list(folder.glob("tokens-*.discourse"))
    assert len(entries) == 1, entries
    return entries[0]


# ------------------------------------------------------------------------- the key
def test_key_changes_with_metadata_ids_texts_settings_and_versions(sittings: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    base = _key(sittings)
    regrouped = sittings.assign(groupe=["A", "B", "A", "B"])
    assert _key(regrouped) != base
    other_dates = sittings.metadata.copy()
    assert PreprocessCache.key(ids=sittings.ids, texts=sittings.texts, metadata=other_dates.iloc[::-1].reset_index(drop=True),
                               settings={"backend": "fast"}) != base
    ids = list(sittings.ids)
    ids[0] = ids[0] + "-bis"
    assert PreprocessCache.key(ids=ids, texts=sittings.texts, metadata=sittings.metadata, settings={"backend": "fast"}) != base
    texts = list(sittings.texts)
    texts[-1] = texts[-1][:-1]
    assert PreprocessCache.key(ids=sittings.ids, texts=texts, metadata=sittings.metadata, settings={"backend": "fast"}) != base
    assert _key(sittings, backend="accurate") != base
    # the order of a categorical column's categories orders the tables made from it
    ab = sittings.assign(groupe=pd.Categorical(["A", "B", "A", "B"], categories=["A", "B"]))
    ba = sittings.assign(groupe=pd.Categorical(["A", "B", "A", "B"], categories=["B", "A"]))
    assert _key(ab) != _key(ba)
    monkeypatch.setattr(cache_module, "resource_versions", lambda model=None: {"simplemma": "0.0"})
    assert _key(sittings) != base
    monkeypatch.undo()
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "other code")
    assert _key(sittings) != base


def test_key_does_not_depend_on_text_boundaries() -> None:
    a = PreprocessCache.key(ids=["x", "y"], texts=["ab", "c"], metadata=None, settings={})
    b = PreprocessCache.key(ids=["x", "y"], texts=["a", "bc"], metadata=None, settings={})
    assert a != b


def test_set_of_stop_words_gives_one_key_in_every_process() -> None:
    """String hashing is randomised per process: a set's order is not, once canonical."""
    code = ("from discourse.cache import PreprocessCache as C; "
            "print(C.key(ids=['a'], texts=['la paix'], metadata=None, "
            "settings={'stop_words': {'le', 'la', 'les', 'de', 'du', 'des', 'un', 'une'}}))")
    keys = set()
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        keys.add(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout)
    assert len(keys) == 1
    assert canonical_json({"s": {"b", "a"}, "t": ("x",)}) == '{"s":["a","b"],"t":["x"]}'


def test_preprocessor_key_is_stable_for_a_set_of_stop_words(sittings: Corpus) -> None:
    a = Preprocessor(stop_words={"monsieur", "madame", "président", "le", "la"}).cache_key(sittings.ids, sittings.texts)
    b = Preprocessor(stop_words=["la", "le", "président", "madame", "monsieur"][::-1]).cache_key(sittings.ids, sittings.texts)
    c = Preprocessor(stop_words={"monsieur", "madame", "président", "le"}).cache_key(sittings.ids, sittings.texts)
    assert a != c
    assert a == Preprocessor(stop_words={"la", "le", "madame", "monsieur", "président"}).cache_key(sittings.ids, sittings.texts)
    assert b  # a list is an ordered setting: it may key differently from the set, never wrongly


# ------------------------------------------------------------------------- metadata change reaches the result
def test_changed_metadata_is_never_served_from_the_cache(sittings: Corpus, tmp_path: Path) -> None:
    pre = Preprocessor(cache_dir=tmp_path, progress=False)
    first = pre.transform(sittings.assign(groupe=["A", "A", "B", "B"]))
    assert first.metadata["groupe"].tolist() == ["A", "A", "B", "B"]
    again = pre.transform(sittings.assign(groupe=["A", "A", "B", "B"]))
    assert again.audit["stage"].iloc[-1] == "cache hit"
    changed = pre.transform(sittings.assign(groupe=["A", "B", "B", "B"]))
    assert changed.audit["stage"].iloc[-1] != "cache hit"
    assert changed.metadata["groupe"].tolist() == ["A", "B", "B", "B"]
    assert changed.to_lists() == first.to_lists()


# ------------------------------------------------------------------------- poisoned entries
@pytest.mark.parametrize("damage", ["flip", "empty", "truncate", "garbage", "other_key", "other_ids"])
def test_a_bad_entry_is_deleted_recomputed_and_never_served(sittings: Corpus, tokens: Tokens, tmp_path: Path, damage: str) -> None:
    pre = Preprocessor(cache_dir=tmp_path, progress=False)
    key = pre.cache_key(sittings.ids, sittings.texts, sittings.metadata)
    cache = PreprocessCache(tmp_path)
    entry = cache.put(key, tokens)
    data = bytearray(entry.read_bytes())
    if damage == "flip":
        data[len(data) // 3] ^= 0x01
        entry.write_bytes(bytes(data))
    elif damage == "empty":  # a failed save of an older version left 0 bytes
        entry.write_bytes(b"")
    elif damage == "truncate":
        entry.write_bytes(bytes(data[: len(data) // 2]))
    elif damage == "garbage":
        entry.write_bytes(os.urandom(len(data)))
    elif damage == "other_key":
        # a genuine entry of another corpus, renamed with a checksum that matches its bytes
        # (same documents, other settings: only the key stored inside tells them apart)
        other = cache.put("0" * 64, tokens.filter(min_length=6))
        entry.unlink()
        shutil.copy(other, entry.with_name(entry.name.replace(entry.name.split("-")[-1], other.name.split("-")[-1])))
        other.unlink()
    elif damage == "other_ids":
        fake = tokens._replace(doc_ids=[f"x{i}" for i in range(len(tokens))])
        entry.unlink()
        cache.put(key, fake)
    with pytest.warns(CacheWarning, match="refused and deleted"):
        result = pre.transform(sittings)
    assert result.audit["stage"].iloc[-1] != "cache hit"
    assert result.to_lists() == tokens.to_lists() and result.doc_ids == list(sittings.ids)
    # the recomputed result replaced the bad entry: the next run is a clean hit
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        hit = pre.transform(sittings)
    assert hit.audit["stage"].iloc[-1] == "cache hit" and hit.to_lists() == tokens.to_lists()


def test_unwritable_cache_is_a_warning_not_an_error(sittings: Corpus, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.warns(CacheWarning, match="could not be written"):
        result = Preprocessor(cache_dir=blocker / "cache", progress=False).transform(sittings.select(sittings.ids[:1]))
    assert len(result) == 1


def test_entry_contents_round_trip_exactly(tokens: Tokens, tmp_path: Path) -> None:
    cache = PreprocessCache(tmp_path)
    path = cache.put("k" * 64, tokens)
    # the same object always gives the same bytes: two writers publish one name
    assert cache.put("k" * 64, tokens) == path and len(list(tmp_path.iterdir())) == 1
    back = cache.get("k" * 64, tokens.doc_ids)
    assert back.to_lists() == tokens.to_lists() and back.config == tokens.config
    pd.testing.assert_frame_equal(back.metadata, tokens.metadata)


# ------------------------------------------------------------------------- processes
def _slow_writer(folder: str, key: str, tokens: Tokens) -> None:
    """Writes an entry but stalls after its first member, to be killed mid-write."""
    original = storage._write

    def stalling(zf, name, data):
        original(zf, name, data)
        if name != "info.json":
            return
        zf.fp.flush()
        time.sleep(120)

    storage._write = stalling
    PreprocessCache(folder).put(key, tokens)


def test_killed_writer_leaves_nothing_that_is_read(tokens: Tokens, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = "a" * 64
    proc = CTX.Process(target=_slow_writer, args=(str(tmp_path), key, tokens))
    proc.start()
    try:
        deadline = time.monotonic() + 120
        while not any(p.stat().st_size > 0 for p in tmp_path.glob(".*")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert any(tmp_path.glob(".*")), "the writer never started"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.join()
    assert proc.exitcode == -signal.SIGKILL
    cache = PreprocessCache(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        assert cache.get(key, tokens.doc_ids) is None  # a plain miss: the partial file is never opened
    assert list(tmp_path.glob("tokens-*")) == []
    path = cache.put(key, tokens)
    assert cache.get(key, tokens.doc_ids).to_lists() == tokens.to_lists()
    # leftovers of killed writers are removed once stale
    monkeypatch.setattr(cache_module, "STALE_SECONDS", -1)
    cache.put(key, tokens)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def _writer_loop(folder: str, key: str, tokens: Tokens, rounds: int) -> None:
    cache = PreprocessCache(folder)
    for _ in range(rounds):
        cache.put(key, tokens)
        for entry in Path(folder).glob("tokens-*.discourse"):
            entry.unlink(missing_ok=True)  # make the reader race an entry that comes and goes


def _reader_loop(folder: str, key: str, ids: list[str], expected: list[list[str]], rounds: int, queue) -> None:
    cache = PreprocessCache(folder)
    hits = misses = 0
    problems = []
    for _ in range(rounds):
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                got = cache.get(key, ids)
            if caught:
                problems.append(f"warning: {caught[0].message}")
        except Exception as err:  # anything raised is a failure of the cache
            problems.append(f"{type(err).__name__}: {err}")
            continue
        if got is None:
            misses += 1
        elif got.to_lists() != expected:
            problems.append("wrong content served")
        else:
            hits += 1
    queue.put((hits, misses, problems))


def test_entry_deleted_between_listing_and_reading_is_a_plain_miss(tokens: Tokens, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    cache = PreprocessCache(tmp_path)
    path = cache.put("c" * 64, tokens)
    listed = cache._entries("c" * 64)
    path.unlink()  # another process removed it after this one listed the folder
    monkeypatch.setattr(cache, "_entries", lambda key: listed)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        assert cache.get("c" * 64, tokens.doc_ids) is None


def test_racing_readers_and_writers(tokens: Tokens, tmp_path: Path) -> None:
    key = "b" * 64
    small = tokens.select_documents([0])
    queue = CTX.Queue()
    writers = [CTX.Process(target=_writer_loop, args=(str(tmp_path), key, small, 40)) for _ in range(2)]
    reader = CTX.Process(target=_reader_loop, args=(str(tmp_path), key, small.doc_ids, small.to_lists(), 150, queue))
    for p in (*writers, reader):
        p.start()
    hits, misses, problems = queue.get(timeout=300)
    for p in (*writers, reader):
        p.join(timeout=300)
    assert problems == []
    assert hits + misses == 150
