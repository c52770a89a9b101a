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
    assert report["read"] == SAMPLE_PAPERS and report["cached"] == SAMPLE_PAPERS and report["summarised"] == 0


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


def test_same_paper_under_a_title_id_and_an_arxiv_id_is_written_once(data_dir: Path):
    first = (data_dir / "hf_page_sample.txt").read_text().split("\n\n")[6].strip()  # the first title
    Path("ids.jsonl").write_text(json.dumps({"id": "2505.24034", "title": first, "abstract": "We get 2x."}) + "\n")
    report = json.loads(run(str(data_dir / "hf_page_sample.txt"), "ids.jsonl", "--out", "out", "--json").stdout)
    assert report["duplicates"] == 1
    assert len(Path("out/papers.jsonl").read_text().splitlines()) == SAMPLE_PAPERS


def test_a_run_with_no_papers_leaves_earlier_outputs_alone(data_dir: Path):
    run(str(data_dir / "hf_page_sample.txt"), "--out", "out")
    Path("empty.json").write_text("[]")
    result = run("empty.json", "--out", "out")
    assert result.exit_code == 2
    assert len(Path("out/papers.jsonl").read_text().splitlines()) == SAMPLE_PAPERS


def test_out_that_is_a_file_is_one_line_and_exit_2(data_dir: Path):
    Path("afile").write_text("x")
    result = run(str(data_dir / "hf_page_sample.txt"), "--out", "afile")
    assert result.exit_code == 2 and "afile" in result.stderr and "Traceback" not in result.output


def test_request_limit_does_not_apply_to_the_offline_engine(data_dir: Path):
    report = json.loads(run(str(data_dir / "hf_page_sample.txt"), "--out", "out", "--engine", "rules",
                            "--max-requests", "0", "--json").stdout)
    assert report["summarised"] == SAMPLE_PAPERS and report["skipped"] == 0


def test_an_edited_taxonomy_is_used_on_the_next_run(data_dir: Path, monkeypatch):

    custom = Path("prompts")
    custom.mkdir()
    (custom / "tags.toml").write_text('version = "1"\n[tags.rl]\ndescription = "RL"\nkeywords = ["reinforcement"]\n')
    monkeypatch.setenv("SUMMARIZE_PROMPTS_DIR", str(custom))
    run(str(data_dir / "hf_page_sample.txt"), "--out", "out")
    (custom / "tags.toml").write_text('version = "1"\n[tags.rl-new]\ndescription = "RL"\nkeywords = ["reinforcement"]\n')
    run(str(data_dir / "hf_page_sample.txt"), "--out", "out2")
    first = json.loads(Path("out2/papers.jsonl").read_text().splitlines()[0])
    assert first["summary"]["tags"] == ["rl-new"]
