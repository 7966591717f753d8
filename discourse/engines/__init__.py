"""Where the work runs: in this process (:class:`LocalEngine`, the default) or on a Dask cluster
(:class:`DaskEngine`: a local cluster of worker *processes*, or any ``dask.distributed`` scheduler).

An engine does one thing, :meth:`Engine.map`: apply a module-level function to each item (one
item a shard) and return the results **in input order**, with a progress bar over the items.
The sharded stages (:mod:`discourse.engines.sharded`) are written so that every mapped function
is pure: it reads its shard, writes its output atomically to a file named by a key of its
inputs, and returns a small summary. A task retried after a worker died overwrites that file
with the same bytes, so nothing is lost or counted twice, and a rerun finds finished files.

Example
-------
>>> from discourse.engines import get_engine
>>> engine = get_engine("local")
>>> engine.map(len, ["séance", "débat"], desc="longueurs")
[6, 5]
>>> with get_engine({"kind": "dask", "n_workers": 2}) as dask_engine:   # doctest: +SKIP
...     dask_engine.map(len, ["séance", "débat"], desc="longueurs")
[6, 5]
"""

from __future__ import annotations

import importlib.util
import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from discourse._optional import MissingDependencyError
from discourse._progress import progress_bar
from discourse.base import check_bool, check_int

__all__ = ["Engine", "LocalEngine", "DaskEngine", "get_engine", "engine_context", "ENGINE_KINDS"]

ENGINE_KINDS = ("local", "dask")


