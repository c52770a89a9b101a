"""Rules vs llm (the whole summary) vs hybrid (rules propose, the model labels) on a real model server.

    scripts/local-llm.sh start qwen0.5b
    python benchmarks/bench_real_models.py --base-url http://127.0.0.1:8089/v1 \\
        --model qwen2.5-coder-0.5b-instruct-q4_k_m --limit 10

For each engine the same papers (the first --limit of each labelled set) go through the real Pipeline and a
fresh store; the stored records are scored against the hand labels with agent.evaluation (claims P/R,
hardware, model scale, tags), and the run's own figures are printed: seconds and requests per paper,
re-asks, TL;DRs replaced by the rules engine's, fields dropped as not found in the abstract, failures.
Times are for this machine as it was during the run: compare the engines side by side, not across runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from agent.engines.llm import LLMEngine  # noqa: E402
from agent.engines.llm_config import LLMSettings  # noqa: E402
from agent.engines.rules import RulesEngine  # noqa: E402
from agent.evaluation import evaluate, load_papers  # noqa: E402
from agent.pipeline import Pipeline  # noqa: E402
from agent.store import Store  # noqa: E402

SETS = {
    "sample": (REPO / "tests/data/devset/labels.jsonl", REPO / "tests/data/hf_page_sample.txt"),
    "holdout2": (REPO / "tests/data/holdout2/labels.jsonl", REPO / "tests/data/holdout2/papers.jsonl"),
}


class Recorded:
    """An `engine` for agent.evaluation that answers with what a run stored."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def extract(self, paper):
        record = self.store.record(paper.id)
        return record.summary


def run(engine, papers, db: Path) -> dict:
    with Store(db) as store:
        pipeline = Pipeline(engine=engine, store=store)
        started = time.perf_counter()
        stats = pipeline.run(papers)
        seconds = time.perf_counter() - started
        report = pipeline.report()
        done = [p for p in papers if store.record(p.id) is not None]
        records = [store.record(p.id) for p in done]
        tldr_words = [len(r.summary.tldr.split()) for r in records]
        return {
            "papers": len(papers), "finished": len(done), "failed": stats.failed, "seconds": seconds,
            "requests": stats.requests, "dropped": stats.dropped, "llm": report.get("llm"),
            "tldr_words_mean": statistics.mean(tldr_words) if tldr_words else 0,
            "tldr_words_max": max(tldr_words, default=0), "done": done,
        }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base-url", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--limit", type=int, default=10, help="papers per labelled set")
    ap.add_argument("--sets", nargs="+", default=list(SETS))
    ap.add_argument("--engines", nargs="+", default=["rules", "extract.v2", "label.v1"])
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    results = []
    for set_name in args.sets:
        labels, source = SETS[set_name]
        papers = load_papers(source)[: args.limit]
        for name in args.engines:
            if name == "rules":
                engine = RulesEngine()
            else:
                engine = LLMEngine(LLMSettings(api_key="local", base_url=args.base_url, model=args.model,
                                               prompt_version=name))
            with tempfile.TemporaryDirectory() as tmp:
                figures = run(engine, papers, Path(tmp) / "s.db")
                with Store(Path(tmp) / "s.db") as store:
                    scored = evaluate(labels, figures.pop("done"), engine=Recorded(store)).as_dict()
            row = {"set": set_name, "engine": name, **figures, "claims": scored["claims"],
                   "hardware": scored["hardware"], "model_scale": scored["model_scale"], "tags": scored["tags"]}
            results.append(row)
            llm = row["llm"] or {}
            n = max(row["papers"], 1)
            print(f"{set_name:8s} {name:10s} papers {row['finished']}/{row['papers']} failed {row['failed']} | "
                  f"claims P {row['claims']['precision']:.3f} R {row['claims']['recall']:.3f} | "
                  f"hardware P {row['hardware']['precision']:.2f} R {row['hardware']['recall']:.2f} | "
                  f"tags jaccard {row['tags']['jaccard_mean']:.2f} | TL;DR words mean {row['tldr_words_mean']:.1f} "
                  f"max {row['tldr_words_max']} | {row['seconds'] / n:.1f} s/paper, "
                  f"{row['requests'] / n:.2f} requests/paper, re-asks {llm.get('reasks', 0)}, "
                  f"TL;DR from rules {llm.get('tldr_from_rules', 0)}, dropped {row['dropped']}, "
                  f"mode {llm.get('mode')}, concurrency {llm.get('concurrency')}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
