"""Training data: loading from files or objects, label parsing, validation with row/field errors."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cxnlp.errors import DataError, TaxonomyError
from cxnlp.io import detect_format, iter_records
from cxnlp.taxonomy import Taxonomy, default_taxonomy


@dataclass
class TrainingData:
    """Texts and their labels, validated against ``taxonomy``.

    ``labels[group][i]`` is a label name for single-label groups and a list of names for multi-label groups.
    """

    texts: list[str]
    labels: dict[str, list[Any]]
    taxonomy: Taxonomy
    ids: list[Any] | None = None

    def __len__(self) -> int:
        return len(self.texts)

    def targets(self) -> dict[str, np.ndarray]:
        """Integer class ids (single) or 0/1 indicator matrices (multi), per group."""
        out = {}
        for g in self.taxonomy:
            values = self.labels[g.name]
            if g.is_multi:
                Y = np.zeros((len(values), len(g.labels)), dtype=np.int64)
                for i, labs in enumerate(values):
                    Y[i, [g.index(x) for x in labs]] = 1
                out[g.name] = Y
            else:
                out[g.name] = np.array([g.index(x) for x in values], dtype=np.int64)
        return out

    def subset(self, indices: Sequence[int]) -> TrainingData:
        ids = None if self.ids is None else [self.ids[i] for i in indices]
        return TrainingData([self.texts[i] for i in indices],
                            {g: [v[i] for i in indices] for g, v in self.labels.items()}, self.taxonomy, ids)

    def digest(self) -> str:
        """sha256 of texts and labels, recorded in a model's metadata."""
        h = hashlib.sha256()
        for i, t in enumerate(self.texts):
            h.update(json.dumps([t, {g: v[i] for g, v in self.labels.items()}], ensure_ascii=False, sort_keys=True).encode())
        return h.hexdigest()


