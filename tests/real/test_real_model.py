"""`summarize run` against a real model server: no run stops, and every output invariant holds.

Five papers of the sample page, with only OPENAI_BASE_URL, OPENAI_API_KEY and --model set, as a user would.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agent.engines.grounding import mentioned
from agent.sources.files import iter_source
from tests.real.conftest import BASE_URL, MODEL

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "tests" / "data" / "hf_page_sample.txt"
N = 5



@pytest.fixture(scope="module", params=["extract.v2", "label.v1"])
def outcome(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(request.param)
    papers = [p for p in iter_source(str(SAMPLE))][:N]
    (out / "in.jsonl").write_text("".join(json.dumps({"title": p.title, "abstract": p.abstract}) + "\n" for p in papers))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZE_", "OPENAI_"))}
    env.update(OPENAI_BASE_URL=BASE_URL, OPENAI_API_KEY="local", SUMMARIZE_PROMPT=request.param)
    done = subprocess.run(
        [sys.executable, "-m", "agent", "run", str(out / "in.jsonl"), "--model", MODEL, "--db", str(out / "s.db"),
         "--out", str(out), "--json"],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=3600,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    records = [json.loads(line) for line in (out / "papers.jsonl").read_text().splitlines()]
    with (out / "claims.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    return done, report, records, rows


def test_the_run_finishes_with_every_record(outcome):
    done, report, records, _ = outcome
    assert done.returncode == 0, done.stderr[-2000:]
    assert report["engine"] == "llm" and len(records) == N and report["failed"] == 0


def test_no_ungrounded_claim_reaches_the_csv(outcome):
    rows = outcome[3]
    assert all(r["grounded"] == "true" for r in rows)


def test_hardware_and_model_scale_are_found_in_their_abstract(outcome):
    for r in outcome[2]:
        text = r["title"] + "\n" + r["abstract"]
        assert all(mentioned(h, text) for h in r["summary"]["hardware"]), r["summary"]["hardware"]
        assert all(mentioned(s, text) for s in r["summary"]["model_scale"]), r["summary"]["model_scale"]


def test_at_most_five_tags_and_tldrs_of_at_most_30_words(outcome):
    for r in outcome[2]:
        assert len(r["summary"]["tags"]) <= 5
        tldr = r["summary"]["tldr"]
        assert tldr and len(tldr.split()) <= 30 and "\n" not in tldr


def test_at_most_two_requests_per_paper_on_average(outcome):
    report = outcome[1]
    assert report["requests"] / N <= 2.0, report
