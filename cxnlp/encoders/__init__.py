"""Text encoders: turn normalised texts into feature matrices. One protocol, registered by versioned name."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from cxnlp.errors import CxnlpError, ModelFormatError


@runtime_checkable
class Encoder(Protocol):
    """What the classifier needs from an encoder.

    ``name`` is the registered, versioned name (``"lexical/1"``): a saved model names the encoder that
    can read it. ``transform`` returns a 2-D numpy array or scipy sparse matrix, one row per text.
    """

    name: str

    def fit(self, texts: Sequence[str], langs: Sequence[str]) -> Encoder: ...

    def transform(self, texts: Sequence[str], langs: Sequence[str]) -> Any: ...

    @property
    def dim(self) -> int: ...

    def save(self, directory: Path) -> None: ...


_REGISTRY: dict[str, Callable[[], type]] = {}


def register(name: str, loader: Callable[[], type]) -> None:
    """Register an encoder class under ``name`` (``family/version``); ``loader`` imports it lazily."""
    _REGISTRY[name] = loader


def encoder_class(name: str) -> type:
    if name not in _REGISTRY:
        raise ModelFormatError(f"unknown encoder {name!r}; this cxnlp knows {sorted(_REGISTRY)}")
    return _REGISTRY[name]()


def make_encoder(spec: str, **options: Any) -> Encoder:
    """A new, unfitted encoder from a family name (``"lexical"``) or a versioned name (``"lexical/1"``)."""
    matches = [n for n in _REGISTRY if n == spec or n.split("/")[0] == spec]
    if not matches:
        families = sorted({n.split("/")[0] for n in _REGISTRY})
        raise CxnlpError(f"unknown encoder {spec!r}; choose one of {families}")
    return encoder_class(max(matches))(**options)


def load_encoder(name: str, directory: Path) -> Encoder:
    return encoder_class(name).load(directory)


def _lexical() -> type:
    from cxnlp.encoders.lexical import LexicalEncoder

    return LexicalEncoder


def _e5() -> type:
    from cxnlp.encoders.e5 import E5Encoder

    return E5Encoder


def _hybrid() -> type:
    from cxnlp.encoders.hybrid import HybridEncoder

    return HybridEncoder


def _hf() -> type:
    from cxnlp.encoders.hf import HFEncoder

    return HFEncoder


register("lexical/1", _lexical)
register("e5/1", _e5)
register("hybrid/1", _hybrid)
register("hf/1", _hf)
