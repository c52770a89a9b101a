"""Integrity of the hand-labelled SciTLDR sets (tests/data/devset2, devset3, holdout3): every label has its paper,
in order, and every claim is well formed: its text is an exact span of the abstract as stored (line breaks and
backslashes kept), its kind and metric come from the vocabulary and its tags from prompts/tags.toml. No score
floor here: this checks the sets, not the engine."""

import json
import tomllib
from pathlib import Path

import pytest

from agent.evaluation import load_papers, normalise_title
from agent.models import CLAIM_KINDS, METRICS

ROOT = Path(__file__).resolve().parents[2]
SETS = {"devset2": 60, "devset3": 47, "holdout3": 50}  # folder -> number of papers


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module", params=sorted(SETS))
def folder(request) -> Path:
    return ROOT / "tests" / "data" / request.param


@pytest.fixture(scope="module")
def labels(folder) -> list[dict]:
    return _rows(folder / "labels.jsonl")


@pytest.fixture(scope="module")
def papers(folder) -> list[dict]:
    return _rows(folder / "papers.jsonl")


def test_every_label_has_its_paper_in_order(folder, labels, papers):
    size = SETS[folder.name]
    assert len(labels) == len(papers) == size
    assert [(lab["id"], lab["title"]) for lab in labels] == [(p["id"], p["title"]) for p in papers]
    assert len({lab["id"] for lab in labels}) == size


def test_the_evaluation_reads_every_paper(folder, labels):
    loaded = load_papers(folder / "papers.jsonl")
    assert [p.source_id for p in loaded] == [lab["id"] for lab in labels]
    assert [normalise_title(p.title) for p in loaded] == [normalise_title(lab["title"]) for lab in labels]


def test_labels_and_claims_have_exactly_the_keys(labels):
    for lab in labels:
        assert set(lab) == {"id", "title", "claims", "hardware", "model_scale", "tags"}, lab["id"]
        assert all(isinstance(h, str) and h for h in lab["hardware"] + lab["model_scale"]), lab["id"]
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
            assert isinstance(claim["number"], int | float) and not isinstance(claim["number"], bool)
            assert isinstance(claim["unit"], str) and claim["unit"], (lab["id"], claim)
            assert claim["low"] is None or claim["low"] < claim["number"], (lab["id"], claim)


def test_tags_come_from_the_taxonomy(labels):
    known = set(tomllib.loads((ROOT / "prompts" / "tags.toml").read_text(encoding="utf-8"))["tags"])
    for lab in labels:
        assert 1 <= len(lab["tags"]) <= 4 and set(lab["tags"]) <= known, (lab["id"], lab["tags"])
        assert len(set(lab["tags"])) == len(lab["tags"]), lab["id"]
