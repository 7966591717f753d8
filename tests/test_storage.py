"""The container format: round trip, atomic writes, and refusal of files that are not data."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pandas as pd
import pytest

from discourse import storage
from discourse.base import Estimator, NotFittedError, check_choice, check_float, check_int, check_random_state


@storage.register
class _Positions(Estimator):
    """A tiny saveable estimator: one row of positions per speaker."""

    def __init__(self, *, n_dims: int = 2, label: str = "axe") -> None:
        self.n_dims = n_dims
        self.label = label

    def fit(self, speakers: list[str]) -> _Positions:
        check_int("n_dims", self.n_dims, minimum=1)
        self.speakers_ = list(speakers)
        self.positions_ = np.arange(len(speakers) * self.n_dims, dtype=np.float64).reshape(len(speakers), self.n_dims)
        return self

    def _get_state(self) -> dict:
        return {"info": {"speakers": self.speakers_}, "arrays": {"positions": self.positions_},
                "tables": {"speakers": pd.DataFrame({"speaker": self.speakers_})}}

    @classmethod
    def _from_state(cls, params, info, arrays, tables):
        model = cls(**params)
        model.speakers_ = list(info["speakers"])
        model.positions_ = storage.check_shape("positions", arrays["positions"], (len(model.speakers_), model.n_dims))
        return model


def _fitted() -> _Positions:
    return _Positions(n_dims=3, label="gauche–droite").fit(["Mme Taubira", "M. Mariton"])


def test_round_trip_keeps_parameters_arrays_and_text(tmp_path):
    path = storage.save(_fitted(), tmp_path / "sub" / "positions.npz")
    loaded = storage.load(path, expected=_Positions)
    assert loaded.get_params() == {"n_dims": 3, "label": "gauche–droite"}
    assert loaded.speakers_ == ["Mme Taubira", "M. Mariton"]
    np.testing.assert_array_equal(loaded.positions_, _fitted().positions_)
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["positions.npz"]  # no temporary file left


def _rewrite(src, dst, edit):
    """Copy the zip ``src`` to ``dst`` with ``edit(name, bytes) -> bytes | None`` applied (None drops)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for name in zin.namelist():
            data = edit(name, zin.read(name))
            if data is not None:
                zout.writestr(name, data)
    return dst


def _edit_info(change):
    def edit(name, data):
        if name != "info.json":
            return data
        header = json.loads(data)
        change(header)
        return json.dumps(header).encode()
    return edit


@pytest.mark.parametrize(("change", "message"), [
    (lambda h: h.update({"class": "discourse.pipeline.run"}), "not a saveable discourse class"),
    (lambda h: h["params"].update({"data_home": "/etc"}), "has no parameter"),
    (lambda h: h.update({"format_version": 1}), "format version 1"),
    (lambda h: h.update({"format": "other"}), "not a discourse file"),
    (lambda h: h["info"].update({"speakers": ["seul"]}), "shape"),
])
def test_a_tampered_header_is_refused_with_the_reason(tmp_path, change, message):
    good = storage.save(_fitted(), tmp_path / "good.npz")
    bad = _rewrite(good, tmp_path / "bad.npz", _edit_info(change))
    with pytest.raises(storage.ModelFileError, match=message):
        storage.load(bad)


def test_object_arrays_extra_members_and_nan_are_refused(tmp_path):
    good = storage.save(_fitted(), tmp_path / "good.npz")
    import io
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.array([1, 2], dtype=object), allow_pickle=True)
    objects = _rewrite(good, tmp_path / "objects.npz",
                       lambda n, d: buf.getvalue() if n == "arrays/positions.npy" else d)
    with pytest.raises(storage.ModelFileError, match="dtype object"):
        storage.load(objects)
    extra = _rewrite(good, tmp_path / "extra.npz", lambda n, d: d)
    with zipfile.ZipFile(extra, "a") as zf:
        zf.writestr("../evil.py", "print('x')")
    with pytest.raises(storage.ModelFileError, match="unexpected member"):
        storage.load(extra)
    nan = _fitted()
    nan.positions_[0, 0] = np.nan
    with pytest.raises(storage.ModelFileError, match="NaN"):
        storage.load(storage.save(nan, tmp_path / "nan.npz"))


def test_truncated_flipped_and_bomb_files_are_refused(tmp_path):
    good = storage.save(_fitted(), tmp_path / "good.npz")
    raw = good.read_bytes()
    (tmp_path / "truncated.npz").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(storage.ModelFileError, match="truncated or corrupted"):
        storage.load(tmp_path / "truncated.npz")
    flipped = bytearray(raw)
    flipped[len(raw) // 3] ^= 0xFF
    (tmp_path / "flipped.npz").write_bytes(bytes(flipped))
    with pytest.raises(storage.ModelFileError):
        storage.load(tmp_path / "flipped.npz")
    # 300 MB of zeros compress to a few hundred kB: more than the file may expand to
    bomb = tmp_path / "bomb.npz"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("info.json", json.dumps({"format": "discourse", "format_version": 2, "class": "_Positions",
                                             "params": {}, "info": {"speakers": []}}))
        with zf.open("arrays/positions.npy", "w", force_zip64=True) as fh:
            chunk = bytes(1 << 20)
            for _ in range(300):
                fh.write(chunk)
    with pytest.raises(storage.ModelFileError, match="limit"):
        storage.load(bomb)


def test_a_failed_save_leaves_the_previous_file_intact(tmp_path):
    path = storage.save(_fitted(), tmp_path / "positions.npz")
    before = path.read_bytes()
    broken = _fitted()
    broken.positions_ = np.array(["a", "b"])  # strings are not stored as arrays
    with pytest.raises(TypeError, match="only bool, int and float"):
        storage.save(broken, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["positions.npz"]


def test_estimator_parameters_come_from_the_signature():
    model = _Positions(n_dims=4)
    assert model.get_params() == {"n_dims": 4, "label": "axe"}
    assert repr(model) == "_Positions(n_dims=4)"
    with pytest.raises(ValueError, match="has no parameter 'k'"):
        model.set_params(k=3)
    with pytest.raises(NotFittedError, match="not fitted"):
        model._check_fitted("positions_")
    with pytest.raises(ValueError, match="n_dims=0 must be at least 1"):
        _Positions(n_dims=0).fit(["Mme Royal"])


def test_checks_name_the_parameter():
    assert check_int("k", np.int64(3), minimum=1) == 3
    with pytest.raises(ValueError, match="k must be a whole number, not True"):
        check_int("k", True)
    with pytest.raises(ValueError, match="tol must be finite"):
        check_float("tol", float("nan"))
    with pytest.raises(ValueError, match=r"measure='chi' is not one of \['g2', 'chi2'\]"):
        check_choice("measure", "chi", ["g2", "chi2"])
    assert check_random_state(7).integers(1000) == check_random_state(7).integers(1000)
    with pytest.raises(ValueError, match="random_state"):
        check_random_state(-1)
