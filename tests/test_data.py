import json

import pytest

from cxnlp import DataError, Taxonomy
from cxnlp.train.data import load_training_data, parse_multi, records_to_training_data


def _csv(tmp_path, text):
    p = tmp_path / "d.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_csv_with_semicolon_lists(tmp_path):
    p = _csv(tmp_path, 'text,sentiment,themes,drivers\n"Slow, rude",negative,efficiency;emotion,unfriendly_service\n'
                       "Kiitos!,positive,,\n")
    data = load_training_data(p)
    assert data.texts == ["Slow, rude", "Kiitos!"]
    assert data.labels["themes"] == [["efficiency", "emotion"], []]
    Y = data.targets()
    assert Y["sentiment"].tolist() == [2, 0]
    assert Y["drivers"].sum() == 1


def test_jsonl_with_json_lists_and_subset_of_groups(tmp_path):
    p = tmp_path / "d.jsonl"
    p.write_text(json.dumps({"text": "Hyvä", "sentiment": "positive"}) + "\n", encoding="utf-8")
    data = load_training_data(p)
    assert data.taxonomy.group_names == ["sentiment"]


@pytest.mark.parametrize("value, expected", [
    (None, []), ("", []), ("a;b; a", ["a", "b"]), ('["a", "b"]', ["a", "b"]), (["x"], ["x"]),
])
def test_parse_multi(value, expected):
    assert parse_multi(value, 1, "themes") == expected


@pytest.mark.parametrize("rows, match", [
    ([{"txt": "a", "sentiment": "positive"}], r"row 1, field 'text': missing text column"),
    ([{"text": "a", "sentiment": "positive"}, {"text": "b", "sentiment": "angry"}], r"row 2, field 'sentiment': unknown label 'angry'"),
    ([{"text": 5, "sentiment": "positive"}], r"row 1, field 'text': expected a string, found int"),
    ([{"text": "  ", "sentiment": "positive"}], r"row 1, field 'text': empty text"),
    ([{"text": "a", "sentiment": "positive", "themes": ["speed"]}], r"field 'themes': unknown label 'speed'"),
    ([{"text": "a", "sentiment": "positive", "themes": 3}], r"field 'themes': expected a list"),
    ([{"text": "a", "sentiment": ""}], r"field 'sentiment': expected one label"),
    ([{"text": "a", "stars": 5}], r"no label columns"),
])
def test_validation_errors_name_row_and_field(rows, match):
    with pytest.raises(DataError, match=match):
        records_to_training_data(rows)


def test_file_errors_name_file_and_row(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"text": "ok", "sentiment": "positive"}\n{not json}\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"bad.jsonl, row 2: invalid JSON"):
        load_training_data(p)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("text,sentiment\nhyvä,positive\n".encode("latin-1"))
    with pytest.raises(DataError, match="not UTF-8"):
        load_training_data(latin)
    with pytest.raises(DataError, match="no such file"):
        load_training_data(tmp_path / "missing.csv")
    with pytest.raises(DataError, match="cannot tell the format"):
        load_training_data(tmp_path / "data.xlsx")


def test_own_label_columns_are_inferred(tmp_path):
    p = _csv(tmp_path, "text,urgency,topics\na,high,billing;app\nb,low,\nc,high,app\n")
    data = load_training_data(p, label_cols=["urgency", "topics"])
    assert data.taxonomy["urgency"].kind == "single" and data.taxonomy["urgency"].label_names == ("high", "low")
    assert data.taxonomy["topics"].kind == "multi" and data.taxonomy["topics"].label_names == ("app", "billing")


def test_explicit_taxonomy_is_enforced():
    tax = Taxonomy.from_dict({"groups": [{"name": "tone", "kind": "single", "labels": ["calm", "angry"]}]})
    with pytest.raises(DataError, match="unknown label 'happy'"):
        records_to_training_data([{"text": "x", "tone": "happy"}], taxonomy=tax)


def test_datasets_and_pandas_inputs_give_the_same_training_data(records):
    import datasets
    import pandas as pd

    from cxnlp.train.data import as_training_data

    rows = [{k: r[k] for k in ("text", "sentiment", "themes", "drivers")} for r in records[:20]]
    from_records = as_training_data(rows)
    from_dataset = as_training_data(datasets.Dataset.from_list(rows))
    from_frame = as_training_data(pd.DataFrame(rows))
    assert from_dataset.texts == from_records.texts == from_frame.texts
    assert from_dataset.labels == from_records.labels == from_frame.labels
    assert from_dataset.digest() == from_records.digest()


def test_parquet_training_file_with_list_columns(tmp_path, records):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [{k: r[k] for k in ("text", "sentiment", "themes", "drivers")} for r in records[:10]]
    path = tmp_path / "train.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    data = load_training_data(path)
    assert data.texts == [r["text"] for r in rows] and data.labels["themes"] == [r["themes"] for r in rows]
