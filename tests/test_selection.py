from __future__ import annotations

from agent.models import Claim, Paper, Provenance, Record, Summary
from agent.selection import (headline, is_speedup, largest_speedups, main_tag, source_summary, tag_counts, with_claims,
                             with_min_speedup)


def rec(pid: str, claims: list[Claim], tags: list[str] | None = None) -> Record:
    return Record.of(Paper(id=pid, title=pid, abstract="a", source="file"),
                     Summary(claims=claims, tags=tags or []), Provenance(engine="rules"))


def x(n: float, grounded: bool = True) -> Claim:
    return Claim(text=f"{n}x", number=n, unit="x", grounded=grounded)


def test_only_grounded_positive_multipliers_are_speedups():
    pct = Claim(text="5%", number=5, unit="%")
    assert [is_speedup(c) for c in (x(2), x(2, grounded=False), x(0), pct)] == [True, False, False, False]


def test_min_speedup_keeps_papers_with_a_large_enough_grounded_speedup():
    records = [rec("a", [x(3)]), rec("b", [x(1.5), x(9, grounded=False)]), rec("c", [])]
    assert [r.id for r in with_min_speedup(records, 2)] == ["a"]


def test_no_minimum_keeps_every_paper():
    assert len(list(with_min_speedup([rec("a", []), rec("b", [x(2)])], None))) == 2


def test_untagged_papers_are_filed_under_other():
    assert main_tag(rec("a", [])) == "other" and main_tag(rec("b", [], ["training", "rl"])) == "training"


def test_tag_counts_count_a_paper_under_each_tag():
    counts = tag_counts([rec("a", [], ["inference", "kernels"]), rec("b", [], ["inference"]), rec("c", [])])
    assert counts == {"inference": 2, "kernels": 1, "other": 1}


def test_largest_speedups_are_one_per_paper_largest_first():
    top = largest_speedups([rec("a", [x(3), x(12)]), rec("b", [x(20, grounded=False), x(4)])])
    assert [(r.id, c.number) for r, c in top] == [("a", 12), ("b", 4)]


def test_a_multiplier_of_another_kind_is_not_a_speedup():
    longer = Claim(text="2-19x longer context", number=19, low=2, unit="x", kind="scale", metric="context length")
    less = Claim(text="28.4x less attention compute", number=28.4, unit="x", kind="reduction", metric="compute")
    faster = Claim(text="3x faster", number=3, unit="x", kind="speedup", metric="speed")
    assert [is_speedup(c) for c in (longer, less, faster)] == [False, False, True]
    assert [r.id for r in with_min_speedup([rec("a", [longer, less]), rec("b", [faster])], 2)] == ["b"]


def test_with_claims_keeps_papers_with_a_matching_claim_and_only_those_claims():
    mem = Claim(text="40% less memory", number=40, unit="%", kind="reduction", metric="memory")
    fast = Claim(text="3x faster", number=3, unit="x", kind="speedup", metric="speed")
    out = list(with_claims([rec("a", [mem, fast]), rec("b", [fast])], kind="reduction"))
    assert [(r.id, [c.text for c in r.summary.claims]) for r in out] == [("a", ["40% less memory"])]
    assert [r.id for r in with_claims([rec("a", [mem, fast]), rec("b", [fast])], metric="speed")] == ["a", "b"]


def test_the_sources_own_summary_is_labelled_as_hugging_faces():
    r = Record.of(Paper(id="a", title="t", abstract="a", source="hf-api", source_extras={"hf_ai_summary": " Theirs. "}),
                  Summary(tldr="Ours."), Provenance(engine="rules"))
    assert source_summary(r) == ("Hugging Face's AI summary", "Theirs.")
    assert r.summary.tldr_source == "rules"


def test_a_deficit_is_never_the_headline():
    deficit = Claim(text="1.4x lower IPW than cloud accelerators", number=1.4, unit="x", kind="reduction",
                    metric="efficiency", baseline="cloud accelerators")
    gain = Claim(text="IPW improved 5.3x", number=5.3, unit="x", kind="gain", metric="efficiency")
    assert headline([deficit, gain]) is gain
    assert headline([deficit]) is None
