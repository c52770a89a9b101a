"""Score papers against a profile: BM25 over titles and abstracts, blended with embedding similarity when a
backend is installed, and explain each score (the interest or your paper it is closest to, the words
that matched).

A profile is a list of items (each interest, each of your papers); a paper's relevance is its score
against the item it matches best, so a reader with three interests sees the best papers of each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from agent.models import Paper
from agent.relevance.embed import Embedder, paper_text
from agent.relevance.lexical import BM25, Query, cosine, document_terms
from agent.relevance.profile import Profile, ProfilePaper
from agent.relevance.text import concept_mentions, learn_acronyms, query_concepts, surface_forms, terms
from agent.relevance.thesaurus import label_of

# Embedding cosines of one model sit in a narrow band; this maps e5's band (set by hand from its
# query-passage cosines on the sample page, roughly 0.75 unrelated to 0.9 on topic) onto 0..1.
SEM_LOW, SEM_HIGH = 0.75, 0.90
LEXICAL_WEIGHT = 0.7  # BM25's share of the blend; 0.7 was the best of 0.3/0.5/0.7 (BENCHMARKS.md)


@dataclass
class Scored:
    id: str
    title: str
    score: float  # 0..1
    lexical: float
    semantic: float | None  # the calibrated embedding similarity to the closest item, when a model ran
    closest: str  # the interest, or the title of your paper, that the paper is closest to
    closest_is_paper: bool
    keywords: list[str] = field(default_factory=list)

    def explanation(self) -> str:
        near = f"close to: {self.closest}" if self.closest_is_paper else f"matches: {self.closest}"
        return near + (f" (words: {', '.join(self.keywords)})" if self.keywords else "")


@dataclass
class _Item:
    text: str  # what is shown: the interest or the paper's title
    is_paper: bool
    query: Query  # BM25 query (interests)
    doc_terms: list[str]  # the paper's terms (your papers)
    embed_text: str
    id: str | None = None


def _items(profile: Profile, acronyms: dict[str, list[str]]) -> list[_Item]:
    # documents carry the acronyms' long forms; interests and documents both carry the thesaurus' concepts
    items = [_Item(i, False, Query(terms(i), query_concepts(i)), [], i) for i in profile.interests]
    for p in profile.papers:
        items.append(
            _Item(
                p.title,
                True,
                Query([]),
                document_terms(p.title, p.abstract, acronyms, concepts=True),
                paper_text(p.title, p.abstract),
                p.id,
            )
        )
    return items


VectorCache = Callable[[Sequence[Paper]], Any]  # papers -> (n, dim) unit vectors, embedding what is missing


def _calibrate(cos: float) -> float:
    return min(1.0, max(0.0, (cos - SEM_LOW) / (SEM_HIGH - SEM_LOW)))


def rank(
    papers: Sequence[Paper],
    profile: Profile,
    *,
    embedder: Embedder | None = None,
    vectors: VectorCache | None = None,
    lexical_weight: float = LEXICAL_WEIGHT,
) -> list[Scored]:
    """The papers scored against `profile`, best first. `vectors` gives the papers' embeddings (from the
    store's cache); by default they are computed with `embedder`."""
    acronyms = learn_acronyms(
        [f"{p.title}. {p.abstract}" for p in papers]
        + [f"{p.title}. {p.abstract}" for p in profile.papers]
        + list(profile.interests)
    )
    items = _items(profile, acronyms)
    if not papers or not items:
        return []
    docs = [document_terms(p.title, p.abstract, acronyms, concepts=True) for p in papers]
    index = BM25(docs)
    doc_vectors = [index.vector(d) for d in docs] if any(it.is_paper for it in items) else []
    item_vectors = [index.vector(it.doc_terms) if it.is_paper else None for it in items]
    semantic = None
    if embedder is not None:
        matrix = (
            vectors(papers)
            if vectors is not None
            else embedder.embed([paper_text(p.title, p.abstract) for p in papers], query=False)
        )
        queries = [it for it in items if not it.is_paper]
        mine = [it for it in items if it.is_paper]
        import numpy as np

        item_matrix = np.zeros((len(items), matrix.shape[1]), dtype=np.float32)
        if queries:
            q = embedder.embed([it.embed_text for it in queries], query=True)
            for it, row in zip(queries, q):
                item_matrix[items.index(it)] = row
        if mine:
            m = embedder.embed([it.embed_text for it in mine], query=False)
            for it, row in zip(mine, m):
                item_matrix[items.index(it)] = row
        semantic = (matrix @ item_matrix.T).tolist()  # papers x items cosines
    out = []
    for d, paper in enumerate(papers):
        best: tuple[float, float, float | None, int, list[str]] | None = None
        for k, it in enumerate(items):
            if it.is_paper and it.id and it.id == paper.id:
                continue  # your own paper is not "close to" itself
            if it.is_paper:
                lex = cosine(doc_vectors[d], item_vectors[k])
                matched = _shared(doc_vectors[d], item_vectors[k])
            else:
                m = index.match(it.query, d)
                lex, matched = m.score, m.matched
            sem = _calibrate(semantic[d][k]) if semantic is not None else None
            score = lex if sem is None else lexical_weight * lex + (1 - lexical_weight) * sem
            if best is None or score > best[0]:
                best = (score, lex, sem, k, matched)
        if best is None:
            continue
        score, lex, sem, k, matched = best
        text = paper.title + " " + paper.abstract
        forms = surface_forms(text, {w for t in matched if not t.startswith("~") for w in t.split()})
        if not items[k].is_paper and any(t.startswith("~") for t in matched):
            forms.update(_synonyms(matched, text, items[k].text))  # (shared concepts of two papers: not shown)
        out.append(
            Scored(
                paper.id,
                paper.title,
                round(score, 4),
                round(lex, 4),
                None if sem is None else round(sem, 4),
                items[k].text,
                items[k].is_paper,
                _keywords(matched, forms),
            )
        )
    out.sort(key=lambda s: (-s.score, s.id))
    return out


