"""Tags from the taxonomy by keyword: whole words, "*" for a word prefix, hyphen and space alike.

A tag's score is its keyword hits in the abstract plus `TITLE_WEIGHT` per hit in the title; tags below
their `min_hits` are dropped and the best `MAX_TAGS` are kept, best first.
"""

from __future__ import annotations

import re
from functools import lru_cache

from agent.resources import Taxonomy

MAX_TAGS = 4
TITLE_WEIGHT = 3


def _keyword_pattern(keyword: str) -> str:
    k = keyword.strip().lower()
    wildcard = k.endswith("*")
    k = k.rstrip("*")
    parts = [re.escape(p) for p in re.split(r"[\s-]+", k) if p]
    body = r"[\s-]+".join(parts)
    tail = r"\w*" if wildcard else r"(?:s|es)?"
    return rf"(?<![\w-]){body}{tail}(?![\w])"


@lru_cache(maxsize=16)
def _compiled(taxonomy: Taxonomy) -> list[tuple[str, int, re.Pattern[str]]]:
    out = []
    for tag in taxonomy.tags:
        if not tag.keywords:
            continue
        rx = re.compile("|".join(_keyword_pattern(k) for k in tag.keywords), re.I)
        out.append((tag.name, tag.min_hits, rx))
    return out


def score_tags(taxonomy: Taxonomy, title: str, abstract: str) -> list[tuple[str, int]]:
    scores = []
    for name, min_hits, rx in _compiled(taxonomy):
        t_hits = len(rx.findall(title or ""))
        a_hits = len(rx.findall(abstract or ""))
        if t_hits + a_hits < max(1, min_hits):
            continue
        scores.append((name, a_hits + TITLE_WEIGHT * t_hits))
    scores.sort(key=lambda s: -s[1])
    return scores


def assign_tags(taxonomy: Taxonomy, title: str, abstract: str) -> list[str]:
    return [name for name, _ in score_tags(taxonomy, title, abstract)[:MAX_TAGS]]
