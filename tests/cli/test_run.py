"""`summarize run` end to end on real files with the offline engine."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from agent.cli import app
from agent.exporters.claims_csv import HEADER
from agent.models import Record

runner = CliRunner()
SAMPLE_PAPERS = 54  # counted by hand on tests/data/hf_page_sample.txt


def run(*args: str):
    return runner.invoke(app, ["run", *args, "--db", "s.db"])


def test_sample_page_gives_one_record_per_paper(data_dir: Path):
    result = run(str(data_dir / "hf_page_sample.txt"), "--out", "out")
    assert result.exit_code == 0, result.output
    lines = Path("out/papers.jsonl").read_text().splitlines()
    assert len(lines) == SAMPLE_PAPERS


def test_records_follow_the_documented_schema(data_dir: Path):
    run(str(data_dir / "hf_page_sample.txt"), "--out", "out")
    for line in Path("out/papers.jsonl").read_text().splitlines():
        record = Record.model_validate_json(line)
        assert record.provenance.engine == "rules"
        raw = json.loads(line)
        assert {"id", "title", "abstract", "url", "summary", "provenance"} <= raw.keys()
        assert {"claims", "hardware", "tags", "tldr", "problem", "method", "model_scale"} <= raw["summary"].keys()


def test_claims_csv_rows_match_the_grounded_claims(data_dir: Path):
    run(str(data_dir / "hf_page_sample.txt"), "--out", "out")
    records = [Record.model_validate_json(l) for l in Path("out/papers.jsonl").read_text().splitlines()]
    with open("out/claims.csv", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == HEADER
        rows = list(reader)
    assert len(rows) == sum(c.grounded for r in records for c in r.summary.claims) > 0


def test_digest_links_every_paper(data_dir: Path):
    run(str(data_dir / "hf_page_sample.txt"), "--out", "out")
    digest = Path("out/digest.md").read_text()
    assert digest.count("](https://") == SAMPLE_PAPERS


def test_engine_choice_is_announced(data_dir: Path):
    result = run(str(data_dir / "hf_page_sample.txt"), "--out", "out")
    assert "engine: rules (no OPENAI_API_KEY or OPENAI_BASE_URL set" in result.stderr


def test_json_report_is_machine_readable(data_dir: Path):
    result = run(str(data_dir / "hf_page_sample.txt"), "--out", "out", "--json")
    report = json.loads(result.stdout)
    assert report["read"] == SAMPLE_PAPERS and report["summarised"] == SAMPLE_PAPERS and report["exit_code"] == 0


def test_second_run_reads_from_the_store(data_dir: Path):
    run(str(data_dir / "hf_page_sample.txt"), "--out", "out")
    report = json.loads(run(str(data_dir / "hf_page_sample.txt"), "--out", "out2", "--json").stdout)
    assert report["read"] == SAMPLE_PAPERS and report["summarised"] + report["cached"] == SAMPLE_PAPERS


def test_bad_file_among_good_ones_exits_2_and_keeps_the_good(data_dir: Path):
    Path("notes.txt").write_text("just some words\nthat are not papers\n")
    result = run("notes.txt", str(data_dir / "hf_page_sample.txt"), "--out", "out")
    assert result.exit_code == 2
    assert "notes.txt" in result.stderr and "Traceback" not in result.output
    assert len(Path("out/papers.jsonl").read_text().splitlines()) == SAMPLE_PAPERS


def test_missing_file_is_one_line_and_exit_2():
    result = run("does-not-exist.json", "--out", "out")
    assert result.exit_code == 2
    errors = [l for l in result.stderr.splitlines() if l.startswith("error:")]
    assert len(errors) == 1 and "does-not-exist.json" in errors[0]


def test_stdin_is_read_with_a_dash(data_dir: Path):
    line = json.dumps({"title": "Tiny", "abstract": "We make serving 2.5x faster than vLLM on NVIDIA A100 GPUs."})
    result = runner.invoke(app, ["run", "-", "--db", "s.db", "--out", "out", "--json"], input=line + "\n")
    assert json.loads(result.stdout)["summarised"] == 1
