from __future__ import annotations

import csv
import io
import json

import pytest

from agent.exporters.atomic import atomic_write
from agent.exporters.claims_csv import HEADER, safe_cell, write_claims_csv
from agent.exporters.digest import write_digest
from agent.exporters.jsonl import write_jsonl
from agent.models import Claim, Paper, Provenance, Record, Summary


def record(pid="2401.00001", tags=("inference",), claims=None) -> Record:
    p = Paper(id=pid, title=f"Paper {pid}", abstract="It is 3x faster than vLLM.", source="file",
              url=f"https://arxiv.org/abs/{pid}")
    s = Summary(claims=claims if claims is not None else [Claim(text="3x faster than vLLM", number=3, unit="x", baseline="vLLM")],
                hardware=["NVIDIA A100", "NVLink"], tags=list(tags), tldr="It is fast.")
    return Record.of(p, s, Provenance(engine="rules"))


def test_claims_csv_header_is_stable():
    assert HEADER == [
        "paper_id", "title", "url", "published", "claim_text", "number", "low", "unit", "qualifier",
        "metric", "baseline", "grounded", "hardware", "model_scale", "tags", "engine", "model",
        "source_id", "arxiv_url", "pdf_url", "code_url", "project_url", "kind",
    ]


def test_claims_csv_has_one_row_per_claim_with_hardware_joined():
    out = io.StringIO()
    write_claims_csv([record()], out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == 1
    assert rows[0]["number"] == "3" and rows[0]["hardware"] == "NVIDIA A100; NVLink"


def test_ungrounded_claims_are_left_out_unless_asked():
    claims = [Claim(text="3x", number=3, unit="x"), Claim(text="9x", number=9, unit="x", grounded=False)]
    out = io.StringIO()
    assert write_claims_csv([record(claims=claims)], out) == 1
    assert write_claims_csv([record(claims=claims)], io.StringIO(), include_ungrounded=True) == 2


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)"])
def test_formula_cells_are_neutralised(cell):
    assert safe_cell(cell).startswith("'")


def test_plain_cells_are_untouched():
    assert safe_cell("vLLM") == "vLLM" and safe_cell(2.5) == "2.5" and safe_cell(None) == ""


def test_jsonl_round_trips_to_records():
    out = io.StringIO()
    write_jsonl([record("1"), record("2")], out)
    lines = out.getvalue().splitlines()
    assert [Record.model_validate_json(l).id for l in lines] == ["1", "2"]
    assert json.loads(lines[0])["summary"]["claims"][0]["unit"] == "x"


def test_digest_groups_by_main_tag_and_links_papers():
    out = io.StringIO()
    write_digest([record("1", ("training",)), record("2", ("inference",)), record("3", ())], out)
    text = out.getvalue()
    assert "## training (1)" in text and "## inference (1)" in text and "## other (1)" in text
    assert "[Paper 1](https://arxiv.org/abs/1)" in text and "**3x faster than vLLM**" in text


def test_atomic_write_leaves_no_file_when_interrupted(tmp_path):
    target = tmp_path / "claims.csv"
    with pytest.raises(RuntimeError):
        with atomic_write(target) as fh:
            fh.write("half")
            raise RuntimeError("crash")
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_replaces_the_old_file_whole(tmp_path):
    target = tmp_path / "x.txt"
    target.write_text("old")
    with atomic_write(target) as fh:
        fh.write("new")
    assert target.read_text() == "new"


def test_digest_bolds_the_headline_inside_the_tldr_once():
    r = record("1")
    r.summary.tldr = "Ours is 3x faster than vLLM on A100."
    out = io.StringIO()
    write_digest([r], out)
    assert out.getvalue().count("3x faster than vLLM") == 1 and "**3x faster than vLLM**" in out.getvalue()

def test_atomic_write_gives_a_new_file_the_usual_permissions(tmp_path):
    import os

    umask = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "feed.atom") as fh:
            fh.write("x")
    finally:
        os.umask(umask)
    assert (tmp_path / "feed.atom").stat().st_mode & 0o777 == 0o644


def test_atomic_write_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    target = tmp_path / "page.html"
    target.write_text("old")
    target.chmod(0o640)
    with atomic_write(target) as fh:
        fh.write("new")
    assert target.stat().st_mode & 0o777 == 0o640


def test_large_numbers_keep_every_digit_in_the_csv():
    out = io.StringIO()
    write_claims_csv([record(claims=[Claim(text="1,234,567 tokens/s", number=1234567, unit="tokens/s")])], out)
    assert list(csv.DictReader(io.StringIO(out.getvalue())))[0]["number"] == "1234567"


def test_digest_never_links_an_unsafe_url():
    r = record("1")
    r.url = "javascript:alert(1)"
    out = io.StringIO()
    write_digest([r], out)
    assert "javascript:" not in out.getvalue()
