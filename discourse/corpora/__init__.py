"""The public French corpora: where each comes from, and one loader per corpus.

Each corpus lives in its own folder under a *data home*: the ``data_home=`` argument, else
the ``DISCOURSE_DATA`` environment variable, else ``~/discourse_data``. The folder holds the
files in the form their public source publishes them; the loaders here parse that form into
a :class:`~discourse.corpus.Corpus`. The registry pins, for every file, the public address it
comes from and its SHA-256 checksum, so a missing corpus can be fetched with
``download=True`` and verified.

Example
-------
>>> from discourse import corpora
>>> corpora.names()[:3]
['seed', 'europarl-fr-2000', 'an-debats-2013-2018']
>>> seed = corpora.load("seed")                        # doctest: +SKIP
>>> seed.metadata.loc[0, "title"]                      # doctest: +SKIP
'L’UE et l’ONU veulent renforcer leur partenariat en matière de lutte contre le terrorisme'
"""

from __future__ import annotations

import difflib
import hashlib
import http.client
import importlib
import json
import os
import urllib.error
import urllib.parse
import urllib.request
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from discourse.corpus import Corpus

__all__ = [
    "CorpusInfo",
    "CorpusNotFoundError",
    "ChecksumError",
    "DownloadError",
    "NoPublicSourceError",
    "embedded_path",
    "sources",
    "load",
    "names",
    "info",
    "data_home",
    "download",
    "verify",
    "summary_table",
]

DATA_ENV = "DISCOURSE_DATA"
# Only for tests and mirrors: a base URL that replaces every recorded origin
# (files are then fetched from <mirror>/<corpus name>/<relative path>).
MIRROR_ENV = "DISCOURSE_MIRROR"
DEFAULT_HOME = Path("~") / "discourse_data"


class CorpusNotFoundError(FileNotFoundError):
    """A corpus is not in the data folder; the message says where it was looked for and where it comes from."""


class DownloadError(OSError):
    """A corpus file could not be fetched from its origin."""


class ChecksumError(DownloadError):
    """A fetched or local file does not match the checksum recorded in the registry."""


class NoPublicSourceError(DownloadError):
    """A corpus has no public download address; the message says how to obtain it instead."""


@dataclass(frozen=True)
class CorpusInfo:
    """What the registry knows about one corpus.

    ``base_url`` is the pinned public address the files are fetched from (file ``f`` of the
    corpus is at ``base_url + remote_paths.get(f, f)``); it is None where the published files
    are not the files we read (a documented conversion, or a document with no public address).
    """

    name: str
    title: str
    origin: str
    licence: str
    citation: str
    module: str
    base_url: str | None = None
    remote_paths: dict[str, str] = field(default_factory=dict, repr=False)
    required: tuple[str, ...] = ()
    units: str = ""
    # a file under discourse/corpora/data/ when the corpus ships inside the package
    embedded: str | None = None
    # what to do instead, for a corpus whose files have no public download address
    how_to_get: str = ""

    @property
    def source(self) -> str:
        """``"bundled"``, ``"public"`` (download() fetches it) or ``"none"`` (no public address)."""
        if self.embedded:
            return "bundled"
        return "public" if self.base_url else "none"

    @property
    def files(self) -> dict[str, dict[str, Any]]:
        """Relative path -> {"sha256", "size"} for every file of the corpus (none for a bundled one)."""
        return _checksums().get(self.name, {})

    def url(self, relative_path: str, mirror: str | None = None) -> str | None:
        """The address one file is fetched from (a mirror replaces the recorded origin)."""
        if mirror:
            return f"{mirror.rstrip('/')}/{self.name}/{urllib.parse.quote(relative_path)}"
        if self.base_url is None:
            return None
        return self.base_url + urllib.parse.quote(self.remote_paths.get(relative_path, relative_path))

    def __str__(self) -> str:
        rows = self.as_dict()
        rows["base_url"] = rows["base_url"] or "none (see origin)"
        return "\n".join(f"{key}: {value}" for key, value in rows.items())

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "origin": self.origin,
            "licence": self.licence,
            "citation": self.citation,
            "base_url": self.base_url,
            "units": self.units,
            "source": self.source,
            "files": len(self.files),
        }


