"""Integrity of the third held-out set (tests/data/holdout3). It checks the set, never the engine: the papers are
the ones select.py draws, none is shared with holdout2 or devset2, every label belongs to its paper in the same
order, and every claim is well formed (an exact span of the raw abstract, kind and metric from the vocabulary,
tags from prompts/tags.toml). There is no score floor: this set only measures."""

import importlib.util
import json
import tomllib
from pathlib import Path

import pytest

from agent.evaluation import load_papers, normalise_title
from agent.models import CLAIM_KINDS, METRICS

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
HERE = DATA / "holdout3"
SIZE = 50

pytestmark = pytest.mark.skipif(not (HERE / "labels.jsonl").exists(), reason="holdout3 labels not present")


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def labels() -> list[dict]:
    return _rows(HERE / "labels.jsonl")


@pytest.fixture(scope="module")
def papers() -> list[dict]:
    """The stored records: claim texts are spans of these abstracts, line breaks and backslashes included."""
    return _rows(HERE / "papers.jsonl")


def test_the_papers_are_the_ones_the_script_draws(papers):
    spec = importlib.util.spec_from_file_location("holdout3_select", HERE / "select.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    _, _, drawn = module.choose()
    assert drawn == papers


def test_no_paper_is_shared_with_the_other_scitldr_sets(papers):
    def key(title: str) -> str:
        return " ".join(title.split()).casefold()

    for other in ("holdout2", "devset2"):
        used = _rows(DATA / other / "labels.jsonl")
        assert not {p["id"] for p in papers} & {u["id"] for u in used}, other
        assert not {key(p["title"]) for p in papers} & {key(u["title"]) for u in used}, other


def test_every_label_has_its_paper_in_order(labels, papers):
    assert len(labels) == len(papers) == SIZE
    assert [(lab["id"], lab["title"]) for lab in labels] == [(p["id"], p["title"]) for p in papers]
    assert len({lab["id"] for lab in labels}) == SIZE


def test_the_evaluation_loads_every_paper(labels):
    loaded = load_papers(HERE / "papers.jsonl")
    assert [p.source_id for p in loaded] == [lab["id"] for lab in labels]
    assert [normalise_title(p.title) for p in loaded] == [normalise_title(lab["title"]) for lab in labels]


def test_labels_and_claims_have_exactly_the_keys(labels):
    for lab in labels:
        assert set(lab) == {"id", "title", "claims", "hardware", "model_scale", "tags"}, lab["id"]
        assert all(isinstance(h, str) and h for h in lab["hardware"] + lab["model_scale"]), lab["id"]
        for claim in lab["claims"]:
            assert set(claim) == {"number", "low", "unit", "text", "kind", "metric"}, (lab["id"], claim)


def test_claim_texts_are_exact_spans_of_the_abstract(labels, papers):
    abstracts = {p["id"]: p["abstract"] for p in papers}
    for lab in labels:
        for claim in lab["claims"]:
            assert claim["text"] and claim["text"] in abstracts[lab["id"]], (lab["id"], claim["text"])


def test_claim_fields_are_well_formed(labels):
    for lab in labels:
        for claim in lab["claims"]:
            assert claim["kind"] in CLAIM_KINDS, (lab["id"], claim)
            assert claim["metric"] in METRICS, (lab["id"], claim)
            assert isinstance(claim["number"], int | float) and not isinstance(claim["number"], bool)
            assert isinstance(claim["unit"], str) and claim["unit"], (lab["id"], claim)
            assert claim["low"] is None or claim["low"] < claim["number"], (lab["id"], claim)


def test_tags_come_from_the_taxonomy(labels):
    taxonomy = set(tomllib.loads((ROOT / "prompts" / "tags.toml").read_text(encoding="utf-8"))["tags"])
    for lab in labels:
        assert 1 <= len(lab["tags"]) <= 4, lab["id"]
        assert len(set(lab["tags"])) == len(lab["tags"]), lab["id"]
        assert set(lab["tags"]) <= taxonomy, (lab["id"], lab["tags"])
