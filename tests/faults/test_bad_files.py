"""Deeply nested JSON and bytes that are not UTF-8, in every reader that meets them: files (`run`), the
Hugging Face API (`today`), batch results (`batch collect`) and request files (`batch submit`).

Each is one line naming the file and the line or record, the documented exit code, no traceback, and the
good records around the bad one still read.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.sources import files
from tests.batch.helpers import PAPERS, request_lines, result_line
from tests.faults.hostile_http import HostileServer, answer

runner = CliRunner()
GOOD = [{"title": f"Serve{i}", "abstract": f"Serve{i} improves throughput by up to {i + 1}.5x over vLLM."}
        for i in range(3)]
TOO_DEEP = "[" * 100_000 + "]" * 100_000  # past Python's recursion limit: json.loads raises RecursionError


def nested(levels: int) -> object:
    value: object = "x"
    for _ in range(levels - 1):
        value = [value]
    return value


def invoke(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def run(path: str):
    return invoke("run", path, "--engine", "rules", "--db", "s.db", "--out", "out")


def errors(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


def titles() -> list[str]:
    return [json.loads(line)["title"] for line in Path("out/papers.jsonl").read_text().splitlines()]


# -- JSON ------------------------------------------------------------------------------------------------


def test_a_jsonl_line_nested_too_deeply_costs_only_that_line():
    lines = [json.dumps(GOOD[0]), '{"title": "Deep", "abstract": "x", "extra": ' + TOO_DEEP + "}",
             json.dumps(GOOD[1]), json.dumps(GOOD[2])]
    Path("deep.jsonl").write_text("\n".join(lines) + "\n")
    result = run("deep.jsonl")
    assert result.exit_code == 2
    assert errors(result) == ["error: deep.jsonl:2: JSON nested too deeply to read"]
    assert titles() == ["Serve0", "Serve1", "Serve2"]


def test_a_first_jsonl_line_nested_too_deeply_costs_only_that_line():
    """A first line that does not end in "}" may begin a pretty-printed object: the file is tried whole first."""
    Path("deep.jsonl").write_text('{"title": "Deep", "x": ' + TOO_DEEP + "\n" + json.dumps(GOOD[0]) + "\n")
    result = run("deep.jsonl")
    assert result.exit_code == 2
    assert errors(result) == ["error: deep.jsonl:1: JSON nested too deeply to read"]
    assert titles() == ["Serve0"]


def test_a_record_nested_deeper_than_any_paper_is_refused_before_it_reaches_the_store():
    """900 levels parse, but saving or exporting them would overflow the stack further down."""
    record = GOOD[1] | {"title": "Deep extras", "extra": nested(900)}
    Path("mid.jsonl").write_text("\n".join(json.dumps(r) for r in (GOOD[0], record, GOOD[2])) + "\n")
    result = run("mid.jsonl")
    assert result.exit_code == 2
    assert errors(result) == ["error: mid.jsonl:2: the record nests more than 32 levels deep"]
    assert titles() == ["Serve0", "Serve2"]


def test_an_hf_record_with_deep_keywords_is_refused_and_the_rest_read():
    hf = {"paper": {"id": "2501.00009", "title": "Deep keywords", "summary": GOOD[0]["abstract"],
                    "ai_keywords": nested(500)}}
    Path("day.json").write_text(json.dumps([GOOD[0], hf, GOOD[1]]))
    result = run("day.json")
    assert result.exit_code == 2
    assert errors(result) == ["error: day.json: record 2: the record nests more than 32 levels deep"]
    assert titles() == ["Serve0", "Serve1"]


def test_an_item_of_a_json_list_nested_too_deeply_costs_only_that_item():
    deep_item = '{"title": "Deep", "abstract": "a \\"]]]\\" string", "x": ' + TOO_DEEP + "}"
    Path("list.json").write_text("[" + json.dumps(GOOD[0]) + ", " + deep_item + ", " + json.dumps(GOOD[1]) + "]")
    result = run("list.json")
    assert result.exit_code == 2
    assert errors(result) == ["error: list.json: record 2: JSON nested too deeply to read"]
    assert titles() == ["Serve0", "Serve1"]


def test_a_json_document_nested_too_deeply_outside_a_list_is_one_line():
    Path("obj.json").write_text('[{"papers": ' + TOO_DEEP + "}")  # unterminated as well as too deep
    result = run("obj.json")
    assert result.exit_code == 2
    assert len(errors(result)) == 1 and errors(result)[0].startswith("error: obj.json: invalid JSON")


def test_the_hf_api_with_an_item_nested_too_deeply_uses_the_others(monkeypatch):
    body = "[" + json.dumps({"paper": {"id": "2606.00001", "title": "Good", "summary": GOOD[0]["abstract"]}}) + \
           ", " + TOO_DEEP + "]"
    with HostileServer() as server:
        server.on("/api/daily_papers", answer(body.encode()))
        monkeypatch.setenv("HF_ENDPOINT", server.base_url)
        result = invoke("today", "--date", "2026-06-12", "--engine", "rules", "--db", "s.db", "--out", "out")
    assert result.exit_code == 1  # a listed item could not be used: exit 1, as for any unusable item
    assert "unusable: huggingface.co daily papers 2026-06-12: record 2: JSON nested too deeply to read" in result.stderr
    assert titles() == ["Good"]


def test_the_hf_api_answering_json_nested_too_deeply_is_one_line_exit_3(monkeypatch):
    with HostileServer() as server:
        server.on("/api/daily_papers", answer(('{"papers": ' + TOO_DEEP + "}").encode()))
        monkeypatch.setenv("HF_ENDPOINT", server.base_url)
        result = invoke("today", "--date", "2026-06-12", "--engine", "rules", "--db", "s.db")
    assert result.exit_code == 3
    assert errors(result) == [
        f"error: huggingface.co daily papers 2026-06-12: malformed JSON from {server.base_url}/api/daily_papers"
        "?date=2026-06-12 (JSON nested too deeply to read)"]


@pytest.fixture
def prepared() -> list[dict]:
    Path("papers.jsonl").write_text("".join(json.dumps(p) + "\n" for p in PAPERS))
    result = invoke("batch", "prepare", "papers.jsonl", "--out", "requests.jsonl", "--db", "s.db")
    assert result.exit_code == 0, result.output
    return request_lines(Path("requests-001.jsonl"))


def test_batch_collect_with_a_line_nested_too_deeply_stores_the_other_lines(prepared):
    lines = [result_line(prepared[0]), '{"custom_id": "x", "response": ' + TOO_DEEP + "}", result_line(prepared[1])]
    Path("results.jsonl").write_text("\n".join(lines) + "\n")
    result = invoke("batch", "collect", "--results", "results.jsonl", "--db", "s.db", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["stored"], report["failed"]) == (2, 1)
    assert report["failures"] == [{"custom_id": "results.jsonl:2", "reason": "JSON nested too deeply to read"}]


def test_batch_submit_of_a_request_file_nested_too_deeply_is_one_line_exit_2(prepared):
    Path("requests-bad.jsonl").write_text(json.dumps(prepared[0]) + "\n" + TOO_DEEP + "\n")
    result = invoke("batch", "submit", "requests-bad.jsonl", "--db", "s.db")
    assert result.exit_code == 2
    assert errors(result) == ["error: requests-bad.jsonl:2: not a batch request line (custom_id, body.model)"]


# -- bytes that are not UTF-8 ----------------------------------------------------------------------------


def csv_rows(n: int) -> list[bytes]:
    return [b"title,abstract"] + [f"Serve{i},Serve{i} improves throughput by up to {i}.5x over vLLM.".encode()
                                  for i in range(1, n)]


def test_a_csv_with_a_bad_byte_on_line_7_names_line_7_and_reads_the_other_rows():
    rows = csv_rows(10)
    rows[6] = rows[6].replace(b"Serve6,", b"Serve\xff6,")
    Path("bad.csv").write_bytes(b"\n".join(rows) + b"\n")
    result = run("bad.csv")
    assert result.exit_code == 2
    assert errors(result) == [
        "error: bad.csv:7: not UTF-8 text (byte 0xff at column 6); re-save the file as UTF-8 (this row is skipped)"]
    assert titles() == [f"Serve{i}" for i in (1, 2, 3, 4, 5, 7, 8, 9)]


def test_a_bad_byte_inside_a_quoted_cell_across_lines_costs_that_row_and_names_its_line():
    rows = csv_rows(5)
    rows[2] = b'Serve2,"Serve2 improves\nthroughput by up to 2.5x\xe9 over vLLM."'
    Path("multi.csv").write_bytes(b"\r\n".join(rows) + b"\r\n")
    result = run("multi.csv")
    assert result.exit_code == 2
    assert errors(result) == [
        "error: multi.csv:4: not UTF-8 text (byte 0xe9 at column 25); re-save the file as UTF-8 (this row is skipped)"]
    assert titles() == ["Serve1", "Serve3", "Serve4"]


def test_a_csv_header_that_is_not_utf8_stops_the_file_with_one_line():
    rows = csv_rows(3)
    rows[0] = b"title,abstract,caf\xe9"
    Path("head.csv").write_bytes(b"\n".join(rows) + b"\n")
    result = run("head.csv")
    assert result.exit_code == 2
    assert errors(result) == [
        "error: head.csv: line 1 (the header): not UTF-8 text (byte 0xe9 at column 19); re-save the file as UTF-8"]


def test_a_csv_in_latin1_throughout_reports_each_row():
    rows = [b"title,abstract"] + [f"Caf\xe9 {i},Caf\xe9 {i} is {i}.5x faster.".encode("latin-1") for i in range(1, 4)]
    Path("latin1.csv").write_bytes(b"\n".join(rows) + b"\n")
    result = run("latin1.csv")
    assert result.exit_code == 2
    assert [e.split(":")[2] for e in errors(result)] == ["2", "3", "4"]


# -- sizes -----------------------------------------------------------------------------------------------


@pytest.fixture
def small_limits(monkeypatch):
    """The readers' limits made small enough to cross in a test: 1 MiB a line, 2 MiB a whole document."""
    monkeypatch.setattr(files, "MAX_LINE", 2**20)
    monkeypatch.setattr(files, "MAX_DOCUMENT", 2 * 2**20)


