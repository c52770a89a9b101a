"""The rules engine against the hand-labelled dev set: fails when extraction quality regresses."""

from pathlib import Path

import pytest

from agent.evaluation import evaluate, papers_from_page, split_page

DATA = Path(__file__).resolve().parents[1] / "data"
LABELS = DATA / "devset" / "labels.jsonl"
PAGE = DATA / "hf_page_sample.txt"

pytestmark = pytest.mark.skipif(not LABELS.exists(), reason="dev-set labels not present")


@pytest.fixture(scope="module")
def report():
    return evaluate(LABELS, papers_from_page(PAGE)).as_dict()


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


def test_split_page_reads_title_and_abstract():
    pairs = split_page("chrome\n\nA Title\n\nAn abstract.\n\n  • 3 authors\n·\nMay 1, 2025\n")
    assert pairs == [("A Title", "An abstract.")]


def test_evaluate_accepts_title_abstract_pairs(tmp_path):
    labels = tmp_path / "l.jsonl"
    labels.write_text('{"title": "T", "claims": [{"number": 2, "unit": "x", "text": "2x faster"}], '
                      '"hardware": [], "model_scale": [], "tags": []}\n')
    r = evaluate(labels, [("T", "We propose Foo. Foo is 2x faster than Bar.")]).as_dict()
    assert r["claims"]["tp"] == 1 and r["claims"]["fp"] == 0


def test_every_dev_claim_is_grounded():
    from agent.engines.grounding import ground_claim
    from agent.engines.rules import extract_claims

    for p in papers_from_page(PAGE):
        for c in extract_claims(p.abstract, p.title):
            assert ground_claim(p.abstract, c.text, c.number), (p.title, c)
