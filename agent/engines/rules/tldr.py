"""A one-line TL;DR: what the paper does (its method sentence, compressed) and its headline result.

At most `MAX_WORDS` words. It never is the abstract's first sentence as written, and says more than the
title (the title is a fallback only when it is all we have, then with the best claim appended).
"""

from __future__ import annotations

import re

from agent.models import Claim

from .sentences import trim

MAX_WORDS = 30
TARGET_WORDS = 22

_LEAD = re.compile(
    r"^(?:(?:in|with)\s+(?:this|the\s+present|our)\s+(?:[\w-]+\s+)?(?:paper|work|study|article|report)\s*,?\s*|"
    r"here\s*,?\s*|to\s+(?:address|tackle|solve|overcome|fill|bridge|mitigate)\s+[^,]{0,80},\s*|"
    r"in\s+response[^,]{0,60},\s*|to\s+this\s+end\s*,\s*|specifically\s*,\s*|finally\s*,\s*|first\s*,\s*)+",
    re.I,
)
_PARENS = re.compile(r"\s*\([^()]{0,120}\)|\s*\[[^\[\]]{0,60}\]")
_WE_VERB = re.compile(r"^(?:we|this\s+(?:paper|work|study|article|report))\s+(?:also\s+|further\s+|first\s+)?"
                      r"(propose|present|introduce|develop|design|build|describe|implement|study|explore|investigate|"
                      r"provide|conduct|report|offer|show|demonstrate)\w*\s+", re.I)
_DANGLING = {"a", "an", "the", "of", "for", "to", "and", "or", "that", "which", "with", "in", "on", "by", "as", "at",
             "from", "into", "via", "is", "are", "its", "their", "our", "we", "this", "these", "both", "such"}
_CLAUSE_BREAKS = re.compile(r",\s+(?:which|that|where|while|enabling|allowing|achieving|and|by|using|based)\b|;|:|\s+--?\s+|,(?=\s)")


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
    out = (head[:best] if best else head).strip().rstrip(".;:,")
    words = out.split()
    while len(words) > 3 and words[-1].lower() in _DANGLING:
        words.pop()
    return " ".join(words).rstrip(".;:,")


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
    rank = sorted(range(len(claims)), key=lambda i: (claims[i].baseline is None,
                                                     not any(ch.isdigit() for ch in claims[i].text),
                                                     claims[i].unit not in ("x", "%"), i))
    return claims[rank[0]]


def _claim_phrase(c: Claim, limit: int = 14) -> str:
    """The claim's own words, with its baseline when the words leave it out, in at most `limit` words."""
    text = " ".join(c.text.split()).rstrip(".,;")
    if c.baseline and c.baseline.lower() not in text.lower():
        with_base = f"{text} over {c.baseline}"
        if len(_words(with_base)) <= limit:
            return with_base
    return _cut(text, limit) if len(_words(text)) > limit else text


def make_tldr(title: str, sents: list[str], method: int | None, claims: list[Claim], name: str | None,
              target: int = TARGET_WORDS) -> str:
    """"<title>: <method sentence, compressed>; <headline result>", about `target` words, never over 30.

    The title carries the paper's own key terms (it alone scores ROUGE-1 ~40 against author TL;DRs);
    the method sentence adds what the paper does, and the result what it achieves against what."""
    head = _headline(claims)
    phrase = _claim_phrase(head) if head else ""
    title = " ".join((title or "").split()).rstrip(".:;, ")
    if len(_words(title)) > 18:
        title = _cut(title, 18)
    if method is not None:
        core = compress(sents[method])
    elif len(sents) > 1:
        core = compress(sents[1])
    elif sents:
        core = compress(sents[0])
    else:
        core = ""
    if name and title and name.lower() not in title.lower():
        title = f"{name}: {title}"
    room = target - len(_words(title)) - len(_words(phrase))
    parts = [title] if title else []
    if core and room >= 6:
        parts.append(_cut(core, room))
    out = ": ".join(p for p in parts if p)
    if phrase:
        out = f"{out}; {phrase}" if out else phrase
    elif core and room < 6:
        out = f"{out}: {_cut(core, max(6, MAX_WORDS - len(_words(out))))}" if out else core
    out = " ".join(out.split())
    words = _words(out)
    if len(words) > MAX_WORDS:
        out = " ".join(words[:MAX_WORDS])
    if sents and out.rstrip(".") == sents[0].strip().rstrip("."):
        out = " ".join(_words(out)[: max(1, len(_words(out)) - 3)])
    return out


def _says_no_more(tldr: str, title: str) -> bool:
    norm = lambda s: set(re.findall(r"\w+", s.lower()))  # noqa: E731
    return norm(tldr) <= norm(title)
