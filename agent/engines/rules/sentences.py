"""Sentence spans of an abstract, and the sentences that state its problem and its method."""

from __future__ import annotations

import re

from .scan import Folded

# A sentence ends at . ! or ? followed by space and a capital, digit, quote or bracket, unless the dot
# belongs to an abbreviation ("e.g.", "i.e.", "et al.", "vs.", "a.k.a.", "Fig.", initials).
_BOUNDARY = re.compile(r"[.!?](?=\s+[\"'(\[A-Z0-9$\\])")
# the same for text without "!" or "?" (most abstracts): a literal first is found by a fast search, where a
# class first is tested at every character
_BOUNDARY_DOT = re.compile(_BOUNDARY.pattern.replace("[.!?]", "\\.", 1))
_ABBREVIATIONS = {
    "e.g",
    "i.e",
    "etc",
    "al",
    "vs",
    "cf",
    "fig",
    "eq",
    "sec",
    "tab",
    "no",
    "approx",
    "resp",
    "a.k.a",
    "w.r.t",
    "incl",
    "dr",
    "mr",
    "ms",
    "st",
}


def _is_abbreviation(text: str, dot: int) -> bool:
    """Is the "." at `dot` the end of an abbreviation ("e.g.", "et al.") or an initial ("J.")?"""
    start = max(text.rfind(" ", 0, dot), text.rfind("(", 0, dot)) + 1
    word = text[start:dot]
    if len(word) == 1 and word.isupper():
        return True
    return word.lower() in _ABBREVIATIONS


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence in `text`, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in (_BOUNDARY if "!" in text or "?" in text else _BOUNDARY_DOT).finditer(text):
        if text[m.start()] == "." and _is_abbreviation(text, m.start()):
            continue
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


_METHOD = re.compile(
    r"\b(?:we|this (?:paper|work|article|study|report|thesis|survey|review)|our (?:work|paper))\s+"
    r"(?:first\s+|also\s+|further\s+|then\s+|here\s+)?"
    r"(?:propose|present|introduce|develop|design|build|describe|implement|offer|create|explore|study|"
    r"investigate|conduct|provide|initiate|report|formulate|examine|analy[sz]e|demonstrate|systematically|make|"
    r"aim|review|survey|evaluat|assess|measur|characteri[sz]|benchmark|comprehensively)\w*",
    re.I,
)
_METHOD_FOLDED = Folded(_METHOD)
_PROBLEM = re.compile(
    r"\b(?:however|challeng\w*|suffer\w*|bottleneck\w*|limit(?:s|ed|ation\w*)|struggl\w*|difficult\w*|"
    r"inefficien\w*|costly|expensive|prohibitive\w*|lack\w*|fail\w*|hinder\w*|obstruct\w*|"
    r"remains? (?:an? )?(?:open|unclear|unexplored)|problem|issue\w*|constrain\w*|demands?|prevent\w*|"
    r"out of reach|error-prone|impractical|infeasible|slow|waste\w*|underutiliz\w*|overhead)\b",
    re.I,
)
_PROBLEM_FOLDED = Folded(_PROBLEM)
_LEADING = re.compile(
    r"^(?:(?:however|moreover|furthermore|additionally|nevertheless|nonetheless|therefore|thus|"
    r"in (?:this|the present) (?:[\w-]+ )?(?:paper|work|study|article)|in response(?: to [^,]{0,60})?|to (?:address|tackle|"
    r"overcome|fill|solve|bridge|mitigate) (?:this|these|the)[^,]{0,60}|in practice|in essence|"
    r"in reality|specifically|to this end)\s*[,:]\s*|\(?(?:\d|[ivx]{1,3}|[a-c])\)\s+)+",  # and list markers: "1) ", "(ii) "
    re.I,
)


def trim(sentence: str) -> str:
    """A sentence without its leading connective ("However, ", "In this paper, ")."""
    s = _LEADING.sub("", sentence.strip())
    return s[:1].upper() + s[1:] if s else s


def method_index(sents: list[str], name: str | None = None) -> int | None:
    """Index of the first sentence that states what the paper does ("we propose ..."); failing that, the
    first sentence after the opening one that names the system (`name`, from the title)."""
    for i, s in enumerate(sents):
        low = s.lower()
        if ("we " in low or "this " in low or "our " in low) and _METHOD_FOLDED.search(s, low):
            return i
    if name:
        for i, s in enumerate(sents[1:], 1):
            if name in s:
                return i
    return None


def problem_index(sents: list[str], method: int | None) -> int | None:
    """Index of the sentence that states the problem: the first problem-like one before the method."""
    stop = method if method is not None else len(sents)
    for i in range(1, stop):
        if sents[i][:7].lower() == "however":
            return i
    for i in range(stop):
        if _PROBLEM_FOLDED.search(sents[i]):
            return i
    # no problem words: the sentence just before the method sentence usually motivates it
    return method - 1 if method else None