def test_a_jsonl_line_longer_than_the_limit_is_skipped_unread_and_the_rest_read(small_limits):
    huge = json.dumps(GOOD[1] | {"title": "Huge", "abstract": "x" * (3 * 2**20)})
    Path("long.jsonl").write_text("\n".join([json.dumps(GOOD[0]), huge, json.dumps(GOOD[2])]) + "\n")
    result = run("long.jsonl")
    assert result.exit_code == 2
    assert errors(result) == ["error: long.jsonl:2: a line of over 1 MiB, more than any paper (skipped)"]
    assert titles() == ["Serve0", "Serve2"]


def test_a_csv_line_longer_than_the_limit_costs_its_row(small_limits):
    rows = csv_rows(4)
    rows[2] = b"Serve2," + b"y" * (3 * 2**20)
    Path("long.csv").write_bytes(b"\n".join(rows) + b"\n")
    result = run("long.csv")
    assert result.exit_code == 2
    assert errors(result) == ["error: long.csv:3: a line of over 1 MiB, more than any paper (this row is skipped)"]
    assert titles() == ["Serve1", "Serve3"]


@pytest.mark.parametrize(("name", "what"), [("big.json", "one JSON document"), ("page.txt", "a saved page")])
def test_a_document_read_whole_is_refused_past_the_limit(small_limits, data_dir, name, what):
    if name == "big.json":
        Path(name).write_text(json.dumps([GOOD[0] | {"abstract": "z" * (3 * 2**20)}]))
    else:
        page = (data_dir / "hf_page_sample.txt").read_text()
        Path(name).write_text(page * (3 * 2**20 // len(page) + 1))
    result = run(name)
    assert result.exit_code == 2
    assert errors(result) == [f"error: {name}: is over 2 MiB, too big to read whole as {what}; give the papers as "
                              "JSONL (one per line), which is read line by line"]


def test_no_escape_sequence_from_a_file_reaches_the_terminal():
    Path("esc.csv").write_bytes(b"title,\x1b]0;owned\x07notes\x1b[2J\nSomething,else\n")
    result = run("esc.csv")
    assert result.exit_code == 2
    assert errors(result) == ["error: esc.csv: CSV header has no abstract (or summary) column (columns: title,  ]0;owned "
                              "notes [2j)"]
