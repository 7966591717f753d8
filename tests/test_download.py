"""download=True against a local HTTP server on 127.0.0.1 standing in for the public origin."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from discourse import corpora
from discourse.cli import main
from discourse.corpora import ChecksumError, CorpusNotFoundError, DownloadError, NoPublicSourceError


class _Server:
    """What the test server does: serve files under ``root``; ``ranges`` honours Range requests;
    ``cut`` maps a file name to a byte count after which the next response is cut (once)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.ranges = True
        self.cut: dict[str, int] = {}
        self.requests: list[tuple[str, str | None]] = []


def _handler(state: _Server) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # keep the test output clean
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            rel = urllib.parse.unquote(self.path.lstrip("/"))
            path = state.root / rel
            state.requests.append((rel, self.headers.get("Range")))
            if not path.is_file():
                self.send_error(404)
                return
            data = path.read_bytes()
            start = 0
            if state.ranges and self.headers.get("Range"):
                start = int(self.headers["Range"].removeprefix("bytes=").split("-")[0])
                if start >= len(data):
                    self.send_error(416)
                    return
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            else:
                self.send_response(200)
            body = data[start:]
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            cut = state.cut.pop(path.name, None)
            # an interrupted transfer: part of the body, then the connection drops
            self.wfile.write(body if cut is None else body[:cut])
            if cut is not None:
                self.wfile.flush()
                self.close_connection = True

    return Handler


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[tuple[str, _Server]]:
    """An HTTP server on 127.0.0.1 serving ``tmp_path/mirror``; yields (base URL, its state)."""
    state = _Server(tmp_path / "mirror")
    state.root.mkdir()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture()
def mirror(server: tuple[str, _Server]) -> tuple[str, Path]:
    url, state = server
    return url, state.root


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


def test_corpora_without_public_source_say_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISCOURSE_MIRROR", raising=False)
    with pytest.raises(NoPublicSourceError, match="no public download address") as err:
        corpora.download("legi-codes", data_home=tmp_path, progress=False)
    assert "etalab/codes-juridiques-francais" in str(err.value) and "DISCOURSE_MIRROR" in str(err.value)
    with pytest.raises(NoPublicSourceError, match="may not redistribute") as err:
        corpora.download("seed", data_home=tmp_path, progress=False)
    assert "corpora.load('sample')" in str(err.value)
    assert not (tmp_path / "seed").exists()
    # the error of load() says the same, not "download=True"
    with pytest.raises(CorpusNotFoundError, match="no public download address"):
        corpora.load("literary-fr-scale", data_home=tmp_path)
    assert corpora.sources().set_index("corpus")["source"].to_dict() == {
        "seed": "none", "europarl-fr-2000": "public", "an-debats-2013-2018": "public",
        "an-mariage-pour-tous-2013": "public", "legi-codes": "none", "literary-fr-scale": "none",
        "ud-french-gsd": "public", "sample": "bundled"}


def _serve(data_home: Path, state: _Server, name: str, files: list[str]) -> None:
    for f in files:
        (state.root / name / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(data_home / name / f, state.root / name / f)


def test_interrupted_download_keeps_the_part_and_resumes_with_a_range(
        data_home: Path, server: tuple[str, _Server], tmp_path: Path) -> None:
    url, state = server
    _serve(data_home, state, "ud-french-gsd", ["LICENSE.txt", "fr_gsd-ud-dev.conllu", "fr_gsd-ud-test.conllu"])
    state.cut["fr_gsd-ud-dev.conllu"] = 1_000_000
    home = tmp_path / "home"
    with pytest.raises(DownloadError, match=r"interrupted after 1,000,000 of 2,316,421 bytes.*run the same download again"):
        corpora.download("ud-french-gsd", data_home=home, mirror=url, progress=False)
    folder = home / "ud-french-gsd"
    part = folder / "fr_gsd-ud-dev.conllu.part"
    assert part.stat().st_size == 1_000_000
    assert not (folder / "fr_gsd-ud-dev.conllu").exists()  # never a half file under the real name
    state.requests.clear()
    corpora.download("ud-french-gsd", data_home=home, mirror=url, progress=False)
    assert ("ud-french-gsd/fr_gsd-ud-dev.conllu", "bytes=1000000-") in state.requests
    assert not part.exists()
    assert (corpora.verify("ud-french-gsd", data_home=home).status == "ok").all()


def test_resume_without_range_support_starts_again(data_home: Path, server: tuple[str, _Server], tmp_path: Path) -> None:
    url, state = server
    _serve(data_home, state, "ud-french-gsd", ["LICENSE.txt", "fr_gsd-ud-dev.conllu", "fr_gsd-ud-test.conllu"])
    state.ranges = False
    state.cut["fr_gsd-ud-test.conllu"] = 300_000
    home = tmp_path / "home"
    with pytest.raises(DownloadError, match="interrupted"):
        corpora.download("ud-french-gsd", data_home=home, mirror=url, progress=False)
    corpora.download("ud-french-gsd", data_home=home, mirror=url, progress=False)
    assert (corpora.verify("ud-french-gsd", data_home=home).status == "ok").all()
    assert sorted(p.name for p in (home / "ud-french-gsd").iterdir()) == [
        "LICENSE.txt", "fr_gsd-ud-dev.conllu", "fr_gsd-ud-test.conllu"]


def test_a_corrupt_part_is_discarded_and_fetched_again(data_home: Path, server: tuple[str, _Server], tmp_path: Path) -> None:
    url, state = server
    _serve(data_home, state, "seed", ["ue-onu-contre-terrorisme.txt"])
    folder = tmp_path / "home" / "seed"
    folder.mkdir(parents=True)
    (folder / "ue-onu-contre-terrorisme.txt.part").write_bytes(b"not the start of the article")
    corpora.download("seed", data_home=tmp_path / "home", mirror=url, progress=False)
    assert [r for _, r in state.requests] == ["bytes=28-", None]  # resumed, failed the checksum, fetched whole
    assert (corpora.verify("seed", data_home=tmp_path / "home").status == "ok").all()
    assert sorted(p.name for p in folder.iterdir()) == ["ue-onu-contre-terrorisme.txt"]


def test_cli_download(data_home: Path, server: tuple[str, _Server], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      capsys: pytest.CaptureFixture[str]) -> None:
    url, state = server
    _serve(data_home, state, "europarl-fr-2000", [f"raw/ep-00-01-{d}.txt" for d in ("17", "18", "19", "21")])
    monkeypatch.setenv("DISCOURSE_MIRROR", url)
    home = tmp_path / "home"
    assert main(["download", "europarl-fr-2000", "--data-home", str(home), "--quiet"]) == 0
    assert "europarl-fr-2000: " in capsys.readouterr().out
    assert len(corpora.load("europarl-fr-2000", data_home=home)) == 451
    monkeypatch.delenv("DISCOURSE_MIRROR")
    assert main(["download", "legi-codes", "--data-home", str(home)]) == 1
    assert "no public download address" in capsys.readouterr().err
    assert main(["download"]) == 0
    out = capsys.readouterr().out
    assert "sample" in out and "bundled" in out and "legi-codes: articles.jsonl.gz is a conversion" in out
