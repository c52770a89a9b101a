"""Select the devset2 abstracts from SciTLDR-A test (run from the repository root).

Candidates: records whose abstract has a digit and a systems/efficiency word, minus every paper whose id or
title is in tests/data/holdout2 (only the ids and titles are read). 60 are drawn with random.Random(2026) and
kept in file order. Writes tests/data/devset2/papers.jsonl (id, title, abstract = " ".join(source))."""

import json
import random
import re
from pathlib import Path

SRC = Path("tests/data/scitldr/SciTLDR-A_test.jsonl")
HOLDOUT = [Path("tests/data/holdout2/labels.jsonl"), Path("tests/data/holdout2/papers.jsonl")]
OUT = Path("tests/data/devset2/papers.jsonl")
WORDS = re.compile(
    r"\b(faster|speed\w*|gpus?|throughput|latency|memory|efficien\w*|accelerat\w*|parallel\w*|distributed"
    r"|hardware|compress\w*|quantiz\w*|accuracy|improve\w*)\b",
    re.IGNORECASE,
)


def norm(title: str) -> str:
    return " ".join(title.lower().split())


def main() -> None:
    excl_ids, excl_titles = set(), set()
    for path in HOLDOUT:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                excl_ids.add(rec["id"])
                excl_titles.add(norm(rec["title"]))
    records = [json.loads(line) for line in SRC.read_text(encoding="utf-8").splitlines() if line.strip()]
    pool = []
    for i, rec in enumerate(records):
        abstract = " ".join(rec["source"])
        if rec["paper_id"] in excl_ids or norm(rec["title"]) in excl_titles:
            continue
        if re.search(r"\d", abstract) and WORDS.search(abstract):
            pool.append((i, rec, abstract))
    chosen = sorted(random.Random(2026).sample(range(len(pool)), 60))
    with OUT.open("w", encoding="utf-8") as f:
        for k in chosen:
            _, rec, abstract = pool[k]
            f.write(json.dumps({"id": rec["paper_id"], "title": rec["title"], "abstract": abstract}, ensure_ascii=False) + "\n")
    print(f"{len(records)} records, {len(pool)} candidates, {len(chosen)} written to {OUT}")


if __name__ == "__main__":
    main()
