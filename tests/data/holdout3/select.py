"""Pick the holdout3 abstracts from SciTLDR-A test: `python3 tests/data/holdout3/select.py`.

A record is a candidate when its abstract (the source sentences joined by single spaces) holds a digit and one
of the efficiency/result words below, and neither its id nor its title is used by tests/data/holdout2 or
tests/data/devset2 (of their labels only the id and title are read). random.Random(3003) draws 50 candidates,
written in their order in the source file to tests/data/holdout3/papers.jsonl as {id, title, abstract}."""

import json
import random
import re
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent
SOURCE = DATA / "scitldr" / "SciTLDR-A_test.jsonl"
USED = (DATA / "holdout2" / "labels.jsonl", DATA / "devset2" / "labels.jsonl")
TARGET = DATA / "holdout3" / "papers.jsonl"
SEED, SIZE = 3003, 50
KEYWORD = re.compile(
    r"\b(?:faster|speed\w*|gpus?|throughput|latency|memory|efficien\w*|accelerat\w*|parallel\w*|distributed"
    r"|hardware|compress\w*|quantiz\w*|accuracy|improve\w*|outperform\w*|reduc\w*)\b",
    re.IGNORECASE,
)


def title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


def used_papers() -> tuple[set[str], set[str]]:
    ids: set[str] = set()
    titles: set[str] = set()
    for path in USED:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            label = json.loads(line)
            ids.add(label["id"])
            titles.add(title_key(label["title"]))
    return ids, titles


def choose() -> tuple[int, int, list[dict[str, str]]]:
    """(records read, candidates, the drawn papers in source order)."""
    ids, titles = used_papers()
    rows = [json.loads(line) for line in SOURCE.read_text(encoding="utf-8").splitlines() if line.strip()]
    candidates = []
    for row in rows:
        if row["paper_id"] in ids or title_key(row["title"]) in titles:
            continue
        abstract = " ".join(row["source"])
        if re.search(r"\d", abstract) and KEYWORD.search(abstract):
            candidates.append({"id": row["paper_id"], "title": row["title"], "abstract": abstract})
    picked = sorted(random.Random(SEED).sample(range(len(candidates)), SIZE))
    return len(rows), len(candidates), [candidates[i] for i in picked]


def main() -> None:
    n_rows, n_candidates, papers = choose()
    TARGET.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in papers), encoding="utf-8")
    print(f"{n_rows} records, {n_candidates} candidates, {len(papers)} written to {TARGET}")


if __name__ == "__main__":
    main()
