"""The rules engine of two checkouts side by side in one process: A (default /work/main) and B (this one).

    python benchmarks/bench_rules_ab.py [A_ROOT] [B_ROOT] [N] [ROUNDS]

Each checkout's `agent` package is imported in turn under its own name (the modules are moved aside in
`sys.modules` between imports), then rounds alternate A, B, A, B ... on the same N abstracts (the sample
page's, repeated). The machine is shared, so only the ratio is meaningful: it prints the best round of each,
their ratio B/A, and the same for the TL;DR step alone (`make_tldr` on precomputed inputs).
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]


def load(root: Path) -> dict[str, object]:
    """Import `root`'s agent package fresh and return what the benchmark calls, then drop it from sys.modules."""
    for k in [k for k in sys.modules if k == "agent" or k.startswith("agent.")]:
        del sys.modules[k]
    sys.path.insert(0, str(root))
    try:
        rules = importlib.import_module("agent.engines.rules")
        tldr = importlib.import_module("agent.engines.rules.tldr")
        evaluation = importlib.import_module("agent.evaluation")
        names = importlib.import_module("agent.engines.rules.names")
        sentences = importlib.import_module("agent.engines.rules.sentences")
        claims = importlib.import_module("agent.engines.rules.claims")
    finally:
        sys.path.remove(str(root))
    mods = {k: v for k, v in sys.modules.items() if k == "agent" or k.startswith("agent.")}
    for k in mods:
        del sys.modules[k]
    return {"engine": rules.RulesEngine(), "make_tldr": tldr.make_tldr, "load_papers": evaluation.load_papers,
            "title_name": names.title_name, "method_index": sentences.method_index,
            "sentence_spans": sentences.sentence_spans, "extract_claims": claims.extract_claims,
            "background_spans": claims.background_spans, "modules": mods}


def tldr_inputs(side: dict, papers: list) -> list[tuple]:
    out = []
    for p in papers:
        spans = side["sentence_spans"](p.abstract)
        sents = [p.abstract[s:e] for s, e in spans]
        name = side["title_name"](p.title)
        method = side["method_index"](sents, name)
        claims = side["engine"].extract(p).claims
        out.append((p.title, sents, method, claims, name))
    return out


def main(argv: list[str]) -> int:
    a_root = Path(argv[1]) if len(argv) > 1 else Path("/work/main")
    b_root = Path(argv[2]) if len(argv) > 2 else HERE
    n = int(argv[3]) if len(argv) > 3 else 3000
    rounds = int(argv[4]) if len(argv) > 4 else 5
    sides = {"A": load(a_root), "B": load(b_root)}
    sample = sides["B"]["load_papers"](HERE / "tests/data/hf_page_sample.txt")
    papers = [sample[i % len(sample)] for i in range(n)]
    inputs = {k: tldr_inputs(v, sample) for k, v in sides.items()}
    for side in sides.values():
        side["engine"].extract(sample[0])
    full: dict[str, list[float]] = {"A": [], "B": []}
    step: dict[str, list[float]] = {"A": [], "B": []}
    reps = max(1, n // len(sample))
    for _ in range(rounds):
        for k, side in sides.items():
            # a function-level import during the round resolves to this side's modules
            for name in [m for m in sys.modules if m == "agent" or m.startswith("agent.")]:
                del sys.modules[name]
            sys.modules.update(side["modules"])
            engine = side["engine"]
            c0 = time.process_time()
            for p in papers:
                engine.extract(p)
            full[k].append(n / (time.process_time() - c0))
            make = side["make_tldr"]
            c0 = time.process_time()
            for _ in range(reps):
                for args in inputs[k]:
                    make(*args)
            step[k].append(reps * len(sample) / (time.process_time() - c0))
    for label, rates in (("whole engine", full), ("TL;DR step", step)):
        a, b = max(rates["A"]), max(rates["B"])
        print(f"{label:12s}: A {a:,.0f}/s  B {b:,.0f}/s  B/A {b / a:.3f}  "
              f"(rounds A {', '.join(f'{r:,.0f}' for r in rates['A'])}; B {', '.join(f'{r:,.0f}' for r in rates['B'])})")
    print(f"A = {a_root}, B = {b_root}, {n} abstracts x {rounds} rounds, alternating")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
