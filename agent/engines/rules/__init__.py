"""The offline `rules` engine: a fast, deterministic extractor of claims, hardware, scale, tags and a TL;DR.

Every function here is pure and total on strings: `summarize` never raises, and every claim's `text` is
an exact substring of the abstract.
"""

from __future__ import annotations

import logging
import re

from agent import __version__
from agent.engines.base import Engine, hashed_key
from agent.models import SCHEMA_VERSION, Claim, Paper, Summary, Usage
from agent.resources import Taxonomy, load_taxonomy

from .claims import background_spans, extract_claims
from .hardware import _TRIGGER_RE as _HW_TRIGGER
from .hardware import HARDWARE_CLASSES, classes_named, extract_hardware
from .names import title_name
from .scale import extract_scale
from .scan import Folded
from .sentences import method_index, problem_index, sentence_spans, trim
from .tags import assign_tags, index, tokens
from .tldr import make_tldr

__all__ = ["RulesEngine", "extract_claims", "extract_hardware", "extract_scale"]

log = logging.getLogger(__name__)

_SURVEY = re.compile(
    r"\b(?:survey|systematic (?:literature )?review|comprehensive review|literature review|"
    r"a review|tutorial|overview)\b",
    re.I,
)
_SURVEY_ABSTRACT = re.compile(
    r"\b(?:this|our|the)\s+(?:survey|review)\b|\bwe\s+(?:review|survey)\b|\bin this survey\b", re.I
)


_SURVEY_ABSTRACT_FOLDED = Folded(_SURVEY_ABSTRACT)
# a word every title pattern needs (substring tests before the search)
_SURVEY_WORDS = ("survey", "review", "tutorial", "overview")


def is_survey(title: str, abstract: str) -> bool:
    """Review papers only discuss hardware and models; they report none of their own."""
    title = title or ""
    if (not title.isascii() or any(w in title.lower() for w in _SURVEY_WORDS)) and _SURVEY.search(title):
        return True
    lower = (abstract or "").lower()
    return ("survey" in lower or "review" in lower) and _SURVEY_ABSTRACT_FOLDED.count(abstract, lower) >= 2


def _hardware(
    title: str,
    abstract: str,
    title_tokens: list[str],
    abstract_words: set[str],
    background: list[tuple[int, int]] | None = None,
) -> list[str]:
    """Platforms from the abstract; from the title only named ones ("on 1024 H100s"), because a class is
    listed only when the abstract itself speaks of it as the platform ("GPU-Accelerated" in a title alone
    does not say what the paper ran on). For the same reason a class that only the scene-setting sentences
    name ("deployment on mobile devices is hard", "far from real-time even on a GPU") is left out, unless
    the title says the paper is about it ("Automate ... Training on Any GPU/TPUs")."""
    found = extract_hardware(abstract, abstract_words, background, classes_named(title_tokens))
    if title and (_HW_TRIGGER.search(title) or not _TITLE_HW_WORDS.isdisjoint(title_tokens)):
        named = [n for n in extract_hardware(title, set(title_tokens)) if n not in HARDWARE_CLASSES]
        found = [n for n in named if n not in found] + found
    return found


_TITLE_HW_WORDS = frozenset(
    (
        "nvlink",
        "infiniband",
        "rdma",
        "roce",
        "ethernet",
        "frontier",
        "summit",
        "aurora",
        "fugaku",
        "perlmutter",
        "lumi",
        "apple",
        "nvidia",
        "amd",
        "intel",
        "ascend",
        "tpu",
        "gaudi",
        "trainium",
        "jetson",
        "snapdragon",
        "raspberry",
        "cerebras",
        "groq",
        "graviton",
        "xeon",
        "epyc",
        "titan",
        "ec2",
        "cxl",
        "nvswitch",
        "pcie",
    )
)


# Part of the cache key: bump it when the engine's output changes for the same abstract, so that a
# stored summary made by an older engine is not served as this one's.
# 2: claim kinds and metrics, lists paired, TL;DRs without the title; 3: setup levels are not claims, metrics
# from the words of the change, scene-only hardware classes dropped, the TL;DR's sentence, result and wording;
# 4: a two-word keyword with a short last word meets its longer forms ("local lm*" tags "local LMs");
# 5: "faster" takes the latency or throughput named after it, a word that says what a dataset is about is not
# a metric, times in ms are latencies, a level reached ("achieving 100% success rate", "the FID to 13.75") is
# absolute, what a result kept ("without affecting accuracy") is not its metric, the object of a far change verb
# is, a comparison against "our model" is turned round, Inception Score and Frechet Inception Distance by name;
# a baseline's own numbers ("DenseNet-BC has an error rate of 3.46%") are not claims; TL;DRs without references
# to unseen sentences ("exploits this flexibility"), questions or ends a cut left open
RULES_VERSION = "5"


class RulesEngine(Engine):
    name = "rules"
    model = None
    prompt_version = None
    checks_fields = False

    def __init__(self, taxonomy: Taxonomy | None = None):
        self.taxonomy = taxonomy if taxonomy is not None else load_taxonomy()
        self._tag_index = index(self.taxonomy)

    def cache_key(self, paper: Paper) -> str:
        """Input, schema, release, RULES_VERSION and the taxonomy: an edited tags.toml must not serve old tags."""
        return hashed_key(
            self.name, RULES_VERSION, SCHEMA_VERSION, __version__, repr(self.taxonomy), paper.content_hash()
        )

    async def summarize(self, paper: Paper) -> tuple[Summary, Usage | None]:
        return self.extract(paper), None

    def extract(self, paper: Paper) -> Summary:
        """The summary of one paper, synchronously (what `summarize` returns, for callers without a loop)."""
        try:
            return self._summarize(paper.title or "", paper.abstract or "")
        except Exception:  # pragma: no cover - the property tests look for these; never fail a run on one
            log.exception("rules engine failed on %r; returning an empty summary", paper.id)
            return Summary()

    def _tags(
        self,
        title: str,
        abstract: str,
        survey: bool,
        title_tokens: list[str],
        abstract_tokens: list[str],
        abstract_words: set[str],
    ) -> list[str]:
        tags = assign_tags(self._tag_index, title, abstract, title_tokens, abstract_tokens, abstract_words)
        if survey and "survey" in self.taxonomy.names:
            tags = (["survey"] + [t for t in tags if t != "survey"])[: max(len(tags), 1)]
        return tags

    def _summarize(self, title: str, abstract: str) -> Summary:
        spans = sentence_spans(abstract)
        sents = [abstract[s:e] for s, e in spans]
        name = title_name(title)
        method = method_index(sents, name)
        problem = problem_index(sents, method)
        background = background_spans(abstract, spans, method, title)
        title_tokens, abstract_tokens = tokens(title), tokens(abstract)
        abstract_words = set(abstract_tokens)
        claims: list[Claim] = extract_claims(
            abstract, title, spans=spans, first_method=method, background=background, words=abstract_words
        )
        survey = is_survey(title, abstract)
        return Summary(
            problem=trim(sents[problem]) if problem is not None else "",
            method=trim(sents[method]) if method is not None else "",
            hardware=[] if survey else _hardware(title, abstract, title_tokens, abstract_words, background),
            model_scale=[] if survey else extract_scale(abstract, background),
            claims=claims,
            tags=self._tags(title, abstract, survey, title_tokens, abstract_tokens, abstract_words),
            tldr=make_tldr(title, sents, method, claims, name),
            tldr_source="rules",
        )
