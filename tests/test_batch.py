import csv
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cxnlp import DataError
from cxnlp.batch import classify_file

TEXTS = ["Jonotin tunnin, ei kiva", "", "Great service, thanks!", "   ", "Missä paketti?", "👍", "Driver was rude", "ok"]


def _check(rows, ids):
    assert [r["id"] for r in rows] == ids
    for r in rows:
        assert {"lang", "status", "sentiment", "themes", "drivers", "scores"} <= set(r)


def test_jsonl_round_trip_keeps_order_ids_and_columns(fitted, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"ticket": f"T{i}", "text": t, "store": "Kamppi"}) + "\n"
                           for i, t in enumerate(TEXTS)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    summary = classify_file(fitted, src, out, id_col="ticket", chunk_rows=3)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    _check(rows, [f"T{i}" for i in range(len(TEXTS))])
    assert summary.rows == len(TEXTS) and summary.empty == 2
    assert [r["text"] for r in rows] == TEXTS and all(r["store"] == "Kamppi" and r["ticket"] for r in rows)
    assert rows[1]["status"] == "empty" and rows[1]["sentiment"] is None and rows[1]["themes"] == []
    assert rows[0]["status"] == "ok" and abs(sum(rows[0]["scores"][k] for k in ("positive", "neutral", "negative", "mixed")) - 1) < 1e-3


def test_csv_to_csv_with_row_numbers_as_ids(fitted, tmp_path):
    src = tmp_path / "in.csv"
    with open(src, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["comment", "score"])
        w.writerows([[t, i] for i, t in enumerate(TEXTS)])
    out = tmp_path / "out.csv"
    classify_file(fitted, src, out, text_col="comment", chunk_rows=5)
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    _check(rows, [str(i) for i in range(1, len(TEXTS) + 1)])
    assert [r["comment"] for r in rows] == TEXTS and [r["score"] for r in rows] == [str(i) for i in range(len(TEXTS))]
    assert json.loads(rows[0]["scores"])["negative"] >= 0


def test_txt_to_parquet(fitted, tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("\n".join(TEXTS) + "\n", encoding="utf-8")
    out = tmp_path / "out.parquet"
    classify_file(fitted, src, out, chunk_rows=4)
    rows = pq.read_table(out).to_pylist()
    _check(rows, list(range(1, len(TEXTS) + 1)))
    assert [r["text"] for r in rows] == TEXTS


def test_parquet_input_uses_id_column(fitted, tmp_path):
    src = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist([{"id": f"x{i}", "text": t} for i, t in enumerate(TEXTS)]), src)
    out = tmp_path / "out.jsonl"
    classify_file(fitted, src, out, chunk_rows=3)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    _check(rows, [f"x{i}" for i in range(len(TEXTS))])


def test_missing_text_column_names_row_and_field(fitted, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "ok"}\n{"body": "no text here"}\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"in.jsonl, row 2, field 'text': missing text column"):
        classify_file(fitted, src, tmp_path / "out.jsonl")


def test_wrong_text_type_names_file_row(fitted, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"text": t}) + "\n" for t in ["a", "b", "c"]) + '{"text": 12}\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"row 4, field 'text': expected a string, found int"):
        classify_file(fitted, src, tmp_path / "out.jsonl", chunk_rows=2)


def test_unknown_output_format(fitted, tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("a\n", encoding="utf-8")
    with pytest.raises(DataError, match="cannot tell the format"):
        classify_file(fitted, src, tmp_path / "out.xlsx")


def test_streams_in_chunks_without_reading_ahead(fitted, tmp_path, monkeypatch):
    """An endless input is classified chunk by chunk: each write happens before the next chunk is read."""
    from cxnlp import batch

    state = {"read": 0, "reads_at_write": []}

    def endless(path, fmt):
        while True:
            state["read"] += 1
            yield state["read"], {"text": "Jonotin tunnin"}

    class Stop(Exception):
        pass

    class Writer:
        def __init__(self, *a):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def write(self, rows):
            state["reads_at_write"].append(state["read"])
            if len(state["reads_at_write"]) == 3:
                raise Stop

    monkeypatch.setattr(batch, "iter_records", endless)
    monkeypatch.setattr(batch, "RecordWriter", Writer)
    src = tmp_path / "in.jsonl"
    src.write_text("", encoding="utf-8")
    with pytest.raises(Stop):
        classify_file(fitted, src, tmp_path / "out.jsonl", chunk_rows=50)
    assert state["reads_at_write"] == [50, 100, 150]
