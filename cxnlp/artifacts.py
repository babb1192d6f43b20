"""Safe reading and writing of model files: JSON for settings, ``.npz`` for arrays, never pickle."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from cxnlp.errors import ModelFormatError


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n", encoding="utf-8")


def read_json(path: Path, required: Iterable[str] = ()) -> dict[str, Any]:
    """Read a JSON object and check that ``required`` keys are present."""
    if not path.is_file():
        raise ModelFormatError(f"missing model file {path}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ModelFormatError(f"corrupt model file {path}: {e}") from None
    if not isinstance(data, dict):
        raise ModelFormatError(f"corrupt model file {path}: expected a JSON object, found {type(data).__name__}")
    missing = [k for k in required if k not in data]
    if missing:
        raise ModelFormatError(f"model file {path} lacks keys {missing}")
    return data


def read_component_config(directory: Path, name: str, required: Iterable[str] = ()) -> dict[str, Any]:
    """A component's ``config.json``, checked to be written by the component ``name`` (e.g. ``"lexical/1"``)."""
    config = read_json(directory / "config.json", ["name", *required])
    if config["name"] != name:
        raise ModelFormatError(f"{directory}: component is {config['name']!r}, expected {name!r}")
    return config


def write_arrays(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    with open(path, "wb") as f:
        np.savez(f, **{k: np.ascontiguousarray(v) for k, v in arrays.items()})


def read_arrays(path: Path, required: Iterable[str] = ()) -> dict[str, np.ndarray]:
    """Load every array of an ``.npz`` file with pickling disabled; object arrays are refused."""
    if not path.is_file():
        raise ModelFormatError(f"missing model file {path}")
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as e:
        raise ModelFormatError(f"corrupt or unsafe array file {path}: {e}") from None
    missing = [k for k in required if k not in arrays]
    if missing:
        raise ModelFormatError(f"array file {path} lacks arrays {missing}")
    return arrays


def check_shape(path: Path, name: str, array: np.ndarray, shape: tuple[int, ...]) -> None:
    if array.shape != shape:
        raise ModelFormatError(f"{path}: array {name!r} has shape {array.shape}, expected {shape}")


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def tree_digests(directory: Path) -> dict[str, str]:
    """sha256 of every file under ``directory`` (relative POSIX paths), for corruption checks on load."""
    out = {}
    for root, _, files in os.walk(directory):
        for name in sorted(files):
            p = Path(root) / name
            out[p.relative_to(directory).as_posix()] = file_digest(p)
    return dict(sorted(out.items()))
