"""What the model must send back (`LLMSummary`) and how it becomes our `Summary`.

The validators read the paper's validation context (see `llm_prompt.prompt_context`): pydantic's
`context=` when the caller passes one, else `VALIDATION_CONTEXT`, which the engine sets around its
instructor call. (Passing `context=` to instructor would make it render the messages as Jinja templates
again on every call; the engine renders them itself.) When a validator fails, instructor sends its
message back to the model (a re-ask), so each message says what to fix.

With `lenient=True` in the context (the last pass after the re-ask budget is spent) ungrounded claims
are kept (marked `grounded=False` later), unknown tags are dropped and an over-long TL;DR is cut, so
only output that does not even fit the structure fails the paper.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, ValidationInfo, field_validator, model_validator

from agent.engines.grounding import ground_claim
from agent.models import METRICS, Claim, ClaimKind, Summary


def _at_most(limit: int):
    def check(value: Any) -> Any:
        if value is not None and len(value) > limit:
            raise ValueError(
                f"at most {limit} {'characters' if isinstance(value, str) else 'items'} here, got {len(value)}"
            )
        return value

    return AfterValidator(check)


# Every string and list an answer can carry is bounded: a model (or a hostile endpoint) that sends a
# 2,000,000-character `problem` gets a validation error, never a stored field of that size. The bounds are
# checked here, not written into the JSON schema: a server that compiles the schema into a grammar (llama.cpp)
# would turn a maxLength of 1,200 into 1,200 optional repetitions.
Short = Annotated[str, _at_most(200)]
Sentence = Annotated[str, _at_most(1200)]
Line = Annotated[str, _at_most(600)]
Quote = Annotated[str, _at_most(1000)]
Label = Annotated[str | None, _at_most(300)]


# The current paper's validation context, for validation that gets no `context=` (the engine's instructor
# call). Per asyncio task, so concurrent papers never see each other's.
VALIDATION_CONTEXT: ContextVar[dict[str, Any] | None] = ContextVar("summarize_validation_context", default=None)


def _ctx(info: ValidationInfo) -> dict[str, Any]:
    if info.context is not None:
        return info.context
    return VALIDATION_CONTEXT.get() or {}


# The class docstrings below are sent to the model as schema descriptions: write them for the model.
# LLMClaim is `Claim` without `grounded`: the model does not get to say whether its own quote is real.
class LLMClaim(BaseModel):
    """One quantitative result of the paper, quoted exactly from the abstract."""

    text: Quote = Field(description="exact words copied from the abstract that state the result, including the number")
    number: float = Field(description="the reported value (the high end of a range)")
    low: float | None = Field(default=None, description="the low end of a range such as '1.5-2.4x', else null")
    unit: Short = Field(description="'x' for multipliers, '%' for percentages, else the unit as written")
    qualifier: Label = Field(default=None, description="'up to', 'on average', '~', 'over'... else null")
    metric: Label = Field(default=None, description="what it measures, one of: " + ", ".join(METRICS))
    baseline: Label = Field(default=None, description="what it is compared against, as named")
    kind: ClaimKind | None = Field(
        default=None,
        description="speedup (how many times faster), reduction (a cost "
        "made smaller: memory, cost, energy, latency in %), gain (a quality or rate made "
        "larger: accuracy, throughput in %), scale (a size reached: context length, "
        "steps), absolute (a level measured: 15.1 PFLOP/s, 88% accuracy)",
    )

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> LLMClaim:
        ctx = _ctx(info)
        abstract = ctx.get("abstract")
        if abstract is None or ctx.get("lenient"):
            return self
        if not ground_claim(abstract, self.text, self.number, self.unit):
            raise ValueError(
                f"claim text {self.text!r} with number {self.number:g} is not grounded: the text must be "
                "copied exactly, character for character, from the abstract and must contain the number "
                "as written there. Copy the exact words or leave this claim out."
            )
        return self


# The wire model sent as the function schema; its field names follow `Summary`.
class LLMSummary(BaseModel):
    """Structured summary of one research paper's abstract."""

    problem: Sentence = Field(description="one sentence: the problem the paper addresses")
    method: Sentence = Field(description="one sentence: what the paper proposes, named as the paper names it")
    hardware: Annotated[list[Short], _at_most(30)] = Field(
        default_factory=list, description="hardware named in the abstract, as written"
    )
    model_scale: Annotated[list[Short], _at_most(30)] = Field(
        default_factory=list, description="model sizes or named models evaluated, as written"
    )
    claims: Annotated[list[LLMClaim], _at_most(100)] = Field(
        default_factory=list, description="quantitative results, each quoted from the abstract"
    )
    tags: Annotated[list[Short], _at_most(30)] = Field(
        default_factory=list, description="topic tags, only from the list in the instructions"
    )
    tldr: Line = Field(description="one line: the method and its headline result with baseline")

    @field_validator("tags")
    @classmethod
    def _known_tags(cls, tags: list[str], info: ValidationInfo) -> list[str]:
        ctx = _ctx(info)
        allowed = ctx.get("tag_names")
        if allowed is None:
            return tags
        unknown = [t for t in tags if t not in allowed]
        if unknown and ctx.get("lenient"):
            return [t for t in tags if t in allowed]
        if unknown:
            raise ValueError(f"unknown tags {unknown}: use only these names: {', '.join(sorted(allowed))}")
        return tags

    @field_validator("tldr")
    @classmethod
    def _one_short_line(cls, tldr: str, info: ValidationInfo) -> str:
        ctx = _ctx(info)
        limit = ctx.get("max_tldr_words", 30)
        words = tldr.split()
        if ctx.get("lenient") and ("\n" in tldr.strip() or len(words) > limit):
            return ""  # a cut sentence is no TL;DR: the engine gives the rules engine's instead
        if "\n" in tldr.strip():
            raise ValueError("tldr must be a single line without line breaks")
        if len(words) > limit:
            raise ValueError(f"tldr has {len(words)} words; it must have at most {limit} words")
        return tldr.strip()

    def to_summary(self) -> Summary:
        """Our `Summary`. Claims are not grounded here: `agent.finishing.finish` decides that, once."""
        claims = [Claim(**c.model_dump()) for c in self.claims]
        data = self.model_dump(exclude={"claims"})
        return Summary(**data, claims=claims)


