"""download=True against a local HTTP server on 127.0.0.1 standing in for the public origin."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from discourse import corpora
from discourse.corpora import ChecksumError, CorpusNotFoundError, DownloadError


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # keep the test output clean
        pass


@pytest.fixture()
def mirror(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Serve ``tmp_path/mirror`` over HTTP; yields (base URL, served folder)."""
    root = tmp_path / "mirror"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _publish(data_home: Path, served: Path, name: str) -> None:
    shutil.copytree(data_home / name, served / name, ignore=shutil.ignore_patterns("README.md"))


def test_load_with_download_fetches_and_verifies(data_home: Path, mirror: tuple[str, Path], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    url, served = mirror
    _publish(data_home, served, "ud-french-gsd")
    monkeypatch.setenv("DISCOURSE_MIRROR", url)
    home = tmp_path / "home"
    with pytest.raises(CorpusNotFoundError):
        corpora.load("ud-french-gsd", data_home=home)
    corpus = corpora.load("ud-french-gsd", data_home=home, download=True, split="test")
    assert len(corpus) == 416
    assert sorted(p.name for p in (home / "ud-french-gsd").iterdir()) == [
        "LICENSE.txt", "fr_gsd-ud-dev.conllu", "fr_gsd-ud-test.conllu"]
    assert (corpora.verify("ud-french-gsd", data_home=home).status == "ok").all()
    # nothing left to fetch: a second call does not touch the network
    shutil.rmtree(served / "ud-french-gsd")
    assert corpora.download("ud-french-gsd", data_home=home, progress=False) == home / "ud-french-gsd"


def test_download_fetches_only_missing_files_of_a_nested_layout(data_home: Path, mirror: tuple[str, Path],
                                                                tmp_path: Path) -> None:
    url, served = mirror
    _publish(data_home, served, "an-mariage-pour-tous-2013")
    home = tmp_path / "home"
    (home / "an-mariage-pour-tous-2013" / "xml").mkdir(parents=True)
    for f in ("metadata.csv", "deputes_id.json"):
        shutil.copy(data_home / "an-mariage-pour-tous-2013" / f, home / "an-mariage-pour-tous-2013" / f)
    folder = corpora.download("an-mariage-pour-tous-2013", data_home=home, mirror=url, progress=False)
    assert len(list((folder / "xml").glob("*.xml"))) == 25
    assert (corpora.verify("an-mariage-pour-tous-2013", data_home=home).status == "ok").all()


def test_bad_checksum_raises_and_leaves_nothing(data_home: Path, mirror: tuple[str, Path], tmp_path: Path) -> None:
    url, served = mirror
    (served / "seed").mkdir()
    original = (data_home / "seed" / "ue-onu-contre-terrorisme.txt").read_text(encoding="utf-8")
    (served / "seed" / "ue-onu-contre-terrorisme.txt").write_text(original.replace("ONU", "OTAN"), encoding="utf-8")
    home = tmp_path / "home"
    with pytest.raises(ChecksumError, match="checksum mismatch"):
        corpora.download("seed", data_home=home, mirror=url, progress=False)
    folder = home / "seed"
    assert list(folder.iterdir()) == []  # no file, no half-written .part
    with pytest.raises(CorpusNotFoundError):
        corpora.load("seed", data_home=home)


def test_missing_file_on_the_server(mirror: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = mirror
    with pytest.raises(DownloadError, match="404"):
        corpora.download("europarl-fr-2000", data_home=tmp_path / "home", mirror=url, progress=False)


def test_converted_corpus_without_origin_needs_a_mirror(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISCOURSE_MIRROR", raising=False)
    with pytest.raises(DownloadError, match="no direct download address"):
        corpora.download("legi-codes", data_home=tmp_path, progress=False)
