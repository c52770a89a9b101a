"""Questions asked of Records by exporters and commands: which claims are speedups, which papers pass a filter.

Kept apart from the store (which only fetches) and from the exporters (which only format), so the chart, the
`--min-speedup` filter and `stats` all agree on what a "reported speedup" is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from agent.headline import headline, is_deficit, is_speedup  # noqa: F401  (re-exported for exporters)
from agent.models import Claim, Record

UNTAGGED = "other"


def speedup_claims(record: Record) -> list[Claim]:
    return [c for c in record.summary.claims if is_speedup(c)]


def max_speedup(record: Record) -> float | None:
    values = [c.number for c in speedup_claims(record)]
    return max(values) if values else None


# A source's own one-line summary, by the key the reader stores it under, with who wrote it.
_SOURCE_SUMMARIES = (("hf_ai_summary", "Hugging Face's AI summary"), ("ai_summary", "the source's summary"))


def source_summary(record: Record) -> tuple[str, str] | None:
    """(label, text) of the summary the source itself gives (HF's `ai_summary`), shown beside ours and labelled
    as theirs; None when the source gives none."""
    for key, label in _SOURCE_SUMMARIES:
        value = record.source_extras.get(key)
        if isinstance(value, str) and value.strip():
            return label, " ".join(value.split())
    return None


def main_tag(record: Record) -> str:
    """The tag a paper is filed under when it can appear only once (digest sections, chart bands)."""
    return record.summary.tags[0] if record.summary.tags else UNTAGGED


def with_min_speedup(records: Iterable[Record], minimum: float | None) -> Iterator[Record]:
    """Papers with a grounded speedup of at least `minimum` (all papers when it is None)."""
    for record in records:
        best = max_speedup(record)
        if minimum is None or (best is not None and best >= minimum):
            yield record


def claim_matches(claim: Claim, kind: str | None = None, metric: str | None = None) -> bool:
    return (kind is None or claim.kind == kind) and (metric is None or (claim.metric or "").lower() == metric.lower())


def with_claims(records: Iterable[Record], kind: str | None = None, metric: str | None = None) -> Iterator[Record]:
    """Papers with at least one claim of this kind and metric, each with only those claims (all papers, as
    they are, when both are None)."""
    for record in records:
        if kind is None and metric is None:
            yield record
            continue
        claims = [c for c in record.summary.claims if claim_matches(c, kind, metric)]
        if claims:
            yield record.model_copy(update={"summary": record.summary.model_copy(update={"claims": claims})})


def tag_counts(records: Iterable[Record]) -> dict[str, int]:
    """Papers per tag (a paper counts once under each of its tags), most common first."""
    counts: Counter[str] = Counter()
    for record in records:
        counts.update(set(record.summary.tags) or {UNTAGGED})
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def largest_speedups(records: Iterable[Record], limit: int = 10) -> list[tuple[Record, Claim]]:
    """The largest grounded speedups across papers, one (the paper's largest) per paper."""
    best: list[tuple[Record, Claim]] = []
    for record in records:
        claims = speedup_claims(record)
        if claims:
            best.append((record, max(claims, key=lambda c: c.number)))
    best.sort(key=lambda rc: (-rc[1].number, rc[0].id))
    return best[:limit]


def dated_first(records: Iterable[Record]) -> list[Record]:
    """Newest paper date first, papers without a date after every dated one (the given order among equals):
    an undated paper must not sit on top of a feed or take a place under --limit."""
    return sorted(records, key=lambda r: (r.published is None, -(r.published.toordinal() if r.published else 0)))
