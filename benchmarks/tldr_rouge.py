"""ROUGE of our TL;DR against SciTLDR-A test (author TL;DRs), with two simple baselines.

    python benchmarks/tldr_rouge.py [PATH] [--split tune|check|all] [--dump FILE] [-v]

`--split tune` scores the records at even positions (0, 2, 4, ...), `--split check` those at odd ones, so
rules can be developed on one half and confirmed on the other; `all` (the default) scores every record.
`--dump FILE` writes, per paper, the title, our TL;DR, its ROUGE-1 and the best reference (JSON lines).

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
# LaTeX markup a reader should never see in a TL;DR: commands, math dollars, escaped percent signs, braces
LATEX = re.compile(r"\\[A-Za-z]+|\\[%$&_#{}|]|\$[^$]*\$|[{}]|\^\{|_\{")
# a reference to something the TL;DR never said: "this gap", "these techniques", "such methods"
DANGLING_REF = re.compile(r"\b(?:this|these|those|such|the\s+above|the\s+aforementioned|said)\s+"
                          r"(?:gap|gaps|issue|issues|problem|problems|challenge|challenges|limitation|limitations|"
                          r"technique|techniques|method|methods|approach|approaches|task|tasks|setting|settings|"
                          r"question|questions|observation|observations|insight|insights|finding|findings|idea|ideas|"
                          r"phenomenon|bottleneck|bottlenecks|shortcoming|shortcomings|drawback|drawbacks|direction|"
                          r"need|needs|goal|end|difficulty|difficulties|concern|concerns|trade-off|tradeoff)\b", re.I)
# ...and the broader reading: any "this/these/those/such <word>" whose word (or the next, after "two", "new",
# ...) the TL;DR did not say before it ("exploits this flexibility", "marries these two lines of work")
DEMONSTRATIVE = re.compile(r"\b(?:this|these|those|such(?:\s+an?)?)\s+([a-z][a-z-]*)(?:\s+([a-z][a-z-]*))?", re.I)
NOT_A_REFERENCE = {"paper", "work", "study", "article", "report", "survey", "thesis", "as", "that", "is", "are", "was",
                   "were", "can", "could", "will", "would", "has", "have", "may", "might", "does", "do", "way"}
MODIFIERS = {"two", "three", "four", "several", "many", "new", "same", "very", "particular", "specific", "underlying",
             "key", "main", "important", "general", "simple", "basic", "central", "common", "novel"}
TITLE_MIN = 30


def unsaid_referent(tldr: str) -> bool:
    for m in DEMONSTRATIVE.finditer(tldr):
        word = m.group(1).lower()
        if word in NOT_A_REFERENCE:
            continue
        head = (m.group(2) or word).lower() if word in MODIFIERS else word
        said = {w[:5] for w in re.findall(r"[a-z0-9]+", tldr[: m.start()].lower())}
        if head[:5] not in said and word[:5] not in said:
            return True
    return False


def contains_title(tldr: str, title: str) -> bool:
    """The whole title, word for word (case and punctuation aside), inside the TL;DR."""
    norm = lambda s: " ".join(re.findall(r"\w+", s.lower()))  # noqa: E731
    t = norm(title)
    return bool(t) and f" {t} " in f" {norm(tldr)} "


def quality(tldr: str, title: str) -> dict[str, bool]:
    return {"contains_title": len(title) > TITLE_MIN and contains_title(tldr, title),
            "latex": bool(LATEX.search(tldr)), "dangling": bool(DANGLING_REF.search(tldr)),
            "any_reference": unsaid_referent(tldr)}


def first_propose_sentence(sents: list[str]) -> str:
    return next((s for s in sents if _PROPOSE.search(s)), sents[0] if sents else "")


SPLITS = ("tune", "check", "all")


def split_records(records: list[dict], split: str) -> list[dict]:
    """tune: the even positions, check: the odd ones, all: every record."""
    if split == "all":
        return records
    return records[0 if split == "tune" else 1 :: 2]


def parse_args(argv: list[str]) -> tuple[Path, str, Path | None]:
    path, split, dump = DEFAULT, "all", None
    rest = [a for a in argv[1:] if a != "-v"]
    i = 0
    while i < len(rest):
        a = rest[i]
        if a in ("--split", "--dump") and i + 1 < len(rest):
            if a == "--split":
                split = rest[i + 1]
                if split not in SPLITS:
                    raise SystemExit(f"--split must be one of {', '.join(SPLITS)}, not {split!r}")
            else:
                dump = Path(rest[i + 1])
            i += 2
            continue
        if a.startswith("--split="):
            split = a.split("=", 1)[1]
            if split not in SPLITS:
                raise SystemExit(f"--split must be one of {', '.join(SPLITS)}, not {split!r}")
        elif a.startswith("--dump="):
            dump = Path(a.split("=", 1)[1])
        else:
            path = Path(a)
        i += 1
    return path, split, dump


def main(argv: list[str]) -> int:
    path, split, dump = parse_args(argv)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = split_records(records, split)
    dumped: list[str] = []
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    engine = RulesEngine()
    systems = {"ours": [], "title": [], "we-propose sentence": []}
    too_long = no_more_than_title = 0
    long_titles = 0
    flags = {"contains_title": 0, "latex": 0, "dangling": 0, "any_reference": 0}
    examples: dict[str, list[str]] = {k: [] for k in flags}
    for r in records:
        sents = [s.strip() for s in r["source"] if s.strip()]
        abstract = " ".join(sents)
        title = r.get("title") or ""
        ours = engine.extract(Paper(id=str(r.get("paper_id", "x")), title=title, abstract=abstract, source="file")).tldr
        too_long += len(ours.split()) > 30
        no_more_than_title += set(re.findall(r"\w+", ours.lower())) <= set(re.findall(r"\w+", title.lower()))
        long_titles += len(title) > TITLE_MIN
        for k, v in quality(ours, title).items():
            flags[k] += v
            if v and len(examples[k]) < 3:
                examples[k].append(ours)
        outputs = {"ours": ours, "title": title, "we-propose sentence": first_propose_sentence(sents)}
        best_ref = {}
        for name, text in outputs.items():
            scores = [scorer.score(ref, text) for ref in r["target"]]
            if not scores:
                systems[name].append([0.0, 0.0, 0.0])
                best_ref[name] = ""
                continue
            at = max(range(len(scores)), key=lambda i: scores[i]["rouge1"].fmeasure)
            best = scores[at]
            systems[name].append([best["rouge1"].fmeasure, best["rouge2"].fmeasure, best["rougeL"].fmeasure])
            best_ref[name] = r["target"][at]
        if dump is not None:
            dumped.append(json.dumps({"paper_id": r.get("paper_id"), "title": title, "tldr": ours,
                                      "r1": round(100 * systems["ours"][-1][0], 1),
                                      "title_r1": round(100 * systems["title"][-1][0], 1),
                                      "best_reference": best_ref["ours"],
                                      "flags": [k for k, v in quality(ours, title).items() if v]},
                                     ensure_ascii=False))
    n = len(records)
    if dump is not None:
        dump.write_text("".join(line + "\n" for line in dumped), encoding="utf-8")
    print(f"SciTLDR-A test, split {split}: {n} papers (ROUGE F-measure x100, best reference by ROUGE-1, "
          "mean over papers)")
    for name, rows in systems.items():
        r1, r2, rl = (100 * sum(row[i] for row in rows) / n for i in range(3))
        print(f"  {name:22s} R1={r1:5.2f}  R2={r2:5.2f}  RL={rl:5.2f}")
    print(f"  ours: {too_long} TL;DRs over 30 words, {no_more_than_title} saying no more than the title")
    print(f"  ours: {flags['contains_title']} of {long_titles} ({100 * flags['contains_title'] / max(long_titles, 1):.1f}%) "
          f"with a title over {TITLE_MIN} characters contain the whole title; {flags['latex']} with LaTeX markup; "
          f"{flags['dangling']} ({100 * flags['dangling'] / n:.1f}%) with a dangling reference; "
          f"{flags['any_reference']} ({100 * flags['any_reference'] / n:.1f}%) with any this/these/such reference "
          "to words not said before it")
    if "-v" in argv:
        for k, ex in examples.items():
            for e in ex:
                print(f"    {k}: {e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
