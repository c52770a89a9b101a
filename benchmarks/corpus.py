"""The benchmark corpus: the sample page's 54 abstracts, repeated with distinct titles (so distinct ids and
cache keys) to any length. Shared by the benchmarks so they measure the same text."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from agent.models import Paper, paper_id_for  # noqa: E402
from agent.sources.files import iter_source  # noqa: E402

SAMPLE = ROOT / "tests" / "data" / "hf_page_sample.txt"


def sample() -> list[Paper]:
    return [p for p in iter_source(str(SAMPLE)) if isinstance(p, Paper)]


def papers(n: int) -> Iterator[Paper]:
    """n papers: copy k of sample paper i is titled "<title> (copy k)"; copy 0 is the original."""
    base = sample()
    for i in range(n):
        paper, copy = base[i % len(base)], i // len(base)
        if copy == 0:
            yield paper
            continue
        title = f"{paper.title} (copy {copy})"
        yield paper.model_copy(update={"id": paper_id_for(title), "title": title})


def write_jsonl(path: Path, n: int) -> Path:
    """n papers as the JSONL a user would give `summarize run` (title, abstract, url)."""
    with path.open("w", encoding="utf-8") as fh:
        for p in papers(n):
            fh.write(json.dumps({"title": p.title, "abstract": p.abstract, "url": p.url}) + "\n")
    return path
