"""Select the devset3 abstracts from SciTLDR-A test (run from the repository root: python3 tests/data/devset3/select.py).

Candidates: records whose abstract has a digit and matches (case-insensitive, as a substring) one of the
systems/efficiency words below. Every record whose lower-cased, stripped title equals the title of a record in
tests/data/devset2, tests/data/holdout2 or tests/data/holdout3 labels.jsonl is dropped (only the titles are
read). All remaining candidates are kept, in file order; there is no random draw.
Writes tests/data/devset3/papers.jsonl (id, title, abstract = " ".join of the stripped non-empty sentences)."""

import json
import re
from pathlib import Path

SRC = Path("tests/data/scitldr/SciTLDR-A_test.jsonl")
EXCLUDE = [
    Path("tests/data/devset2/labels.jsonl"),
    Path("tests/data/holdout2/labels.jsonl"),
    Path("tests/data/holdout3/labels.jsonl"),
]
OUT = Path("tests/data/devset3/papers.jsonl")
WORDS = re.compile(
    r"faster|speed|GPU|throughput|latency|memory|efficien|accelerat|parallel|distributed|hardware|compress"
    r"|quantiz|accuracy|improve",
    re.IGNORECASE,
)


def main() -> None:
    excl_titles = set()
    for path in EXCLUDE:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                excl_titles.add(json.loads(line)["title"].strip().lower())
    records = [json.loads(line) for line in SRC.read_text(encoding="utf-8").splitlines() if line.strip()]
    kept = []
    for rec in records:
        abstract = " ".join(s.strip() for s in rec["source"] if s.strip())
        if not (re.search(r"\d", abstract) and WORDS.search(abstract)):
            continue
        if rec["title"].strip().lower() in excl_titles:
            continue
        kept.append({"id": rec["paper_id"], "title": rec["title"], "abstract": abstract})
    with OUT.open("w", encoding="utf-8") as f:
        for rec in kept:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{len(records)} records, {len(kept)} written to {OUT}")


if __name__ == "__main__":
    main()
