"""Finishing a paper: ground its claims, stamp where the answer came from, save it. One place, every path.

The live pipeline and `batch collect` both end here, so a summary reaches the store (and every export)
only after the same grounding and with the same provenance fields.
"""

from __future__ import annotations

from agent.engines.grounding import check_fields, ground
from agent.models import Paper, Provenance, Record, Summary, Usage
from agent.store import Store


def finish(
    store: Store,
    paper: Paper,
    summary: Summary,
    *,
    engine: str,
    model: str | None,
    prompt_version: str | None,
    usage: Usage | None,
    cache_key: str,
    check: bool = True,
) -> tuple[Record, list[str]]:
    """Ground every claim once, hold the other fields to the paper (`check`), build the provenance once,
    save the paper with its summary. Returns the record and what was dropped (see check_fields)."""
    grounded = ground(paper.abstract, summary)
    dropped: list[str] = []
    if check:
        grounded, dropped = check_fields(paper.title, paper.abstract, grounded)
    provenance = Provenance(engine=engine, model=model, prompt_version=prompt_version, usage=usage)  # type: ignore[arg-type]
    return store.save_result(paper, grounded, provenance, cache_key), dropped
