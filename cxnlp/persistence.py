"""The model directory: what is in it, where bundled models live, and validation on load.

Layout::

    meta.json        format version, library version, created, training-data hash, file digests
    config.json      encoder name and classifier hyperparameters
    taxonomy.json    the label groups the model predicts
    encoder/         the encoder's own config and arrays
    heads/           head weights (.npz) and thresholds
    metrics.json     held-out evaluation, when trained with a split
    README.md        model card
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from cxnlp import __version__
from cxnlp.artifacts import file_digest, read_json, tree_digests, write_json
from cxnlp.errors import ModelFormatError
from cxnlp.taxonomy import Taxonomy, TaxonomyError

FORMAT_VERSION = 1
DEFAULT_MODEL = "default"
_DIGESTED = ("config.json", "taxonomy.json", "encoder", "heads")


def bundled_models_dir() -> Path:
    """Where bundled models live: inside the installed package, or ``models/`` of a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "models", here.parent / "models"):
        if (candidate / DEFAULT_MODEL / "meta.json").is_file():
            return candidate
    return here / "models"


def resolve_model_path(model: str | Path | None) -> Path:
    """A model directory from a path, a bundled model name, or ``None`` for the default model."""
    if model is None:
        model = DEFAULT_MODEL
    path = Path(model)
    if path.is_dir():
        return path
    bundled = bundled_models_dir() / str(model)
    if bundled.is_dir():
        return bundled
    raise ModelFormatError(f"no model at {str(model)!r}: not a directory and not a bundled model "
                           f"(bundled: {sorted(p.name for p in bundled_models_dir().glob('*') if p.is_dir())})")


def _digests(directory: Path) -> dict[str, str]:
    out = {}
    for name in _DIGESTED:
        p = directory / name
        if p.is_dir():
            out.update({f"{name}/{k}": v for k, v in tree_digests(p).items()})
        elif p.is_file():
            out[name] = file_digest(p)
    return out


def write_model_files(directory: Path, *, config: dict[str, Any], taxonomy: Taxonomy, extra_meta: dict[str, Any]) -> None:
    """Write config, taxonomy and, last, meta.json with digests of what encoder/heads already wrote."""
    write_json(directory / "config.json", config)
    write_json(directory / "taxonomy.json", taxonomy.to_dict())
    meta = {
        "format_version": FORMAT_VERSION,
        "cxnlp_version": __version__,
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        **extra_meta,
        "files": _digests(directory),
    }
    write_json(directory / "meta.json", meta)


def read_model_files(directory: Path) -> tuple[dict[str, Any], dict[str, Any], Taxonomy]:
    """Validate a model directory and return (meta, config, taxonomy)."""
    if not directory.is_dir():
        raise ModelFormatError(f"model directory {directory} does not exist")
    meta = read_json(directory / "meta.json", ["format_version", "cxnlp_version", "files"])
    if meta["format_version"] != FORMAT_VERSION:
        raise ModelFormatError(
            f"{directory} has model format {meta['format_version']}; this cxnlp {__version__} reads format "
            f"{FORMAT_VERSION}. Fix: retrain the model with this version or install cxnlp {meta['cxnlp_version']}"
        )
    found = _digests(directory)
    for name, digest in meta["files"].items():
        if name not in found:
            raise ModelFormatError(f"{directory}: file {name} listed in meta.json is missing")
        if found[name] != digest:
            raise ModelFormatError(f"{directory}: file {name} is corrupt or was changed after saving (checksum mismatch)")
    config = read_json(directory / "config.json", ["encoder", "classifier"])
    try:
        taxonomy = Taxonomy.from_dict(read_json(directory / "taxonomy.json", ["groups"]))
    except TaxonomyError as e:
        raise ModelFormatError(f"{directory / 'taxonomy.json'}: {e}") from None
    return meta, config, taxonomy