# -- the hybrid task (prompt label.v1): the rules engine proposes numbered candidates, the model labels ---


class LLMResult(BaseModel):
    """One candidate that is a result of the paper's own method."""

    id: int = Field(description="the candidate's number")
    baseline: Label = Field(default=None, description="what it is compared with, copied from the abstract, else null")


class LLMLabels(BaseModel):
    """Which candidates are the paper's results, and a short summary of the paper."""

    problem: Sentence = Field(description="one sentence: the problem the paper addresses")
    method: Sentence = Field(description="one sentence: what the paper proposes, named as the paper names it")
    results: Annotated[list[LLMResult], _at_most(100)] = Field(
        default_factory=list, description="the candidates that are the paper's own results"
    )
    tldr: Line = Field(description="one sentence: the method, what it does, its main result with the baseline")

    @field_validator("results")
    @classmethod
    def _known_candidates(cls, results: list[LLMResult], info: ValidationInfo) -> list[LLMResult]:
        ids = _ctx(info).get("candidate_ids")
        if ids is None:
            return results
        unknown = sorted({r.id for r in results} - set(ids))
        if unknown and not _ctx(info).get("lenient"):
            raise ValueError(f"unknown candidate numbers {unknown}: use only the numbers of the candidate list")
        seen: set[int] = set()
        kept = []
        for r in results:
            if r.id in ids and r.id not in seen:
                seen.add(r.id)
                kept.append(r)
        return kept

    _tldr = field_validator("tldr")(LLMSummary._one_short_line.__func__)  # type: ignore[attr-defined]
