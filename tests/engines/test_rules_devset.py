"""The rules engine against the hand-labelled dev set: fails when extraction quality regresses."""

from pathlib import Path

import pytest

from agent.evaluation import evaluate, load_papers, main

DATA = Path(__file__).resolve().parents[1] / "data"
LABELS = DATA / "devset" / "labels.jsonl"
PAGE = DATA / "hf_page_sample.txt"

pytestmark = pytest.mark.skipif(not LABELS.exists(), reason="dev-set labels not present")


@pytest.fixture(scope="module")
def report():
    return evaluate(LABELS, load_papers(PAGE)).as_dict()


def test_every_label_has_a_paper(report):
    assert report["unmatched_labels"] == [] and report["papers"] == 54


def test_claim_precision(report):
    assert report["claims"]["precision"] >= 0.97


def test_claim_recall(report):
    assert report["claims"]["recall"] >= 0.95


def test_hardware_f1(report):
    assert report["hardware"]["f1"] >= 0.95


def test_model_scale_f1(report):
    assert report["model_scale"]["f1"] >= 0.9


def test_tag_agreement(report):
    assert report["tags"]["jaccard_mean"] >= 0.65


def test_load_papers_reads_any_supported_format(tmp_path):
    jsonl = tmp_path / "p.jsonl"
    jsonl.write_text('{"id": "2401.00001", "title": "A Title", "abstract": "An abstract."}\n')
    [paper] = load_papers(jsonl)
    assert (paper.id, paper.title, paper.abstract) == ("2401.00001", "A Title", "An abstract.")
    assert len(load_papers(PAGE)) == 54


def test_labels_match_by_id_before_title(tmp_path):
    papers = tmp_path / "p.jsonl"
    papers.write_text('{"id": "2401.00001", "title": "Renamed Title", "abstract": "We propose Foo. Foo is 2x faster than Bar."}\n')
    labels = tmp_path / "l.jsonl"
    labels.write_text('{"id": "2401.00001", "title": "Original Title", "claims": [{"number": 2, "unit": "x", '
                      '"text": "2x faster"}], "hardware": [], "model_scale": [], "tags": []}\n')
    r = evaluate(labels, load_papers(papers)).as_dict()
    assert r["unmatched_labels"] == [] and r["claims"]["tp"] == 1


def test_command_line_takes_several_inputs(tmp_path, capsys):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text('{"title": "Paper A", "abstract": "We propose Foo. Foo is 2x faster than Bar."}\n')
    b.write_text('{"title": "Paper B", "abstract": "We propose Baz. Baz cuts latency by 40%."}\n')
    labels = tmp_path / "l.jsonl"
    labels.write_text('{"title": "Paper A", "claims": [{"number": 2, "unit": "x", "text": "2x faster"}]}\n'
                      '{"title": "Paper B", "claims": [{"number": 40, "unit": "%", "text": "by 40%"}]}\n')
    assert main([str(labels), "--input", str(a), "--input", str(b), "--json"]) == 0
    out = capsys.readouterr().out
    import json

    d = json.loads(out)
    assert d["papers"] == 2 and d["unmatched_labels"] == [] and d["claims"]["tp"] == 2


def test_evaluate_accepts_title_abstract_pairs(tmp_path):
    labels = tmp_path / "l.jsonl"
    labels.write_text('{"title": "T", "claims": [{"number": 2, "unit": "x", "text": "2x faster"}], '
                      '"hardware": [], "model_scale": [], "tags": []}\n')
    r = evaluate(labels, [("T", "We propose Foo. Foo is 2x faster than Bar.")]).as_dict()
    assert r["claims"]["tp"] == 1 and r["claims"]["fp"] == 0


def test_every_dev_claim_is_grounded():
    from agent.engines.grounding import ground_claim
    from agent.engines.rules import extract_claims

    for p in load_papers(PAGE):
        for c in extract_claims(p.abstract, p.title):
            assert ground_claim(p.abstract, c.text, c.number), (p.title, c)
