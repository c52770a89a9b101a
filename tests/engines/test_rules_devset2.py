"""Integrity of the second dev set (tests/data/devset2): every label has its paper, in order, and every claim is
well formed: its text is an exact span of the abstract, its kind and metric come from the vocabulary and its tags
from prompts/tags.toml. No score floor here: this checks the set, not the engine."""

import json
import tomllib
from pathlib import Path

import pytest

from agent.evaluation import load_papers, normalise_title
from agent.models import CLAIM_KINDS, METRICS

ROOT = Path(__file__).resolve().parents[2]
DIR = ROOT / "tests" / "data" / "devset2"
LABELS = DIR / "labels.jsonl"
PAPERS = DIR / "papers.jsonl"

pytestmark = pytest.mark.skipif(not LABELS.exists(), reason="devset2 labels not present")


@pytest.fixture(scope="module")
def labels():
    return [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def papers():
    """The raw records: claim texts are spans of the abstract as stored (line breaks and backslashes kept)."""
    return [json.loads(line) for line in PAPERS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_label_has_its_paper_in_order(labels, papers):
    assert len(labels) == len(papers) == 60
    assert [(lab["id"], lab["title"]) for lab in labels] == [(p["id"], p["title"]) for p in papers]
    assert len({lab["id"] for lab in labels}) == 60


def test_the_evaluation_reads_every_paper(labels):
    loaded = load_papers(PAPERS)
    assert [p.source_id for p in loaded] == [lab["id"] for lab in labels]
    assert [normalise_title(p.title) for p in loaded] == [normalise_title(lab["title"]) for lab in labels]


def test_labels_have_the_keys(labels):
    for lab in labels:
        assert set(lab) == {"id", "title", "claims", "hardware", "model_scale", "tags"}, lab["id"]
        for claim in lab["claims"]:
            assert set(claim) == {"number", "low", "unit", "text", "kind", "metric"}, (lab["id"], claim)


def test_every_claim_text_is_a_span_of_its_abstract(labels, papers):
    by_id = {p["id"]: p["abstract"] for p in papers}
    for lab in labels:
        for claim in lab["claims"]:
            assert claim["text"] and claim["text"] in by_id[lab["id"]], (lab["id"], claim["text"])


def test_claim_fields_are_in_the_vocabulary(labels):
    for lab in labels:
        for claim in lab["claims"]:
            assert claim["kind"] in CLAIM_KINDS and claim["metric"] in METRICS, (lab["id"], claim)
            assert isinstance(claim["number"], int | float) and claim["unit"], (lab["id"], claim)
            assert claim["low"] is None or claim["low"] < claim["number"], (lab["id"], claim)


def test_tags_come_from_the_taxonomy(labels):
    known = set(tomllib.loads((ROOT / "prompts" / "tags.toml").read_text(encoding="utf-8"))["tags"])
    for lab in labels:
        assert 1 <= len(lab["tags"]) <= 4 and set(lab["tags"]) <= known, (lab["id"], lab["tags"])
        assert len(set(lab["tags"])) == len(lab["tags"]), lab["id"]