class Engine:
    """Runs :meth:`map`; a context manager that releases what it started."""

    kind = "engine"

    def map(self, func: Callable[[Any], Any], items: Iterable[Any], *, desc: str = "shards",
            progress: bool = True) -> list[Any]:
        """``[func(item) for item in items]``, in input order, with a progress bar over items."""
        raise NotImplementedError

    def close(self) -> None:
        """Release what the engine started (nothing for the local engine)."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def describe(self) -> dict[str, Any]:
        """A JSON-able description (for manifests)."""
        return {"kind": self.kind}


class LocalEngine(Engine):
    """Every item in this process, one after the other (the default engine).

    >>> LocalEngine().map(str.upper, ["paix", "guerre"], desc="majuscules")
    ['PAIX', 'GUERRE']
    """

    kind = "local"

    def map(self, func: Callable[[Any], Any], items: Iterable[Any], *, desc: str = "shards",
            progress: bool = True) -> list[Any]:
        items = list(items)
        return [func(item) for item in progress_bar(items, desc=desc, unit="shard", disable=not progress)]

    def __repr__(self) -> str:
        return "LocalEngine()"


def _require_distributed() -> Any:
    if importlib.util.find_spec("distributed") is None or importlib.util.find_spec("dask") is None:
        raise MissingDependencyError(
            "the Dask engine needs the optional packages 'dask' and 'distributed', which are not installed: "
            "pip install 'discourse-fr[dask]'")
    try:
        import distributed
    except ImportError as err:
        raise MissingDependencyError(
            f"the Dask engine needs 'distributed', which cannot be imported ({err}): pip install 'discourse-fr[dask]'"
        ) from err
    return distributed


class DaskEngine(Engine):
    """Items run as tasks on a ``dask.distributed`` cluster.

    Parameters
    ----------
    address:
        None starts a :class:`distributed.LocalCluster` of worker **processes** on this machine
        (closed by :meth:`close` or the ``with`` block); ``"tcp://host:8786"`` connects to a
        running scheduler (Kubernetes, SLURM, cloud), which is left running.
    n_workers, threads_per_worker:
        Size of the local cluster (ignored with ``address``). One thread a worker: the
        preprocessing is pure Python, threads would only contend for the GIL.
    retries:
        Times a task that *raised* is tried again. A task whose worker *died* is always
        rescheduled by the scheduler (its output file is rewritten with the same bytes).

    Example
    -------
    >>> with DaskEngine(n_workers=2) as engine:                       # doctest: +SKIP
    ...     engine.map(len, ["séance", "débat"], desc="longueurs")
    [6, 5]
    >>> DaskEngine(address="tcp://10.0.0.5:8786")                      # doctest: +SKIP
    DaskEngine(address='tcp://10.0.0.5:8786')
    """

    kind = "dask"

    def __init__(self, *, address: str | None = None, n_workers: int = 2, threads_per_worker: int = 1,
                 retries: int = 2) -> None:
        _require_distributed()
        if address is not None and not isinstance(address, str):
            raise ValueError(f"address must be a scheduler address such as 'tcp://host:8786' or None, not {address!r}")
        check_int("n_workers", n_workers, minimum=1)
        check_int("threads_per_worker", threads_per_worker, minimum=1)
        check_int("retries", retries, minimum=0)
        self.address = address
        self.n_workers = n_workers
        self.threads_per_worker = threads_per_worker
        self.retries = retries
        self._cluster: Any = None
        self._client: Any = None

    def __repr__(self) -> str:
        if self.address is not None:
            return f"DaskEngine(address={self.address!r})"
        return f"DaskEngine(n_workers={self.n_workers}, threads_per_worker={self.threads_per_worker})"

    def describe(self) -> dict[str, Any]:
        return {"kind": self.kind, "address": self.address, "n_workers": self.n_workers,
                "threads_per_worker": self.threads_per_worker, "retries": self.retries}

    @property
    def client(self) -> Any:
        """The ``distributed.Client`` (the local cluster is started on first use)."""
        if self._client is None:
            distributed = _require_distributed()
            if self.address is None:
                self._cluster = distributed.LocalCluster(
                    n_workers=self.n_workers, threads_per_worker=self.threads_per_worker, processes=True,
                    dashboard_address=":0", silence_logs=logging.ERROR)
                self._client = distributed.Client(self._cluster)
            else:
                self._client = distributed.Client(self.address)
        return self._client

    def map(self, func: Callable[[Any], Any], items: Iterable[Any], *, desc: str = "shards",
            progress: bool = True) -> list[Any]:
        distributed = _require_distributed()
        items = list(items)
        if not items:
            return []
        client = self.client
        run = uuid.uuid4().hex[:8]
        keys = [f"{desc.replace(' ', '-')}-{run}-{i}" for i in range(len(items))]
        futures = client.map(func, items, key=keys, pure=False, retries=self.retries)
        try:
            with progress_bar(total=len(futures), desc=desc, unit="shard", disable=not progress) as bar:
                for _ in distributed.as_completed(futures):
                    bar.update(1)
            return client.gather(futures)  # the order of the items, whatever the order of completion
        finally:
            client.cancel(futures)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


_DASK_KEYS = ("address", "n_workers", "threads_per_worker", "retries")


def get_engine(spec: None | str | Mapping[str, Any] | Engine = None) -> Engine:
    """The engine a specification names: None or ``"local"``, ``"dask"`` (a local cluster), a
    mapping as the ``engine:`` section of an analysis file (``{"kind": "dask", "address": None,
    "n_workers": 2}``), or an :class:`Engine` (returned as is).

    >>> get_engine(None)
    LocalEngine()
    >>> get_engine({"kind": "local"})
    LocalEngine()
    >>> get_engine({"kind": "dask", "workers": 2})
    Traceback (most recent call last):
    ...
    ValueError: engine: unknown key(s) ['workers']; a dask engine takes kind, address, n_workers, threads_per_worker, retries
    """
    if spec is None:
        return LocalEngine()
    if isinstance(spec, Engine):
        return spec
    if isinstance(spec, str):
        if spec not in ENGINE_KINDS:
            raise ValueError(f"engine must be one of {list(ENGINE_KINDS)}, a mapping with 'kind', or an Engine, not {spec!r}")
        return LocalEngine() if spec == "local" else DaskEngine()
    if isinstance(spec, Mapping):
        kind = spec.get("kind", "local")
        if kind not in ENGINE_KINDS:
            raise ValueError(f"engine.kind must be one of {list(ENGINE_KINDS)}, not {kind!r}")
        options = {k: v for k, v in spec.items() if k != "kind"}
        allowed = _DASK_KEYS if kind == "dask" else ()
        unknown = sorted(set(options) - set(allowed))
        if unknown:
            takes = ", ".join(("kind",) + allowed)
            raise ValueError(f"engine: unknown key(s) {unknown}; a {kind} engine takes {takes}")
        return LocalEngine() if kind == "local" else DaskEngine(**options)
    raise TypeError(f"engine must be None, 'local', 'dask', a mapping or an Engine, not {type(spec).__name__}")


class engine_context:  # noqa: N801 (used as a function: ``with engine_context(spec) as engine``)
    """The engine of a specification for one ``with`` block: an engine started here (a local
    cluster from ``"dask"``) is closed at the end; an :class:`Engine` given is left open.

    >>> with engine_context(None) as engine:
    ...     engine.map(len, ["la", "paix"], progress=False)
    [2, 4]
    """

    def __init__(self, spec: None | str | Mapping[str, Any] | Engine) -> None:
        self.given = isinstance(spec, Engine)
        self.engine = get_engine(spec)

    def __enter__(self) -> Engine:
        return self.engine

    def __exit__(self, *exc: Any) -> None:
        if not self.given:
            self.engine.close()


def check_progress(progress: Any) -> bool:
    """``progress`` checked as a bool (shared by the sharded stages)."""
    check_bool("progress", progress)
    return bool(progress)
