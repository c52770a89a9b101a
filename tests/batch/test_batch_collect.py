"""`batch collect --results FILE`: a vLLM run_batch (or downloaded Batch API) results file into the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.engines.rules import RulesEngine
from agent.models import Paper
from agent.store import Store
from tests.batch.helpers import PAPERS, cli, good_answer, request_lines, result_line

INTERNAL_ERROR = {"error": {"message": "The server had an error", "type": "server_error", "param": None, "code": None}}


@pytest.fixture
def prepared(papers_file) -> list[dict]:
    result = cli("prepare", str(papers_file), "--out", "requests.jsonl", "--db", "s.db")
    assert result.exit_code == 0, result.output
    return request_lines(Path("requests-001.jsonl"))


def mixed_results(lines: list[dict]) -> str:
    """Paper 1 good; 2 a 60-word TL;DR and an invented claim; 3 HTTP 500; 4 an error object; 5 broken JSON."""
    long_tldr = good_answer(lines[1]) | {"tldr": " ".join(["word"] * 60)}
    long_tldr["claims"] = long_tldr["claims"] + [
        {"text": "ShardKV is 9x faster than everything", "number": 9, "low": None, "unit": "x",
         "qualifier": None, "metric": None, "baseline": None}]
    rows = [
        result_line(lines[0]),
        result_line(lines[1], json.dumps(long_tldr)),
        result_line(lines[2], status=500, body=INTERNAL_ERROR),
        result_line(lines[3], error={"code": "batch_expired", "message": "not executed in time"}),
        result_line(lines[4], '{"problem": "cut in the middle'),
    ]
    return "\n".join(rows) + "\n"


def collect(path: str = "results.jsonl", *extra: str) -> tuple[int, dict]:
    result = cli("collect", "--results", path, "--db", "s.db", "--json", *extra)
    return result.exit_code, json.loads(result.stdout)


def summaries() -> int:
    with Store("s.db") as store:
        return store.count("summaries")


def test_good_lenient_and_failed_lines_are_counted_by_kind(prepared):
    Path("results.jsonl").write_text(mixed_results(prepared))
    code, report = collect()
    assert code == 1
    assert report["lines"] == 5 and report["stored"] == 2 and report["lenient"] == 1 and report["failed"] == 3
    assert report["failed_by"] == {"http_error": 1, "error": 1, "invalid": 1}
    reasons = {f["custom_id"]: f["reason"] for f in report["failures"]}
    assert reasons[PAPERS[2]["id"]].startswith("HTTP 500: The server had an error")
    assert "batch_expired" in reasons[PAPERS[3]["id"]]
    assert "does not fit the schema" in reasons[PAPERS[4]["id"]]


def test_lenient_pass_replaces_the_long_tldr_and_keeps_the_invented_claim_ungrounded(prepared):
    Path("results.jsonl").write_text(mixed_results(prepared))
    collect()
    with Store("s.db") as store:
        record = store.record(PAPERS[1]["id"])
    # a TL;DR over 30 words is not cut mid-clause: the rules engine's stands in
    assert record.summary.tldr and len(record.summary.tldr.split()) <= 30
    assert record.summary.tldr == RulesEngine().extract(Paper(**{**PAPERS[1], "source": "file"})).tldr
    invented = [c for c in record.summary.claims if c.number == 9]
    assert len(invented) == 1 and invented[0].grounded is False
    assert any(c.grounded for c in record.summary.claims)


def test_stored_results_carry_llm_provenance_and_batch_usage(prepared):
    Path("results.jsonl").write_text(result_line(prepared[0]) + "\n")
    code, report = collect()
    with Store("s.db") as store:
        record = store.record(PAPERS[0]["id"])
    assert code == 0 and report["stored"] == 1
    assert record.provenance.engine == "llm" and record.provenance.model == "gpt-4o-mini"
    assert record.provenance.prompt_version == "extract.v2"
    assert record.provenance.usage.requests == 1 and record.provenance.usage.input_tokens > 0
    assert record.summary.claims and all(c.grounded for c in record.summary.claims)


def test_collecting_twice_stores_nothing_twice(prepared):
    Path("results.jsonl").write_text(mixed_results(prepared))
    collect()
    before = summaries()
    code, report = collect()
    assert summaries() == before == 2
    assert report["already_stored"] == 2 and report["stored"] == 0


def test_failed_papers_are_recorded_and_prepared_again(prepared, papers_file):
    Path("results.jsonl").write_text(mixed_results(prepared))
    collect()
    with Store("s.db") as store:
        failed = {f["paper_id"] for f in store.failures()}
    assert failed == {PAPERS[i]["id"] for i in (2, 3, 4)}
    again = json.loads(cli("prepare", str(papers_file), "--out", "again.jsonl", "--db", "s.db", "--json").stdout)
    assert again["prepared"] == 3 and again["cached"] == 2
    assert {l["custom_id"] for l in request_lines(Path("again-001.jsonl"))} == failed


def test_a_later_good_answer_clears_the_failure(prepared):
    Path("bad.jsonl").write_text(result_line(prepared[2], status=500, body=INTERNAL_ERROR) + "\n")
    Path("good.jsonl").write_text(result_line(prepared[2]) + "\n")
    collect("bad.jsonl")
    code, report = collect("good.jsonl")
    with Store("s.db") as store:
        assert code == 0 and report["stored"] == 1 and store.failures() == []


def test_unknown_custom_ids_are_reported_and_store_nothing(prepared):
    stranger = dict(prepared[0], custom_id="2599.99999")
    Path("results.jsonl").write_text(result_line(stranger) + "\nnot json at all\n")
    code, report = collect()
    assert code == 1 and summaries() == 0
    assert report["failed_by"] == {"unknown_custom_id": 1, "unreadable": 1}


def test_an_abstract_changed_since_prepare_is_not_stored(prepared, tmp_path):
    changed = [dict(PAPERS[0], abstract=PAPERS[0]["abstract"] + " It also scales to 64 GPUs.")]
    newer = tmp_path / "newer.jsonl"
    newer.write_text(json.dumps(changed[0]) + "\n")
    cli("prepare", str(newer), "--out", "other.jsonl", "--db", "s.db")  # the store now has the new abstract
    Path("results.jsonl").write_text(result_line(prepared[0]) + "\n")  # an answer to the old one
    code, report = collect()
    assert report["failed_by"] == {"changed": 1} and summaries() == 0


def test_a_paper_prepared_for_two_models_needs_model_to_collect(prepared, papers_file):
    cli("prepare", str(papers_file), "--out", "big.jsonl", "--db", "s.db", "--model", "gpt-4o")
    Path("results.jsonl").write_text(result_line(prepared[0]) + "\n")
    _, ambiguous = collect()
    code, report = collect("results.jsonl", "--model", "gpt-4o-mini")
    assert ambiguous["failed_by"] == {"ambiguous": 1}
    assert code == 0 and report["stored"] == 1


def test_the_text_report_names_each_failure_and_the_lenient_lines(prepared):
    Path("results.jsonl").write_text(mixed_results(prepared))
    result = cli("collect", "--results", "results.jsonl", "--db", "s.db")
    assert f"failed: {PAPERS[2]['id']}: HTTP 500" in result.stderr
    assert f"lenient: {PAPERS[1]['id']}: kept after the lenient pass" in result.stderr
    assert "5 lines, 2 stored (1 after the lenient pass), 0 already stored, 3 failed" in result.stderr


def test_an_abstract_updated_in_the_store_after_prepare_is_not_stored(prepared):
    with Store("s.db") as store:
        old = store.get_paper(PAPERS[0]["id"])
        store.upsert_paper(Paper(**(old.model_dump() | {"abstract": old.abstract + " Now also on TPUs."})))
    Path("results.jsonl").write_text(result_line(prepared[0]) + "\n")
    code, report = collect()
    assert code == 1 and report["failed_by"] == {"changed": 1} and summaries() == 0
