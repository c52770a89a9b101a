"""BM25 over titles and abstracts: the lexical baseline, and the backend when no embedding model is installed.

Scores are divided by the best score the query could get (every one of its terms present, saturated),
so a relevance of 0.6 reads "the paper covers 60% of the interest's words, weighted by how rare they are",
and one threshold means the same for a short interest and a long one. Ranking is BM25's own.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from agent.relevance.text import terms

K1 = 1.2
B = 0.75
PHRASE_WEIGHT = (
    0.25  # a two-word phrase counts a quarter of a word: a rare phrase would drown the words (BENCHMARKS.md)
)
TITLE_WEIGHT = 2  # a title's words count twice: a title names the topic, an abstract also names the setting
# A paper that names one of the interest's thesaurus concepts with other words ("a systematic review" for
# "surveys") gets this share of what the interest's own words for it would have scored (BENCHMARKS.md).
CONCEPT_WEIGHT = 0.75


def document_terms(
    title: str, abstract: str, acronyms: dict[str, list[str]] | None = None, concepts: bool = False
) -> list[str]:
    return terms(title, acronyms, concepts) * TITLE_WEIGHT + terms(abstract, acronyms, concepts)


def weight(term: str) -> float:
    """A query term's share: a word 1, a two-word phrase PHRASE_WEIGHT."""
    return PHRASE_WEIGHT if " " in term else 1.0


@dataclass
class Query:
    terms: list[str]  # the interest's words and phrases
    # each thesaurus concept the interest names ("~survey") with the terms of `terms` that name it
    concepts: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass
class Match:
    score: float  # 0..1, BM25 over its upper bound for this query
    matched: list[str]  # the query's terms found in the document, rarest first


class BM25:
    """An index over a fixed list of documents (each a list of terms)."""

    def __init__(self, docs: Sequence[Sequence[str]]):
        self.n = len(docs)
        self.tf = [Counter(d) for d in docs]
        # a concept ("~survey") adds no length: the words naming it are counted already
        self.length = [len(d) - sum(c for t, c in tf.items() if t[0] == "~") for d, tf in zip(docs, self.tf)]
        self.avg = (sum(self.length) / self.n) if self.n else 1.0
        df: Counter[str] = Counter()
        for counts in self.tf:
            df.update(counts.keys())
        self.df = df

    def idf(self, term: str) -> float:
        n = self.df.get(term, 0)
        return math.log(1 + (self.n - n + 0.5) / (n + 0.5))

    def match(self, query: Sequence[str] | Query, i: int) -> Match:
        """BM25 of document i for the query, over its upper bound. A concept of the query stands in for
        the words that named it: their score, or CONCEPT_WEIGHT of their best when the document names
        the concept with other words, whichever is more."""
        if not isinstance(query, Query):
            query = Query(list(query))
        q = list(dict.fromkeys(query.terms))
        if not q:
            return Match(0.0, [])
        counts, norm = self.tf[i], K1 * (1 - B + B * self.length[i] / self.avg)
        got: dict[str, float] = {}
        top: dict[str, float] = {}
        found: list[tuple[float, str]] = []
        for term in q:
            idf = self.idf(term) * weight(term)
            top[term] = idf * (K1 + 1)
            tf = counts.get(term, 0)
            got[term] = idf * tf * (K1 + 1) / (tf + norm) if tf else 0.0
            if tf:
                found.append((idf, term))
        score, best = sum(got.values()), sum(top.values())
        grouped: set[str] = set()
        for concept, own in query.concepts:
            own = [t for t in own if t in got and t not in grouped]
            tf = counts.get(concept, 0)
            if not own or not tf:
                continue
            grouped.update(own)
            said = sum(got[t] for t in own)
            stand_in = CONCEPT_WEIGHT * sum(top[t] for t in own) * tf / (tf + norm)
            if stand_in > said:
                score += stand_in - said
                found.append((max(self.idf(t) * weight(t) for t in own), concept))
        found.sort(key=lambda x: -x[0])
        return Match(score / best if best else 0.0, [t for _, t in found])

    def scores(self, query: Sequence[str] | Query) -> list[Match]:
        return [self.match(query, i) for i in range(self.n)]

    def vector(self, doc: Sequence[str]) -> dict[str, float]:
        """A unit TF-IDF vector of a document, for document-to-document likeness (your paper, duplicates)."""
        counts = Counter(doc)
        vec = {t: (1 + math.log(c)) * self.idf(t) for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())