_CV = "https://raw.githubusercontent.com/common-voice/commonvoice-fr/4b9437a5/CommonVoice-Data/data/"
_MPT = "https://raw.githubusercontent.com/nlegrand/mariagepourtousInXML/de11b6b3/"

_REGISTRY: dict[str, CorpusInfo] = {
    info.name: info
    for info in [
        CorpusInfo(
            name="seed",
            title="UE–ONU: partnership against terrorism (one news-wire article)",
            origin="a French news-wire article of 2018–2019, the example document the project was "
            "specified from; no public download address is recorded",
            licence="press article quoted for research; not redistributed by the project",
            citation="« L’UE et l’ONU veulent renforcer leur partenariat en matière de lutte contre le terrorisme », dépêche, 2018–2019.",
            module="seed",
            required=("ue-onu-contre-terrorisme.txt",),
            how_to_get="it is a press article the project may not redistribute. Place your own copy of the "
            "dispatch in <data home>/seed/ue-onu-contre-terrorisme.txt (its SHA-256 is recorded and checked). "
            "For a ready example with no download, use the bundled corpus: corpora.load('sample')",
            units="1 document",
        ),
        CorpusInfo(
            name="europarl-fr-2000",
            title="Europarl v7, French side, 17–21 January 2000",
            origin="Europarl v7 source release (txt/fr/ep-00-01-*.txt), vendored by the public GitHub "
            "repository mjlaali/europarl, path europarl.uima/resources/sample/fr/, commit a796a50d",
            licence="European Parliament verbatim reports; no known copyright restriction, reuse with acknowledgement",
            citation="Koehn, P. (2005). Europarl: A Parallel Corpus for Statistical Machine Translation. MT Summit X.",
            module="europarl_fr_2000",
            base_url="https://raw.githubusercontent.com/mjlaali/europarl/a796a50d/europarl.uima/resources/sample/fr/",
            remote_paths={f"raw/ep-00-01-{d}.txt": f"ep-00-01-{d}.txt" for d in ("17", "18", "19", "21")},
            required=("raw",),
            units="speeches",
        ),
        CorpusInfo(
            name="an-debats-2013-2018",
            title="Assemblée nationale public sittings, 2013–2018 (Common Voice sentence extraction)",
            origin="Assemblée nationale open-data verbatim reports, sentences of 3–14 words kept by the "
            "Common Voice French community: GitHub common-voice/commonvoice-fr, path "
            "CommonVoice-Data/data/debats-assemblee-nationale/, commit 4b9437a5",
            licence="CC0 (Common Voice extraction) of Licence Ouverte data (Assemblée nationale)",
            citation="Assemblée nationale, comptes rendus des séances publiques (2013–2018), via Common Voice FR (commonvoice-fr, commit 4b9437a5).",
            module="an_debats_2013_2018",
            base_url=_CV + "debats-assemblee-nationale/",
            # local txt/<file> is published as <file> in that folder
            remote_paths={},
            required=("txt",),
            units="sittings",
        ),
        CorpusInfo(
            name="an-mariage-pour-tous-2013",
            title="Assemblée nationale debate on marriage for same-sex couples (TEI XML, 2013)",
            origin="GitHub nlegrand/mariagepourtousInXML, commit de11b6b3 (files/xml/*.xml, "
            "files/xml/metadata.csv, deputes_id.json)",
            licence="official Assemblée nationale reports (no copyright on official documents); "
            "TEI encoding CC BY 3.0 FR, Nicolas Legrand",
            citation="Legrand, N. mariagepourtousInXML: the 2013 Assemblée nationale debate on « mariage pour tous » in TEI (GitHub, commit de11b6b3). CC BY 3.0 FR.",
            module="an_mariage_pour_tous_2013",
            base_url=_MPT,
            remote_paths={},
            required=("xml", "metadata.csv", "deputes_id.json"),
            units="speech turns",
        ),
        CorpusInfo(
            name="legi-codes",
            title="French legal codes in force (LEGI, snapshot 2020), one article a line",
            origin="Légifrance LEGI data as published by Etalab, GitHub etalab/codes-juridiques-francais, "
            "codes-en-vigueur/, commit 2afcea3f; converted from one Markdown file per article to "
            "articles.jsonl.gz (the converted file has no public address: use a mirror)",
            licence="official legislative texts (no copyright); LEGI data Licence Ouverte 2.0",
            citation="Etalab, codes-juridiques-francais (GitHub, commit 2afcea3f), from the DILA LEGI database. Licence Ouverte 2.0.",
            module="legi_codes",
            required=("articles.jsonl.gz",),
            how_to_get="articles.jsonl.gz is a conversion of the public Etalab repository "
            "etalab/codes-juridiques-francais (codes-en-vigueur/, commit 2afcea3f) and has no public address "
            "of its own. Copy it from a colleague's data folder into <data home>/legi-codes/, or serve it from "
            "a mirror (mirror= or DISCOURSE_MIRROR=<url>, fetched as <url>/legi-codes/articles.jsonl.gz); "
            "its SHA-256 is recorded and checked",
            units="articles",
        ),
        CorpusInfo(
            name="literary-fr-scale",
            title="Public-domain French prose and drama in chunks of 50 sentences",
            origin="Project Gutenberg, Wikisource and libretheatre.fr sentence lists released by Common Voice FR "
            "(GitHub common-voice/commonvoice-fr, CommonVoice-Data/data/{gutenberg,wikisource,libretheatre}/, "
            "commit 4b9437a5), grouped into chunks (the chunked file has no public address: use a mirror)",
            licence="public-domain works; sentence lists CC0",
            citation="Common Voice FR sentence collector, commonvoice-fr (GitHub, commit 4b9437a5).",
            module="literary_fr_scale",
            required=("chunks.jsonl.gz",),
            how_to_get="chunks.jsonl.gz groups the public Common Voice FR sentence lists into chunks and has "
            "no public address of its own. Copy it from a colleague's data folder into "
            "<data home>/literary-fr-scale/, or serve it from a mirror (mirror= or DISCOURSE_MIRROR=<url>); "
            "its SHA-256 is recorded and checked. It is used only by the scale benchmarks",
            units="chunks",
        ),
        CorpusInfo(
            name="ud-french-gsd",
            title="Universal Dependencies French-GSD, dev and test splits",
            origin="GitHub UniversalDependencies/UD_French-GSD, commit 830e2782",
            licence="CC BY-SA 4.0",
            citation="Guillaume, B., de Marneffe, M.-C., Perrier, G. (2019). Conversion et améliorations de corpus du français annotés en Universal Dependencies. TAL 60(2). UD_French-GSD, commit 830e2782.",
            module="ud_french_gsd",
            base_url="https://raw.githubusercontent.com/UniversalDependencies/UD_French-GSD/830e2782/",
            required=("fr_gsd-ud-dev.conllu", "fr_gsd-ud-test.conllu"),
            units="sentences",
        ),
        CorpusInfo(
            name="sample",
            title="Bundled sample: Assemblée nationale sittings 2013–2018, Europarl January 2000, "
            "« mariage pour tous » speech turns",
            origin="drawn by scripts/build_sample.py (fixed seed) from three public corpora: 12 sittings a "
            "year of an-debats-2013-2018, every speech of europarl-fr-2000, 200 « intervention » turns per "
            "group of an-mariage-pour-tous-2013; shipped inside the package (no download, no data folder)",
            licence="CC0 (Assemblée sittings, Common Voice extraction of Licence Ouverte data); European "
            "Parliament reports, reuse with acknowledgement; TEI encoding CC BY 3.0 FR (Nicolas Legrand)",
            citation="Sample of: Assemblée nationale, comptes rendus (2013–2018) via Common Voice FR; "
            "Koehn (2005) Europarl; Legrand, mariagepourtousInXML (CC BY 3.0 FR). Built by "
            "scripts/build_sample.py of discourse-fr.",
            module="sample",
            units="1,508 documents (72 sittings, 451 speeches, 985 speech turns)",
            embedded="sample.parquet",
        ),
    ]
}