def _shared(a: dict[str, float], b: dict[str, float], top: int = 8) -> list[str]:
    both = sorted((t for t in a if t in b), key=lambda t: -a[t] * b[t])
    return both[:top]


def _synonyms(matched: list[str], text: str, item: str) -> dict[str, str]:
    """Matched concept term -> how the paper names it, said as a synonym ("systematic review (synonym of
    survey)"), when the paper does not use the item's own words for it; those are shown as words."""
    mine = concept_mentions(item)
    theirs = concept_mentions(text)
    out = {}
    for t in matched:
        if not t.startswith("~") or t not in theirs:
            continue
        own = {key for _, key, _ in mine.get(t, [])}
        if any(key in own for _, key, _ in theirs[t]):
            continue  # the paper says it as the reader did
        written, _, narrower = theirs[t][0]
        said = mine[t][0][0] if mine.get(t) else label_of(t)
        out[t] = f"{written} ({'a kind of' if narrower else 'synonym of'} {said})"
    return out


def _keywords(matched: list[str], forms: dict[str, str], limit: int = 5) -> list[str]:
    """The matched terms as the paper spells them; a matched phrase stands for its two words; a concept
    the paper names with other words than the reader, as those words and what they stand for."""
    phrases = [t for t in matched if " " in t]
    covered = {w for p in phrases for w in p.split()}
    shown = []
    for t in matched:
        if t.startswith("~"):
            if t in forms:
                shown.append(forms[t])
        elif " " in t and all(w in forms for w in t.split()):
            shown.append(" ".join(forms[w] for w in t.split()))
        elif t not in covered and t in forms:
            shown.append(forms[t])
    return list(dict.fromkeys(shown))[:limit]


def resolve_store_papers(profile: Profile, lookup: Callable[[str], Paper | None]) -> Profile:
    """The profile with its store papers turned into papers (title and abstract from the store)."""
    from agent.errors import InputError

    extra = []
    for pid in profile.store_papers:
        paper = lookup(pid)
        if paper is None:
            raise InputError(f"profile {profile.name!r}: paper {pid!r} is not in the store")
        extra.append(ProfilePaper(paper.title, paper.abstract, paper.id))
    return Profile(profile.name, list(profile.interests), list(profile.papers) + extra, [])
