"""Streaming readers and writers for CSV/TSV, JSONL, Parquet and plain text ("-" is stdin/stdout)."""

from __future__ import annotations

import csv
import io
import itertools
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from typing_extensions import Self

from cxnlp.errors import DataError

FORMATS = ("csv", "tsv", "jsonl", "parquet", "txt")
_EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
               ".parquet": "parquet", ".pq": "parquet", ".txt": "txt", ".text": "txt"}
CHUNK_ROWS = 1000


def detect_format(path: str | Path, explicit: str | None = None, *, default: str = "jsonl") -> str:
    """File format from an explicit choice or the file extension; ``default`` for stdin/stdout
    (``"auto"`` for stdin: JSON lines or plain text, told apart by the first line)."""
    if explicit:
        if explicit not in FORMATS:
            raise DataError(f"unknown format {explicit!r}; choose one of {list(FORMATS)}")
        return explicit
    if str(path) == "-":
        return default
    fmt = _EXTENSIONS.get(Path(path).suffix.lower())
    if fmt is None:
        raise DataError(f"cannot tell the format of {path} from its extension; expected one of "
                        f"{sorted(_EXTENSIONS)} or pass --input-format/--output-format")
    return fmt


def _open_text(path: str | Path) -> TextIO:
    if str(path) == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", newline="")
    try:
        return open(path, encoding="utf-8-sig", newline="")
    except OSError as e:
        raise DataError(f"cannot read {path}: {e.strerror or e}") from None


def iter_records(path: str | Path, fmt: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(row_number, record)``; row numbers are 1-based data rows (a CSV header is not a row)."""
    if fmt == "parquet":
        yield from _iter_parquet(path)
        return
    f = _open_text(path)
    try:
        lines: Iterable[str] = f
        if fmt == "auto":  # stdin without --input-format: JSON lines if it starts with "{", else plain text
            first = f.readline()
            fmt = "jsonl" if first.lstrip().startswith("{") else "txt"
            lines = itertools.chain([first] if first else [], f)
        if fmt in ("csv", "tsv"):
            yield from _iter_csv(lines, "\t" if fmt == "tsv" else ",", path)
        elif fmt == "jsonl":
            yield from _iter_jsonl(lines, path)
        else:
            for i, line in enumerate(lines, 1):
                yield i, {"text": line.rstrip("\r\n")}
    except UnicodeDecodeError as e:
        raise DataError(f"not UTF-8 text ({e.reason} at byte {e.start}); re-save the file as UTF-8", source=str(path)) from None
    finally:
        if f is not sys.stdin:
            f.close()


def _iter_csv(f: Iterable[str], delimiter: str, path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    csv.field_size_limit(2**31 - 1)
    reader = csv.DictReader(f, delimiter=delimiter)
    try:
        for i, row in enumerate(reader, 1):
            if None in row:
                raise DataError(f"{len(reader.fieldnames or []) + len(row[None])} fields but the header has "
                                f"{len(reader.fieldnames or [])}; quote fields that contain '{delimiter}'",
                                row=i, source=str(path))
            yield i, row
    except csv.Error as e:
        raise DataError(f"malformed CSV: {e}", row=reader.line_num, source=str(path)) from None


def _iter_jsonl(f: Iterable[str], path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for i, line in enumerate(f, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise DataError(f"invalid JSON ({e.msg} at column {e.colno})", row=i, source=str(path)) from None
        if not isinstance(rec, dict):
            raise DataError(f"expected a JSON object per line, found {type(rec).__name__}", row=i, source=str(path))
        yield i, rec


def _iter_parquet(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as e:
        raise DataError(f"cannot read Parquet file: {e}", source=str(path)) from None
    row = 0
    for batch in pf.iter_batches(batch_size=CHUNK_ROWS):
        for rec in batch.to_pylist():
            row += 1
            yield row, rec


def count_rows(path: str | Path, fmt: str) -> int | None:
    """Row count for a progress bar: exact for Parquet, a fast line count for text formats."""
    if str(path) == "-":
        return None
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    n = 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            n += block.count(b"\n")
    return max(n - (1 if fmt in ("csv", "tsv") else 0), 0)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return ";".join(map(str, value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


class RecordWriter:
    """Write records in chunks to a file or stdout; the first chunk fixes the columns of CSV/Parquet."""

    def __init__(self, path: str | Path, fmt: str):
        if fmt == "txt":
            raise DataError("plain-text output cannot hold labels; write .jsonl, .csv or .parquet")
        if fmt == "parquet" and str(path) == "-":
            raise DataError("Parquet cannot be written to stdout; give --output FILE.parquet")
        self.path, self.fmt = path, fmt
        self._f: TextIO | None = None
        self._csv: csv.DictWriter | None = None
        self._pq: Any = None
        self._schema: Any = None

    def __enter__(self) -> Self:
        if self.fmt != "parquet":
            self._f = sys.stdout if str(self.path) == "-" else open(self.path, "w", encoding="utf-8", newline="")
        return self

    def write(self, records: list[dict[str, Any]]) -> None:
        if not records:
            return
        if self.fmt == "jsonl":
            self._f.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        elif self.fmt in ("csv", "tsv"):
            self._write_csv(records)
        else:
            self._write_parquet(records)

    def _write_csv(self, records: list[dict[str, Any]]) -> None:
        if self._csv is None:
            fields = list(dict.fromkeys(k for r in records for k in r))
            self._csv = csv.DictWriter(self._f, fieldnames=fields, delimiter="\t" if self.fmt == "tsv" else ",")
            self._csv.writeheader()
        extra = {k for r in records for k in r} - set(self._csv.fieldnames)
        if extra:
            raise DataError(f"rows gained columns {sorted(extra)} after the CSV header was written; write JSONL instead")
        self._csv.writerows({k: _csv_cell(v) for k, v in r.items()} for r in records)

    def _write_parquet(self, records: list[dict[str, Any]]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._pq is None:
            table = pa.Table.from_pylist(records)
            self._schema = table.schema
            self._pq = pq.ParquetWriter(self.path, self._schema)
        else:
            try:
                table = pa.Table.from_pylist(records, schema=self._schema)
            except (pa.ArrowInvalid, pa.ArrowTypeError) as e:
                raise DataError(f"column types changed between chunks ({e}); write JSONL instead") from None
        self._pq.write_table(table)

    def __exit__(self, *exc: object) -> None:
        if self._pq is not None:
            self._pq.close()
        if self._f is not None:
            if self._f is sys.stdout:
                self._f.flush()
            else:
                self._f.close()