def _mpt_remote(path: str) -> str:
    if path.startswith("xml/"):
        return "files/" + path
    if path == "metadata.csv":
        return "files/xml/metadata.csv"
    return path


def _debats_remote(path: str) -> str:
    return path.removeprefix("txt/")


@lru_cache(maxsize=1)
def _checksums() -> dict[str, dict[str, dict[str, Any]]]:
    return json.loads((Path(__file__).with_name("checksums.json")).read_text(encoding="utf-8"))


def _fill_remote_paths() -> None:
    # The remote layout differs from the local one for two corpora; spell it out per file.
    _REGISTRY["an-mariage-pour-tous-2013"].remote_paths.update(
        {f: _mpt_remote(f) for f in _checksums()["an-mariage-pour-tous-2013"]}
    )
    _REGISTRY["an-debats-2013-2018"].remote_paths.update(
        {f: _debats_remote(f) for f in _checksums()["an-debats-2013-2018"]}
    )


_fill_remote_paths()


# ---------------------------------------------------------------------- lookup
def names() -> list[str]:
    """The names of the known corpora (the folder names under the data home).

    >>> "europarl-fr-2000" in names()
    True
    """
    return list(_REGISTRY)


def _get(name: str) -> CorpusInfo:
    if name not in _REGISTRY:
        close = difflib.get_close_matches(str(name), names(), n=1, cutoff=0.5)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"unknown corpus {name!r}.{hint} Known corpora: {', '.join(names())}")
    return _REGISTRY[name]


