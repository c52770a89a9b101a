"""The contract: what a paper is, what we extract from it, and where each result came from.

Every engine returns a `Summary`; every exporter reads `Record`s. Field names here are the public schema
of `papers.jsonl` (see README), so renaming one is a breaking change: bump `SCHEMA_VERSION`.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from agent.ids import arxiv_id, normalise_title, paper_id_for  # noqa: F401  (re-exported: part of the contract)

SCHEMA_VERSION = "2"  # 2: Claim.kind, the metric vocabulary, Summary.tldr_source

# What a claim's number is (see docs/claims.md): how many times faster; a cost made smaller; a quality or rate
# made larger; a size reached; a level measured.
CLAIM_KINDS = ("speedup", "reduction", "gain", "scale", "absolute")
# What it measures: a small fixed vocabulary, so that a spreadsheet can filter on it.
METRICS = (
    "throughput",
    "latency",
    "speed",
    "time",
    "memory",
    "cost",
    "energy",
    "efficiency",
    "accuracy",
    "context length",
    "utilization",
    "scaling efficiency",
    "communication",
    "compute",
    "tokens",
    "data",
    "model size",
    "workload size",
    "correlation",
)
ClaimKind = Literal["speedup", "reduction", "gain", "scale", "absolute"]


class Paper(BaseModel):
    """One paper as a source gives it. `id` is the arXiv id without version when known."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    abstract: str
    authors: list[str] = Field(default_factory=list)
    published: date | None = None
    url: str | None = None
    source: str = Field(description="where it came from: hf-page, hf-api, arxiv, file")
    version: str | None = Field(default=None, description="arXiv version, e.g. 'v2', when known")
    # The id the source itself gave the paper (an OpenReview id, an HF paper id...), kept as given so a
    # user can join our output back to their data; `id` stays our identity (arXiv id, else title hash).
    source_id: str | None = None
    # What the source itself says about the paper (HF's ai_summary, ai_keywords, upvotes...). Kept
    # beside our fields and labelled as the source's, never mixed into the summary.
    source_extras: dict[str, Any] = Field(default_factory=dict)

    def content_hash(self) -> str:
        """Hash of what an engine reads: a changed abstract is a new piece of work."""
        text = json.dumps([self.title.strip(), " ".join(self.abstract.split())], ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


class Claim(BaseModel):
    """A quantitative result the paper reports about its own work, traceable to the abstract."""

    text: str = Field(description="the exact words from the abstract that state the result")
    number: float = Field(description="the reported value (the high end of a range)")
    low: float | None = Field(default=None, description="the low end, for ranges like '1.03-2.4x'")
    unit: str = Field(description="'x' for multipliers, '%' for percentages, else the unit as written")
    qualifier: str | None = Field(default=None, description="'up to', 'on average', '~', 'over'...")
    metric: str | None = Field(
        default=None,
        description="what it measures, one of METRICS: throughput, latency, "
        "memory, cost, energy, accuracy, context length...",
    )
    baseline: str | None = Field(default=None, description="what it is compared against, as named")
    kind: ClaimKind | None = Field(
        default=None,
        description="speedup (times faster), reduction (a cost made "
        "smaller), gain (a quality or rate made larger), scale (a size reached), "
        "absolute (a level measured)",
    )
    grounded: bool = Field(default=True, description="text and number were found in the abstract")


class Summary(BaseModel):
    problem: str = ""
    method: str = ""
    hardware: list[str] = Field(default_factory=list)
    model_scale: list[str] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    tldr: str = ""
    # who wrote `tldr`: the engine ("rules", "llm"). A source's own one-liner (HF's ai_summary) is never put
    # here; it stays in Paper.source_extras and is shown labelled as the source's.
    tldr_source: str | None = None


class Usage(BaseModel):
    input_tokens: int = 0
    output_tokens: int = 0
    requests: int = 0
    cost_usd: float | None = None


class Provenance(BaseModel):
    engine: Literal["rules", "llm"]
    model: str | None = None
    prompt_version: str | None = None
    schema_version: str = SCHEMA_VERSION
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    usage: Usage | None = None


ARXIV_ABS = "https://arxiv.org/abs/{}"
ARXIV_PDF = "https://arxiv.org/pdf/{}"
_WEB_LINK = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)


def _web_link(value: Any) -> str | None:
    """An http(s) URL with a host and no spaces, else None: a link from a source is used only if safe."""
    return value.strip() if isinstance(value, str) and _WEB_LINK.match(value.strip()) else None


def paper_links(paper: Paper) -> dict[str, str]:
    """Where a reader can click for a paper, the keys present only when known:
    `page` (its own page as the source gave it), `abs` and `pdf` (arXiv, when the id is an arXiv id),
    `code` (the repository, e.g. Hugging Face's githubRepo) and `project` (its project page)."""
    links: dict[str, str] = {}
    if page := _web_link(paper.url):
        links["page"] = page
    if arxiv_id(paper.id) == paper.id:
        links["abs"] = ARXIV_ABS.format(paper.id)
        links["pdf"] = ARXIV_PDF.format(paper.id + (paper.version or ""))
    extras = paper.source_extras
    if code := _web_link(extras.get("code_url") or extras.get("hf_github_repo")):
        links["code"] = code
    if project := _web_link(extras.get("project_page") or extras.get("hf_project_page")):
        links["project"] = project
    return links


class Record(Paper):
    """A paper with its summary and where the summary came from: one line of papers.jsonl."""

    summary: Summary
    provenance: Provenance
    # Derived from the paper (never stored): see paper_links.
    links: dict[str, str] = Field(default_factory=dict)

    @classmethod
    def of(cls, paper: Paper, summary: Summary, provenance: Provenance) -> Record:
        if summary.tldr and summary.tldr_source is None:
            # the TL;DR is the engine's own (summaries stored before schema 2 do not say so)
            summary = summary.model_copy(update={"tldr_source": provenance.engine})
        return cls(**paper.model_dump(), summary=summary, provenance=provenance, links=paper_links(paper))
