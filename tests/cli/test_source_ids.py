"""The source's own id (an OpenReview id, say) survives a run: papers.jsonl, claims.csv, `show` and `find`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from agent.cli import app

runner = CliRunner()

OPENREVIEW = [
    {"id": "SJ1Xmf-Rb", "title": "Faster Sparse Training", "abstract": "Our method trains 3x faster than dense SGD."},
    {"id": "HkxYzq2Ab", "title": "Quantised Serving", "abstract": "With 4-bit weights, our server achieves a 2x speedup over vLLM."},
]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def run(*args: str):
    return runner.invoke(app, ["run", *args, "--engine", "rules", "--db", "s.db", "--out", "out"])


def test_a_jsonl_id_that_is_not_arxiv_comes_back_in_papers_jsonl_and_the_csv(tmp_path):
    assert run(str(write_jsonl(tmp_path / "in.jsonl", OPENREVIEW))).exit_code == 0
    records = [json.loads(line) for line in Path("out/papers.jsonl").read_text().splitlines()]
    assert [r["source_id"] for r in records] == ["SJ1Xmf-Rb", "HkxYzq2Ab"]
    assert all(r["id"].startswith("title:") for r in records)  # our identity is unchanged
    rows = list(csv.DictReader(Path("out/claims.csv").open()))
    assert {r["source_id"] for r in rows} == {"SJ1Xmf-Rb", "HkxYzq2Ab"}


def test_show_finds_a_paper_by_its_source_id(tmp_path):
    run(str(write_jsonl(tmp_path / "in.jsonl", OPENREVIEW)))
    result = runner.invoke(app, ["show", "SJ1Xmf-Rb", "--db", "s.db"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Faster Sparse Training") and "source id    SJ1Xmf-Rb" in result.stdout
    raw = json.loads(runner.invoke(app, ["show", "SJ1Xmf-Rb", "--db", "s.db", "--json"]).stdout)
    assert raw["source_id"] == "SJ1Xmf-Rb"


def test_of_two_records_with_one_title_the_run_says_which_was_kept(tmp_path):
    twice = [OPENREVIEW[0], {**OPENREVIEW[0], "id": "rkDupl1cate"}]
    result = run(str(write_jsonl(tmp_path / "in.jsonl", twice)))
    assert result.exit_code == 0
    kept_id = json.loads(Path("out/papers.jsonl").read_text())["id"]
    assert (f"duplicate: rkDupl1cate ({kept_id}) is the same paper as SJ1Xmf-Rb ({kept_id}), read earlier; "
            f"kept SJ1Xmf-Rb") in result.stderr
    assert "1 duplicates ignored" in result.stderr


def test_every_openreview_id_of_scitldr_is_kept(data_dir):
    source = data_dir / "holdout2" / "papers.jsonl"
    given = [json.loads(line)["id"] for line in source.read_text().splitlines()]
    assert run(str(source)).exit_code == 0
    kept = [json.loads(line)["source_id"] for line in Path("out/papers.jsonl").read_text().splitlines()]
    assert kept == given and len(kept) == 50