def info(name: str) -> CorpusInfo:
    """Origin, licence, citation and files of one corpus.

    >>> info("ud-french-gsd").licence
    'CC BY-SA 4.0'
    """
    return _get(name)


def data_home(data_home: str | Path | None = None) -> Path:
    """The folder holding one sub-folder per corpus.

    The argument if given, else the ``DISCOURSE_DATA`` environment variable, else
    ``~/discourse_data``.

    >>> data_home("/tmp/corpus_fr")
    PosixPath('/tmp/corpus_fr')
    """
    return _resolve_home(data_home)


def _resolve_home(home: str | Path | None) -> Path:
    if home is not None:
        return Path(home).expanduser()
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env).expanduser()
    return DEFAULT_HOME.expanduser()


def embedded_path(name: str) -> Path:
    """The file of a corpus bundled with the package (``"sample"``).

    >>> embedded_path("sample").name
    'sample.parquet'
    """
    meta = _get(name)
    if not meta.embedded:
        raise ValueError(f"corpus {name!r} is not bundled with the package; bundled: "
                         f"{', '.join(n for n in names() if _REGISTRY[n].embedded)}")
    return Path(__file__).with_name("data") / meta.embedded


def _missing_files(meta: CorpusInfo, folder: Path) -> list[str]:
    return [f for f in meta.files if not (folder / f).is_file()]


def _not_found(meta: CorpusInfo, folder: Path, missing: list[str]) -> CorpusNotFoundError:
    shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
    if meta.base_url:
        fetch = (f"fetch it with `discourse download {meta.name}` or "
                 f"discourse.corpora.load({meta.name!r}, download=True) (from {meta.base_url})")
    else:
        fetch = f"it has no public download address: {meta.how_to_get or meta.origin}"
    return CorpusNotFoundError(
        f"corpus {meta.name!r} not found in {folder} (missing: {shown}). "
        f"It comes from {meta.origin}. "
        f"Set data_home= or {DATA_ENV} to the folder that holds '{meta.name}/', or {fetch}."
    )


# ---------------------------------------------------------------------- load
def load(name: str, data_home: str | Path | None = None, download: bool = False, **kwargs: Any) -> Corpus:
    """Load a public corpus by name, parsed from its published format.

    Parameters
    ----------
    name:
        One of :func:`names` (e.g. ``"europarl-fr-2000"``). ``"sample"`` is bundled with the
        package: it loads with no data folder and no download.
    data_home:
        The folder holding the corpora; default ``DISCOURSE_DATA`` or ``~/discourse_data``.
    download:
        Fetch missing files from the recorded origin (verified by checksum) before loading.
    **kwargs:
        Passed to the corpus loader, e.g. ``split="test"`` for ``ud-french-gsd`` or
        ``limit=1000`` for ``legi-codes`` and ``literary-fr-scale``.

    Raises
    ------
    ValueError
        Unknown name (the message lists the known names).
    CorpusNotFoundError
        The corpus is not in the data folder and ``download`` is False.

    >>> corpus = load("europarl-fr-2000")                              # doctest: +SKIP
    >>> corpus.filter(language="EN").metadata.speaker.iloc[0]            # doctest: +SKIP
    'Evans, Robert J'
    """
    meta = _get(name)
    module = importlib.import_module(f"discourse.corpora.{meta.module}")
    if meta.embedded:  # shipped inside the package: no data folder involved
        return module.load(embedded_path(name), **kwargs)
    home = _resolve_home(data_home)
    folder = home / name
    missing = _missing_files(meta, folder)
    if missing:
        # A corpus is usable when its required parts are present (a user may hold a
        # larger release, e.g. more Europarl days); only a missing part is an error.
        absent_required = [r for r in meta.required if not (folder / r).exists()]
        if download:
            _download(name, data_home=home)
        elif absent_required or not folder.is_dir():
            raise _not_found(meta, folder, missing)
        else:
            warnings.warn(
                f"corpus {name!r} in {folder}: {len(missing)} file(s) of the recorded release are absent "
                f"(e.g. {missing[0]}); loading what is there. download=True fetches them.",
                stacklevel=2,
            )
    # each loader names its corpus (the corpus is not modified after construction)
    return module.load(folder, **kwargs)