def parse_multi(value: Any, row: int, field: str) -> list[str]:
    """A multi-label cell: a list, a JSON list string, a ';'-separated string, or empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, (list, tuple, np.ndarray)):
        items = list(value)
    elif isinstance(value, str):
        s = value.strip()
        if s.startswith("["):
            try:
                items = json.loads(s)
            except json.JSONDecodeError as e:
                raise DataError(f"looks like a JSON list but is not valid JSON ({e.msg})", row=row, field=field) from None
            if not isinstance(items, list):
                raise DataError("expected a JSON list of labels", row=row, field=field)
        else:
            items = [x for x in s.split(";")]
    else:
        raise DataError(f"expected a list of labels or a ';'-separated string, found {type(value).__name__}",
                        row=row, field=field)
    out = []
    for x in items:
        if not isinstance(x, str):
            raise DataError(f"labels must be strings, found {type(x).__name__} ({x!r})", row=row, field=field)
        if x.strip() and x.strip() not in out:
            out.append(x.strip())
    return out


def _is_multi_column(values: Iterable[Any]) -> bool:
    for v in values:
        if v is None or isinstance(v, (list, tuple, np.ndarray)):
            return True
        if isinstance(v, str) and (not v.strip() or ";" in v or v.strip().startswith("[")):
            return True
    return False


def infer_taxonomy(records: Sequence[Mapping[str, Any]], label_cols: Sequence[str]) -> Taxonomy:
    """A taxonomy from the data: a column with lists, ';' or empty cells is multi-label, else single-label."""
    groups = {}
    for col in label_cols:
        values = [r.get(col) for r in records]
        if _is_multi_column(values):
            labs = sorted({x for i, v in enumerate(values) for x in parse_multi(v, i + 1, col)})
            groups[col] = ("multi", labs)
        else:
            groups[col] = ("single", sorted({str(v).strip() for v in values}))
    try:
        return Taxonomy.from_labels(groups)
    except TaxonomyError as e:
        raise DataError(f"cannot build a taxonomy from columns {list(label_cols)}: {e}") from None


def _choose_taxonomy(records: Sequence[Mapping[str, Any]], taxonomy: Taxonomy | None,
                     label_cols: Sequence[str] | None, source: str | None) -> Taxonomy:
    if taxonomy is not None:
        return taxonomy
    if label_cols:
        return infer_taxonomy(records, label_cols)
    columns = list(dict.fromkeys(k for r in records[:100] for k in r))
    default = default_taxonomy()
    present = [g for g in default if g.name in columns]
    if not present:
        raise DataError(f"no label columns: expected some of {default.group_names}, found columns {columns}. "
                        "Fix: rename your columns, or name your own with --label-col / label_cols=[...]", source=source)
    return Taxonomy(tuple(present), name=default.name, version=default.version)


def records_to_training_data(records: Sequence[Mapping[str, Any]], *, text_col: str = "text",
                             taxonomy: Taxonomy | None = None, label_cols: Sequence[str] | None = None,
                             id_col: str | None = None, source: str | None = None,
                             row_numbers: Sequence[int] | None = None) -> TrainingData:
    """Validate records (dicts) against a taxonomy; every problem names its row and field."""
    if not records:
        raise DataError("no training rows", source=source)
    taxonomy = _choose_taxonomy(records, taxonomy, label_cols, source)
    rows = list(row_numbers) if row_numbers is not None else list(range(1, len(records) + 1))
    texts: list[str] = []
    labels: dict[str, list[Any]] = {g.name: [] for g in taxonomy}
    for row, rec in zip(rows, records):
        if text_col not in rec:
            raise DataError(f"missing text column; the row has {sorted(rec)}. Fix: --text-col NAME",
                            row=row, field=text_col, source=source)
        text = rec[text_col]
        if not isinstance(text, str):
            raise DataError(f"expected a string, found {type(text).__name__}", row=row, field=text_col, source=source)
        if not text.strip():
            raise DataError("empty text; remove the row or fill it in", row=row, field=text_col, source=source)
        texts.append(text)
        for g in taxonomy:
            if g.name not in rec:
                raise DataError(f"missing label column (groups: {taxonomy.group_names})", row=row, field=g.name, source=source)
            value = rec[g.name]
            if g.is_multi:
                parsed: Any = parse_multi(value, row, g.name)
                bad = [x for x in parsed if x not in g.label_names]
            else:
                if not isinstance(value, str) or not value.strip():
                    raise DataError(f"expected one label of {list(g.label_names)}, found {value!r}",
                                    row=row, field=g.name, source=source)
                parsed = value.strip()
                bad = [] if parsed in g.label_names else [parsed]
            if bad:
                raise DataError(f"unknown label {bad[0]!r}; expected one of {list(g.label_names)}",
                                row=row, field=g.name, source=source)
            labels[g.name].append(parsed)
    ids = [rec.get(id_col) for rec in records] if id_col else None
    return TrainingData(texts, labels, taxonomy, ids)


def load_training_data(source: str | Path, *, text_col: str = "text", taxonomy: Taxonomy | None = None,
                       label_cols: Sequence[str] | None = None, input_format: str | None = None,
                       id_col: str | None = None) -> TrainingData:
    """Read and validate a CSV/TSV/JSONL/Parquet file of labelled texts."""
    fmt = detect_format(source, input_format)
    if str(source) != "-" and not Path(source).is_file():
        raise DataError(f"no such file: {source}")
    pairs = list(iter_records(source, fmt))
    return records_to_training_data([r for _, r in pairs], text_col=text_col, taxonomy=taxonomy, label_cols=label_cols,
                                    id_col=id_col, source=str(source), row_numbers=[i for i, _ in pairs])


def as_training_data(X: Any, y: Sequence[Mapping[str, Any]] | None = None, *, taxonomy: Taxonomy | None = None,
                     text_col: str = "text", label_cols: Sequence[str] | None = None) -> TrainingData:
    """Accept what users have: texts + label dicts, records, a file path, a ``datasets.Dataset`` or a DataFrame."""
    if isinstance(X, TrainingData):
        return X
    if isinstance(X, (str, Path)) and y is None:
        return load_training_data(X, text_col=text_col, taxonomy=taxonomy, label_cols=label_cols)
    if y is not None:
        texts = list(X)
        if len(texts) != len(y):
            raise DataError(f"got {len(texts)} texts but {len(y)} label rows")
        records = [{text_col: t, **dict(labs)} for t, labs in zip(texts, y)]
    elif hasattr(X, "to_dict") and hasattr(X, "columns"):  # pandas DataFrame
        records = X.to_dict("records")
    elif hasattr(X, "column_names") and hasattr(X, "to_list"):  # datasets.Dataset
        records = X.to_list()
    else:
        records = list(X)
        if records and not isinstance(records[0], Mapping):
            raise DataError("fit(X) without y needs records (dicts), a Dataset, a DataFrame or a file path; "
                            "for a list of texts pass the labels as y")
    return records_to_training_data(records, text_col=text_col, taxonomy=taxonomy, label_cols=label_cols)
