"""Label taxonomies: groups of labels, single- or multi-label, with names and descriptions.

The default taxonomy is data (``cxnlp/data/taxonomy.json``); a user's own taxonomy has the same shape.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Literal

from cxnlp.errors import TaxonomyError

Kind = Literal["single", "multi"]
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_\-]*$")


@dataclass(frozen=True)
class Label:
    name: str
    names: Mapping[str, str] = field(default_factory=dict)
    description: str = ""

    def display(self, lang: str = "en") -> str:
        return self.names.get(lang) or self.name


@dataclass(frozen=True)
class LabelGroup:
    """A set of labels; ``single`` groups take exactly one label per text, ``multi`` groups zero or more."""

    name: str
    kind: Kind
    labels: tuple[Label, ...]
    names: Mapping[str, str] = field(default_factory=dict)
    description: str = ""

    @property
    def label_names(self) -> tuple[str, ...]:
        return tuple(lab.name for lab in self.labels)

    @property
    def is_multi(self) -> bool:
        return self.kind == "multi"

    def index(self, label: str) -> int:
        try:
            return self.label_names.index(label)
        except ValueError:
            raise TaxonomyError(
                f"unknown label {label!r} in group {self.name!r}; expected one of {list(self.label_names)}"
            ) from None


@dataclass(frozen=True)
class Taxonomy:
    groups: tuple[LabelGroup, ...]
    name: str = "custom"
    version: str = "1"

    def __post_init__(self) -> None:
        if not self.groups:
            raise TaxonomyError("a taxonomy needs at least one label group")
        seen_groups: set[str] = set()
        seen_labels: dict[str, str] = {}
        for g in self.groups:
            if not _NAME.match(g.name) or g.name in seen_groups:
                raise TaxonomyError(f"group name {g.name!r} is invalid or repeated (letters, digits, _ and - only)")
            if g.name in ("id", "text", "lang", "scores", "status"):
                raise TaxonomyError(f"group name {g.name!r} is reserved for output fields; rename the group")
            if g.kind not in ("single", "multi"):
                raise TaxonomyError(f"group {g.name!r}: kind must be 'single' or 'multi', found {g.kind!r}")
            if len(g.labels) < (2 if g.kind == "single" else 1):
                raise TaxonomyError(f"group {g.name!r} ({g.kind}) has too few labels: {list(g.label_names)}")
            seen_groups.add(g.name)
            for lab in g.labels:
                if not _NAME.match(lab.name):
                    raise TaxonomyError(f"group {g.name!r}: label name {lab.name!r} is invalid (letters, digits, _ and -)")
                if lab.name in seen_labels:
                    raise TaxonomyError(
                        f"label {lab.name!r} appears in groups {seen_labels[lab.name]!r} and {g.name!r}; "
                        "label names must be unique across groups"
                    )
                seen_labels[lab.name] = g.name

    def __iter__(self) -> Iterator[LabelGroup]:
        return iter(self.groups)

    def __getitem__(self, name: str) -> LabelGroup:
        for g in self.groups:
            if g.name == name:
                return g
        raise TaxonomyError(f"no label group {name!r}; groups are {self.group_names}")

    @property
    def group_names(self) -> list[str]:
        return [g.name for g in self.groups]

    @property
    def label_names(self) -> list[str]:
        """All labels in column order, as used by ``predict_proba``."""
        return [lab for g in self.groups for lab in g.label_names]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "groups": [
                {
                    "name": g.name,
                    "kind": g.kind,
                    "names": dict(g.names),
                    "description": g.description,
                    "labels": [
                        {"name": lab.name, "names": dict(lab.names), "description": lab.description} for lab in g.labels
                    ],
                }
                for g in self.groups
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Taxonomy:
        """Build and validate a taxonomy from its JSON form."""
        try:
            groups = tuple(
                LabelGroup(
                    name=str(g["name"]),
                    kind=g.get("kind", "single"),
                    names=dict(g.get("names", {})),
                    description=str(g.get("description", "")),
                    labels=tuple(
                        Label(str(lab), {}, "") if isinstance(lab, str) else
                        Label(str(lab["name"]), dict(lab.get("names", {})), str(lab.get("description", "")))
                        for lab in g["labels"]
                    ),
                )
                for g in data["groups"]
            )
        except (KeyError, TypeError, AttributeError) as e:
            raise TaxonomyError(
                f"malformed taxonomy ({type(e).__name__}: {e}); expected "
                '{"groups": [{"name": ..., "kind": "single"|"multi", "labels": [...]}]}'
            ) from None
        return cls(groups=groups, name=str(data.get("name", "custom")), version=str(data.get("version", "1")))

    @classmethod
    def from_json(cls, path: str) -> Taxonomy:
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, json.JSONDecodeError) as e:
            raise TaxonomyError(f"cannot read taxonomy file {path}: {e}") from None
        return cls.from_dict(data)

    @classmethod
    def from_labels(cls, groups: Mapping[str, tuple[Kind, Sequence[str]]]) -> Taxonomy:
        """A bare taxonomy from ``{group: (kind, [labels])}``, e.g. one inferred from training data."""
        return cls(tuple(LabelGroup(n, k, tuple(Label(x) for x in labs)) for n, (k, labs) in groups.items()))


def default_taxonomy() -> Taxonomy:
    """The bundled taxonomy: sentiment, Forrester CX themes and PwC leave drivers (LABELS.md v1.1)."""
    text = resources.files("cxnlp").joinpath("data/taxonomy.json").read_text(encoding="utf-8")
    return Taxonomy.from_dict(json.loads(text))
