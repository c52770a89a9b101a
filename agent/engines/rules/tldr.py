"""A one-line TL;DR: what the paper does (its method sentence, compressed) and its headline result.

At most `MAX_WORDS` words. It never is the abstract's first sentence as written, and says more than the
title (the title is a fallback only when it is all we have, then with the best claim appended).
"""

from __future__ import annotations

import re

from agent.models import Claim

from .sentences import trim

MAX_WORDS = 30

_LEAD = re.compile(
    r"^(?:(?:in|with)\s+(?:this|the\s+present|our)\s+(?:paper|work|study|article|report)\s*,?\s*|"
    r"here\s*,?\s*|to\s+(?:address|tackle|solve|overcome|fill|bridge|mitigate)\s+[^,]{0,80},\s*|"
    r"in\s+response[^,]{0,60},\s*|to\s+this\s+end\s*,\s*|specifically\s*,\s*|finally\s*,\s*|first\s*,\s*)+",
    re.I,
)
_PARENS = re.compile(r"\s*\([^()]{0,120}\)|\s*\[[^\[\]]{0,60}\]")
_WE_VERB = re.compile(r"^(?:we|this\s+(?:paper|work|study|article|report))\s+(?:also\s+|further\s+|first\s+)?"
                      r"(propose|present|introduce|develop|design|build|describe|implement|study|explore|investigate|"
                      r"provide|conduct|report|offer|show|demonstrate)\w*\s+", re.I)
_CLAUSE_BREAKS = re.compile(r",\s+(?:which|that|where|while|enabling|allowing|achieving|and|by|using|based)\b|;|:|\s+--?\s+|,")


def _words(s: str) -> list[str]:
    return s.split()


def _cut(s: str, limit: int) -> str:
    """At most `limit` words, ending at a clause break when one is close to the limit."""
    words = _words(s)
    if len(words) <= limit:
        return s.strip().rstrip(".;:,")
    head = " ".join(words[:limit])
    best = None
    for m in _CLAUSE_BREAKS.finditer(head):
        if len(_words(head[: m.start()])) >= max(6, limit // 2):
            best = m.start()
    out = head[:best] if best else head
    return out.strip().rstrip(".;:,")


def compress(sentence: str) -> str:
    s = trim(sentence)
    s = _LEAD.sub("", s)
    s = _PARENS.sub("", s)
    s = " ".join(s.split())
    return s[:1].upper() + s[1:] if s else s


def _headline(claims: list[Claim]) -> Claim | None:
    """The result to quote: prefer a claim with a baseline, then a multiplier, then the first."""
    if not claims:
        return None
    rank = sorted(range(len(claims)), key=lambda i: (claims[i].baseline is None, claims[i].unit != "x", i))
    return claims[rank[0]]


def _claim_phrase(c: Claim) -> str:
    text = " ".join(c.text.split()).rstrip(".,;")
    if c.baseline and c.baseline.lower() not in text.lower():
        text = f"{text} over {c.baseline}"
    return text


def make_tldr(title: str, sents: list[str], method: int | None, claims: list[Claim], name: str | None) -> str:
    budget = MAX_WORDS
    head = _headline(claims)
    phrase = _claim_phrase(head) if head else ""
    phrase_words = len(_words(phrase))
    if phrase_words > 14:
        phrase, phrase_words = "", 0

    if method is not None:
        core = compress(sents[method])
    elif len(sents) > 1:
        core = compress(sents[1])
    else:
        core = compress(title)
    room = budget - phrase_words - (1 if phrase else 0)
    core = _cut(core, max(8, room))
    if name and name.lower() not in core.lower() and len(_words(core)) + len(_words(name)) + 1 <= room:
        core = f"{name}: {core}"
    out = f"{core}; {phrase}" if phrase and len(_words(core)) + phrase_words <= budget else core
    out = " ".join(out.split())
    if sents and out.rstrip(".") == sents[0].strip().rstrip("."):
        out = _cut(out, max(8, len(_words(out)) - 3))
    words = _words(out)
    if len(words) > MAX_WORDS:
        out = " ".join(words[:MAX_WORDS])
    if _says_no_more(out, title) and phrase and phrase not in out:
        out = " ".join(_words(f"{_cut(out, MAX_WORDS - phrase_words - 1)}; {phrase}")[:MAX_WORDS])
    return out.replace("\n", " ").strip()


def _says_no_more(tldr: str, title: str) -> bool:
    norm = lambda s: set(re.findall(r"\w+", s.lower()))  # noqa: E731
    return norm(tldr) <= norm(title)
