"""ROUGE of our TL;DR against SciTLDR-A test (author TL;DRs), with two simple baselines.

    python benchmarks/tldr_rouge.py [PATH]

Prints ROUGE-1/2/L F-measure (rouge-score, stemmer on) against the best of each paper's references (the one
with the highest ROUGE-1; its ROUGE-2/L are reported), averaged over papers, for: the rules engine's TL;DR, the title alone, and the first "we propose/introduce/present"
sentence (else the first sentence). Also checks every TL;DR is at most 30 words and says more than the title.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from rouge_score import rouge_scorer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent.engines.rules import RulesEngine  # noqa: E402
from agent.models import Paper  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[1] / "tests/data/scitldr/SciTLDR-A_test.jsonl"
_PROPOSE = re.compile(r"\bwe\s+(?:propose|introduce|present)", re.I)


def first_propose_sentence(sents: list[str]) -> str:
    return next((s for s in sents if _PROPOSE.search(s)), sents[0] if sents else "")


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    engine = RulesEngine()
    systems = {"ours": [], "title": [], "we-propose sentence": []}
    too_long = no_more_than_title = 0
    for r in records:
        sents = [s.strip() for s in r["source"] if s.strip()]
        abstract = " ".join(sents)
        title = r.get("title") or ""
        ours = engine.extract(Paper(id=str(r.get("paper_id", "x")), title=title, abstract=abstract, source="file")).tldr
        too_long += len(ours.split()) > 30
        no_more_than_title += set(re.findall(r"\w+", ours.lower())) <= set(re.findall(r"\w+", title.lower()))
        outputs = {"ours": ours, "title": title, "we-propose sentence": first_propose_sentence(sents)}
        for name, text in outputs.items():
            scores = [scorer.score(ref, text) for ref in r["target"]] or [None]
            best = max(scores, key=lambda s: s["rouge1"].fmeasure if s else 0.0)
            systems[name].append([best["rouge1"].fmeasure, best["rouge2"].fmeasure, best["rougeL"].fmeasure]
                                 if best else [0.0, 0.0, 0.0])
    n = len(records)
    print(f"SciTLDR-A test: {n} papers (ROUGE F-measure x100, best reference by ROUGE-1, mean over papers)")
    for name, rows in systems.items():
        r1, r2, rl = (100 * sum(row[i] for row in rows) / n for i in range(3))
        print(f"  {name:22s} R1={r1:5.1f}  R2={r2:5.1f}  RL={rl:5.1f}")
    print(f"  ours: {too_long} TL;DRs over 30 words, {no_more_than_title} saying no more than the title")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
