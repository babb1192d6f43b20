"""Batch classification of files in bounded memory: read a chunk, classify it, write it, repeat."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxnlp.classifier import FeedbackClassifier
from cxnlp.errors import DataError
from cxnlp.io import CHUNK_ROWS, RecordWriter, count_rows, detect_format, iter_records


@dataclass
class BatchSummary:
    rows: int = 0
    empty: int = 0
    seconds: float = 0.0
    replaced_columns: list[str] = field(default_factory=list)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def _chunks(records: Iterator[tuple[int, dict[str, Any]]], size: int) -> Iterator[list[tuple[int, dict[str, Any]]]]:
    chunk = []
    for item in records:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _row_id(rec: dict[str, Any], row: int, id_col: str | None, source: str) -> Any:
    if id_col is None:
        return rec.get("id", row)
    if id_col not in rec:
        raise DataError(f"missing id column; the row has {sorted(rec)}", row=row, field=id_col, source=source)
    return rec[id_col]


def classify_file(clf: FeedbackClassifier, source: str | Path, output: str | Path, *, text_col: str = "text",
                  id_col: str | None = None, input_format: str | None = None, output_format: str | None = None,
                  chunk_rows: int = CHUNK_ROWS, progress: bool = False,
                  on_replace: Callable[[list[str]], None] | None = None) -> BatchSummary:
    """Classify every row of ``source`` into ``output``, in order, each with its id and the input's columns.

    Output rows are ``id``, the input's other columns, then ``lang``, ``status``, one field per label group
    and ``scores``; a predicted field replaces an input column of the same name (``on_replace`` is told).
    """
    in_fmt = detect_format(source, input_format, default="auto")
    out_fmt = detect_format(output, output_format, default="jsonl")
    if str(source) != "-" and not Path(source).is_file():
        raise DataError(f"no such file: {source}")
    if in_fmt == "txt":
        text_col = "text"
    src = str(source)
    summary = BatchSummary()
    start = time.perf_counter()
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=count_rows(source, in_fmt), unit=" rows", file=sys.stderr, dynamic_ncols=True)
    try:
        with RecordWriter(output, out_fmt) as writer:
            for chunk in _chunks(iter_records(source, in_fmt), chunk_rows):
                for row, rec in chunk:
                    if text_col not in rec:
                        raise DataError(f"missing text column; the row has columns {sorted(rec)}. Fix: --text-col NAME",
                                        row=row, field=text_col, source=src)
                ids = [_row_id(rec, row, id_col, src) for row, rec in chunk]
                try:
                    preds = clf.predict([rec[text_col] for _, rec in chunk], ids=ids)
                except DataError as e:  # re-anchor a bad text to its row in the file
                    raise DataError(str(e).split(": ", 1)[-1], row=chunk[(e.row or 1) - 1][0], field=text_col, source=src) from None
                out = []
                for (row, rec), pred in zip(chunk, preds):
                    result = pred.to_dict()
                    if not summary.replaced_columns:
                        clash = [k for k in result if k in rec and k != text_col and (k != "id" or id_col not in (None, "id"))]
                        if clash:
                            summary.replaced_columns = clash
                            if on_replace:
                                on_replace(clash)
                    out.append({"id": result.pop("id"), **{k: v for k, v in rec.items() if k != "id"}, **result})
                    summary.empty += pred.is_empty
                writer.write(out)
                summary.rows += len(chunk)
                if bar is not None:
                    bar.update(len(chunk))
    finally:
        if bar is not None:
            bar.close()
    summary.seconds = time.perf_counter() - start
    return summary
