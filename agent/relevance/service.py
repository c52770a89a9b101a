"""What the CLI calls: pick the profile from --profile/--interests, rank papers or records against it
with the store's cached embeddings, save the scores, and find near-duplicates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from agent.errors import InputError
from agent.models import Paper, Record
from agent.relevance.embed import Embedder, choose_embedder, paper_text
from agent.relevance.lexical import BM25, cosine, document_terms
from agent.relevance.profile import Profile, load_profile, split_interests
from agent.relevance.rank import Scored, rank, resolve_store_papers

ONE_OFF = "--interests"  # the name scores of a one-off --interests profile are stored under
FOR_YOU = 10  # at most this many papers in a digest's "for you" section
FOR_YOU_MIN = 0.2  # and only those at least this relevant


def profile_from_options(name: str | None, interests: str | None) -> Profile | None:
    """The profile --profile NAME and/or --interests TEXT ask for (both: the named one plus the text)."""
    if name is None and interests is None:
        return None
    extra = split_interests(interests or "")
    if interests is not None and not extra:
        raise InputError("--interests is empty: name a topic, e.g. --interests 'speculative decoding'")
    if name is None:
        return Profile(ONE_OFF, extra)
    profile = load_profile(name)
    profile.interests = list(dict.fromkeys(profile.interests + extra))
    if profile.is_empty():
        raise InputError(f"profile {name!r} is empty: `summarize profile add {name} --interests ...`")
    return profile


class StoreVectors:
    """Paper embeddings from the store's cache; what is missing is embedded once and saved."""

    def __init__(self, store: Any, embedder: Embedder):
        self.store, self.embedder = store, embedder
        self.embedded = 0

    def __call__(self, papers: Sequence[Paper]) -> Any:
        import numpy as np

        cached = self.store.vectors(self.embedder.model, list(papers))
        missing = [p for p in papers if p.id not in cached]
        if missing:
            rows = self.embedder.embed([paper_text(p.title, p.abstract) for p in missing], query=False)
            blobs = [np.asarray(r, dtype="<f4").tobytes() for r in rows]
            self.store.save_vectors(self.embedder.model, list(zip(missing, blobs)))
            cached.update({p.id: b for p, b in zip(missing, blobs)})
            self.embedded += len(missing)
        return np.stack([np.frombuffer(cached[p.id], dtype="<f4") for p in papers])


def backend_name(embedder: Embedder | None) -> str:
    return "bm25" if embedder is None else f"bm25+{embedder.model}"


def rank_papers(
    store: Any, papers: Sequence[Paper], profile: Profile, *, embedder: Embedder | None = None
) -> list[Scored]:
    """Score `papers` against `profile` (best first) and save each score with its explanation."""
    full = resolve_store_papers(profile, store.get_paper)
    vectors = StoreVectors(store, embedder) if embedder is not None else None
    scored = rank(papers, full, embedder=embedder, vectors=vectors)
    store.save_relevance(
        profile.name, profile.digest(), backend_name(embedder), [(s.id, s.score, s.explanation()) for s in scored]
    )
    return scored


@dataclass
class Ranking:
    profile: Profile
    scores: dict[str, Scored]  # by paper id
    min_relevance: float | None = None

    def for_you(self, records: Sequence[Record]) -> list[Record]:
        """The digest's first section: the most relevant papers, best first."""
        best = sorted((r for r in records if r.id in self.scores), key=lambda r: -self.scores[r.id].score)
        threshold = max(FOR_YOU_MIN, self.min_relevance or 0.0)
        return [r for r in best if self.scores[r.id].score >= threshold][:FOR_YOU]


def rank_records(
    store: Any,
    records: Sequence[Record],
    profile: Profile,
    *,
    min_relevance: float | None = None,
    backend: str | None = None,
) -> tuple[list[Record], Ranking]:
    """Records sorted by relevance (best first), those under `min_relevance` left out, and the ranking."""
    scored = rank_papers(store, records, profile, embedder=choose_embedder(backend))
    by_id = {s.id: s for s in scored}
    kept = [r for r in records if min_relevance is None or (r.id in by_id and by_id[r.id].score >= min_relevance)]
    kept.sort(key=lambda r: -(by_id[r.id].score if r.id in by_id else 0.0))
    return kept, Ranking(profile, by_id, min_relevance)


def duplicates_of(store: Any, ids: Sequence[str], days: int = 90) -> list[tuple[str, str, float]]:
    """Near-duplicates of the papers `ids` among the papers the store met in the last `days` days (and
    each other): the same work under another title, from another source or day."""
    from datetime import date, timedelta

    wanted = set(ids)
    pool = {p.id: p for p in store.papers_seen_since((date.today() - timedelta(days=days)).isoformat())}
    for pid in wanted - set(pool):
        if (paper := store.get_paper(pid)) is not None:
            pool[pid] = paper
    return [d for d in near_duplicates(list(pool.values())) if d[0] in wanted or d[1] in wanted]


def same_work(store: Any, pairs: Sequence[tuple[str, str, float]]) -> dict[str, list[tuple[str, str, float]]]:
    """Near-duplicate pairs as each paper's notes: paper id -> (the other's id, its title, likeness)."""
    out: dict[str, list[tuple[str, str, float]]] = {}
    titles: dict[str, str] = {}
    for a, b, sim in pairs:
        for one, other in ((a, b), (b, a)):
            if other not in titles:
                paper = store.get_paper(other)
                titles[other] = paper.title if paper is not None else other
            out.setdefault(one, []).append((other, titles[other], sim))
    return out


def near_duplicates(
    papers: Sequence[Paper], *, threshold: float = 0.6, vectors: Any = None, semantic_threshold: float = 0.95
) -> list[tuple[str, str, float]]:
    """Pairs of different papers that look like the same work (two titles, two sources, two days): the
    cosine of their embeddings when `vectors` (a row per paper) is given, else of their TF-IDF vectors."""
    pairs: list[tuple[str, str, float]] = []
    if vectors is not None:
        sims = vectors @ vectors.T
        for i in range(len(papers)):
            for j in range(i + 1, len(papers)):
                if sims[i, j] >= semantic_threshold and papers[i].id != papers[j].id:
                    pairs.append((papers[i].id, papers[j].id, round(float(sims[i, j]), 3)))
        return pairs
    docs = [document_terms(p.title, p.abstract) for p in papers]
    index = BM25(docs)
    vecs = [index.vector(d) for d in docs]
    # only pairs that share one of each other's rarest words are compared
    postings: dict[str, list[int]] = {}
    for i, v in enumerate(vecs):
        for t in sorted(v, key=lambda t: -v[t])[:12]:
            postings.setdefault(t, []).append(i)
    seen: set[tuple[int, int]] = set()
    for ids in postings.values():
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                i, j = ids[a], ids[b]
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                sim = cosine(vecs[i], vecs[j])
                if sim >= threshold and papers[i].id != papers[j].id:
                    pairs.append((papers[i].id, papers[j].id, round(sim, 3)))
    return sorted(pairs, key=lambda x: -x[2])
