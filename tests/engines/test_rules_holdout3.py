"""The third held-out set (tests/data/holdout3) is the one select.py draws, and shares no paper with holdout2 or
devset2. (Its labels' integrity is checked with the other SciTLDR sets in test_label_sets.py.) It checks the set,
never the engine: there is no score floor, this set only measures."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
HERE = DATA / "holdout3"
pytestmark = pytest.mark.skipif(not (HERE / "labels.jsonl").exists(), reason="holdout3 labels not present")


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


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
