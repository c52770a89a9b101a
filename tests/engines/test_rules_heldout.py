"""The rules engine end to end on the two held-out sets, read by the project's own reader.

These are regression guards, not targets: each floor sits a little under a measured score. holdout's
floors sit under its scores after the rules2 changes (it served as a second development set for general
patterns); holdout2's floors come from the numbers measured before any rule was changed on the rules2
branch (claims P=0.878 R=0.837 F1=0.857, hardware F1=0.600, tags Jaccard 0.319), since holdout2 is never
used to tune the rules. The second round of claim work (setup levels, conditions, prior values; kinds and
metrics from the words of the change) was tuned on tests/data/devset2 and raised holdout2 to claims P=0.954
R=0.954, kind 0.878, metric 0.902; the floors below were raised to sit under those.

devset2 (60 SciTLDR abstracts, a development set) has its own floors here too, under its measured scores
(claims P=0.979 R=0.958, kind 0.913, metric 0.913).
"""

from pathlib import Path

import pytest

from agent.evaluation import evaluate, load_papers

DATA = Path(__file__).resolve().parents[1] / "data"
HOLDOUT = DATA / "holdout"
HOLDOUT2 = DATA / "holdout2"
DEVSET2 = DATA / "devset2"


def _report(labels: Path, *inputs: Path) -> dict:
    if not labels.exists() or not all(p.exists() for p in inputs):
        pytest.skip("held-out data not present")
    return evaluate(labels, load_papers(*inputs)).as_dict()


@pytest.fixture(scope="module")
def holdout():
    return _report(HOLDOUT / "labels.jsonl", DATA / "hf_daily_2026-06-12.json", DATA / "hf_daily_2024-10-25.json")


@pytest.fixture(scope="module")
def holdout2():
    return _report(HOLDOUT2 / "labels.jsonl", HOLDOUT2 / "papers.jsonl")


def test_holdout_every_label_has_a_paper(holdout):
    assert holdout["unmatched_labels"] == [] and holdout["papers"] == 59


def test_holdout_floors(holdout):
    # before the rules2 changes: claims F1 0.778 (P 0.913, R 0.677), hardware F1 0.667, model scale F1 0.966,
    # tags Jaccard 0.374; after them (this set was used as a second development set): claims F1 0.941
    # (P 0.983, R 0.903), hardware F1 1.0 (4 items), model scale F1 1.0, tags Jaccard 0.526
    assert holdout["claims"]["f1"] >= 0.89
    assert holdout["claims"]["precision"] >= 0.93
    assert holdout["hardware"]["f1"] >= 0.85
    assert holdout["model_scale"]["f1"] >= 0.93
    assert holdout["tags"]["jaccard_mean"] >= 0.47


def test_holdout2_every_label_has_a_paper(holdout2):
    assert holdout2["unmatched_labels"] == [] and holdout2["papers"] == 50


def test_holdout2_floors(holdout2):
    assert holdout2["claims"]["f1"] >= 0.92
    assert holdout2["claims"]["precision"] >= 0.93
    assert holdout2["claims"]["recall"] >= 0.90
    assert holdout2["kind"]["accuracy"] >= 0.85
    assert holdout2["metric"]["accuracy"] >= 0.85
    assert holdout2["hardware"]["f1"] >= 0.5
    assert holdout2["tags"]["jaccard_mean"] >= 0.27


def test_holdout_kind_and_metric_floors(holdout):
    assert holdout["kind"]["accuracy"] >= 0.80
    assert holdout["metric"]["accuracy"] >= 0.88


@pytest.fixture(scope="module")
def devset2():
    return _report(DEVSET2 / "labels.jsonl", DEVSET2 / "papers.jsonl")


def test_devset2_floors(devset2):
    assert devset2["unmatched_labels"] == [] and devset2["papers"] == 60
    assert devset2["claims"]["precision"] >= 0.95
    assert devset2["claims"]["recall"] >= 0.93
    assert devset2["kind"]["accuracy"] >= 0.87
    assert devset2["metric"]["accuracy"] >= 0.85


@pytest.fixture(scope="module")
def holdout3():
    return _report(DATA / "holdout3" / "labels.jsonl", DATA / "holdout3" / "papers.jsonl")


def test_holdout3_floors(holdout3):
    # labelled blind after the second claims round and never read for rules: claims P 0.974 R 0.905 (the code
    # before that round: P 0.950 R 0.905), kind 32/38, metric 32/38 (before: 31/38 each). Its one hardware item
    # gives no hardware floor worth having.
    assert holdout3["unmatched_labels"] == [] and holdout3["papers"] == 50
    assert holdout3["claims"]["precision"] >= 0.95
    assert holdout3["claims"]["recall"] >= 0.88
    assert holdout3["kind"]["accuracy"] >= 0.80
    assert holdout3["metric"]["accuracy"] >= 0.80