# ---------------------------------------------------------------------- download
def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MiB blocks (corpus checksums, output hashes)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(name: str, data_home: str | Path | None = None) -> pd.DataFrame:
    """Check the local files of a corpus against the recorded checksums.

    Returns one row a file: ``file``, ``status`` ("ok", "missing" or "checksum mismatch").

    >>> verify("seed").status.tolist()                                 # doctest: +SKIP
    ['ok']
    """
    meta = _get(name)
    folder = _resolve_home(data_home) / name
    rows = []
    for rel, record in meta.files.items():
        path = folder / rel
        if not path.is_file():
            status = "missing"
        else:
            status = "ok" if sha256_file(path) == record["sha256"] else "checksum mismatch"
        rows.append({"file": rel, "status": status})
    return pd.DataFrame(rows, columns=["file", "status"])


def _fetch(url: str, target: Path, sha256: str, size: int | None, progress: Any, timeout: float) -> None:
    """Fetch one file to ``target`` through ``<target>.part``, verify it, then rename it in place.

    A ``.part`` left by an interrupted download is resumed with an HTTP Range request when the
    server honours it (status 206), else fetched again from the start. A checksum mismatch
    removes the partial file: after a resume the file is fetched once more from the start
    (the kept part may be what was wrong), otherwise :class:`ChecksumError` is raised.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    for attempt in (0, 1):
        offset = part.stat().st_size if part.is_file() else 0
        if size is not None and offset > size:  # not a prefix of this file: start again
            part.unlink()
            offset = 0
        resumed = _fetch_into(url, part, offset, size, progress, timeout)
        actual = sha256_file(part)
        if actual == sha256:
            os.replace(part, target)  # atomic on one file system: no half-written corpus file
            return
        part.unlink()
        if not resumed or attempt == 1:
            raise ChecksumError(
                f"{url}: checksum mismatch (expected sha256 {sha256}, got {actual}); "
                f"the download was removed, {target} is left as it was"
            )
        progress.update(-(size or 0))  # the retry counts its bytes again
    raise AssertionError("unreachable")  # pragma: no cover


def _fetch_into(url: str, part: Path, offset: int, size: int | None, progress: Any, timeout: float) -> bool:
    """Write ``url`` into ``part`` from byte ``offset`` (Range request); True when it resumed."""
    request = urllib.request.Request(url, headers={"Range": f"bytes={offset}-"} if offset else {})
    resumed = False
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            resumed = offset > 0 and response.status == 206
            progress.update(offset if resumed else 0)
            with open(part, "ab" if resumed else "wb") as out:
                for block in iter(lambda: response.read(1 << 16), b""):
                    out.write(block)
                    progress.update(len(block))
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and offset:  # the kept part is not resumable here: start again
            part.unlink()
            return _fetch_into(url, part, 0, size, progress, timeout)
        raise DownloadError(f"could not fetch {url}: {exc}") from exc
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        raise _interrupted(url, part, size, exc) from exc
    if size is not None and part.stat().st_size < size:
        raise _interrupted(url, part, size, "the connection closed early")
    return resumed


def _interrupted(url: str, part: Path, size: int | None, why: object) -> DownloadError:
    got = part.stat().st_size if part.is_file() else 0
    of = f" of {size:,}" if size is not None else ""
    if got == 0 and part.is_file():
        part.unlink()
    kept = (f"the {got:,} bytes received are kept in {part}: run the same download again to resume"
            if got else "nothing was kept")
    return DownloadError(f"download of {url} interrupted after {got:,}{of} bytes ({why}); {kept}")


def download(
    name: str,
    data_home: str | Path | None = None,
    *,
    mirror: str | None = None,
    force: bool = False,
    progress: bool = True,
    timeout: float = 60.0,
) -> Path:
    """Fetch the missing files of a corpus from its recorded public source into the data folder.

    Every file is written to ``<file>.part``, checked against the SHA-256 recorded in the
    registry, then renamed in place. An interrupted download keeps its ``.part`` and the next
    call resumes it (HTTP Range request; from the start if the server does not support ranges);
    a checksum mismatch removes it and raises :class:`ChecksumError`. Files already present are
    not fetched again (``force=True`` fetches them all). ``mirror`` (or the ``DISCOURSE_MIRROR``
    environment variable) replaces the origin by ``<mirror>/<name>/<file>``.

    Returns the corpus folder (for the bundled ``"sample"``, the file inside the package).

    Raises
    ------
    NoPublicSourceError
        The corpus has no public download address (``seed``, ``legi-codes``,
        ``literary-fr-scale``); the message says what to do instead.
    DownloadError, ChecksumError
        A file could not be fetched, or does not match its checksum.

    >>> download("europarl-fr-2000", data_home="/tmp/corpus_fr")       # doctest: +SKIP
    PosixPath('/tmp/corpus_fr/europarl-fr-2000')
    """
    from discourse._progress import progress_bar as tqdm

    meta = _get(name)
    if meta.embedded:
        return embedded_path(name)
    folder = _resolve_home(data_home) / name
    mirror = mirror or os.environ.get(MIRROR_ENV) or None
    todo = {rel: rec for rel, rec in meta.files.items() if force or not (folder / rel).is_file()}
    if not todo:
        return folder
    if meta.base_url is None and not mirror:
        raise NoPublicSourceError(
            f"corpus {name!r} has no public download address: {meta.how_to_get or meta.origin}."
        )
    total = sum(int(rec.get("size", 0)) for rec in todo.values())
    with tqdm(total=total, unit="B", unit_scale=True, desc=f"download {name}", disable=not progress) as bar:
        for rel, rec in todo.items():
            url = meta.url(rel, mirror)
            assert url is not None
            _fetch(url, folder / rel, rec["sha256"], rec.get("size"), bar, timeout)
    return folder


def sources() -> pd.DataFrame:
    """One row a corpus: where it is obtained (``bundled``, ``public`` or ``none``) and how.

    >>> sources().set_index("corpus").loc["sample", "source"]
    'bundled'
    """
    rows = []
    for name, meta in _REGISTRY.items():
        if meta.embedded:
            how = "bundled with the package: corpora.load('sample')"
        elif meta.base_url:
            how = f"discourse download {name}  ({meta.base_url})"
        else:
            how = meta.how_to_get
        size = sum(int(r.get("size", 0)) for r in meta.files.values())
        rows.append({"corpus": name, "source": meta.source, "files": len(meta.files),
                     "megabytes": round(size / 1e6, 1), "how": how})
    return pd.DataFrame(rows)


_download = download


# ---------------------------------------------------------------------- summary
def summary_table(names: list[str] | None = None, data_home: str | Path | None = None) -> pd.DataFrame:
    """One row a corpus: documents, tokens (whitespace words), metadata columns and date range.

    Corpora absent from the data folder get a row with ``status`` "missing" instead of an error.

    >>> summary_table(["seed"])[["corpus", "documents"]]               # doctest: +SKIP
       corpus  documents
    0    seed          1
    """
    rows = []
    for name in names or list(_REGISTRY):
        meta = _get(name)
        try:
            corpus = load(name, data_home=data_home)
        except CorpusNotFoundError:
            rows.append({"corpus": name, "status": "missing", "origin": meta.origin})
            continue
        row = corpus.summary().iloc[0].to_dict()
        row["corpus"] = name
        row["status"] = "ok"
        row["origin"] = meta.origin
        rows.append(row)
    columns = ["corpus", "status", "documents", "tokens", "characters", "mean_tokens_per_doc", "skipped",
               "metadata", "first_date", "last_date", "origin"]
    frame = pd.DataFrame(rows)
    return frame.reindex(columns=columns)
