"""Model scale: parameter counts of the models a paper builds, trains or evaluates ("8B", "1.3B", "178M").

"8B" on its own is a parameter count in this literature; "1.5M" or "2T" only when "parameters" or
"model" follows (otherwise it is a count of queries or tokens). Thresholds ("<=20B") are skipped.
"""

from __future__ import annotations

import re

from .numbers import NUM, WORD_NUM, parse_number
from .scan import ascii_twin, finditer_near

_SCALE_START = re.compile(r"\d(?<![^\W_]\d)(?<![,._$]\d)(?=[\s\S]{0,6}[BMT])")  # the digit first: cheap
_SCALE_START_ASCII = ascii_twin(_SCALE_START)
_SUFFIX = {"thousand": "K", "million": "M", "billion": "B", "trillion": "T", "k": "K", "m": "M", "b": "B", "t": "T"}

# "8B", "405B-parameter", "OPT-175B", "Llama 3.1 8B", "178M-1B parameters"
_COMPACT = re.compile(
    r"(?P<n>\d+(?:\.\d+)?)\s?(?P<s>[BMT])(?![\w])"
    r"(?P<after>(?:\s?[-\u2013]\s?\d+(?:\.\d+)?\s?[BMT](?!\w))?[\s-]*(?:active\s+|total\s+)?(?:param\w*|models?|LLMs?|dense|MoE)?)"
)
# "3 billion parameters", "1.3 billion and 3 billion parameters", "22 Billion, 175 Billion, and 1 Trillion parameters"
_WORDY = re.compile(rf"(?<![\w.])(?P<n>{NUM}|{WORD_NUM})[\s-]+(?P<s>thousand|million|billion|trillion)\b", re.I)
_WORDY_LIST_END = re.compile(r"^[\w\s,.-]{0,80}?\b(?:param\w*|models?\b)", re.I)
_WORDY_OTHER_NOUN = re.compile(
    r"^[\s-]*(?:tokens?|queries|requests|steps|users|samples|examples|images|documents|"
    r"instructions|words|pages|exaflops|flops|dollars|hours|GPU)",
    re.I,
)
_MODEL_AFTER = re.compile(r"param|model|LLM|dense|MoE|\d\s?[BT]", re.I)
_DATA_AFTER = re.compile(
    r"\s*(?:(?:training|pre-?training|synthetic)\s+)?(?:tokens?|bytes?|samples|queries|requests|images|"
    r"words|data|examples|documents|pairs|sentences|instructions|problems|videos)\b",
    re.I,
)
# "a parameter budget of 25M", "with parameters of 1.5M": the count said before the number
_PARAMS_BEFORE = re.compile(
    r"\bparameter(?:s|\s+(?:budget|count|size))\s+(?:of\s+)?(?:about\s+|only\s+|roughly\s+|~\s?)?$", re.I
)
_RANGE_AFTER = re.compile(r"\s?[-\u2013]\s?(\d+(?:\.\d+)?)\s?([BMT])")
_THRESHOLD = re.compile(r"(?:<=|>=|<|>|≤|≥|\bless than|\bmore than|\bunder|\bbelow|\babove|\bover)\s*$", re.I)


def _fmt(n: float, s: str) -> str:
    return f"{n:g}{s}"


def extract_scale(text: str, skip: list[tuple[int, int]] | None = None) -> list[str]:
    """Parameter counts in `text`, compact ("8B"), de-duplicated, in order of first mention.

    Mentions inside the `skip` spans (sentences about prior work or motivation) are left out."""
    out: list[tuple[int, str]] = []

    def add(pos: int, value: str) -> None:
        out.append((pos, value))

    for run in (_SCALE_START_ASCII if text.isascii() else _SCALE_START).finditer(text):
        # a number not inside a word or a number ("v4", "3.1", "$5B"; "Llama-2-7B" and "OPT-175B" are fine),
        # with a B, M or T right after it
        p = run.start()
        m = _COMPACT.match(text, p)
        if not m:
            continue
        n = parse_number(m.group("n"))
        suffix = m.group("s")
        if n is None or n == 0 or _THRESHOLD.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        after = m.group("after") or ""
        if suffix in "MT" and not _MODEL_AFTER.search(after) and not _PARAMS_BEFORE.search(text, max(0, p - 40), p):
            continue
        if _DATA_AFTER.match(text, m.end("s")):
            continue
        add(m.start("n"), _fmt(n, suffix))
        rng = _RANGE_AFTER.match(after)
        if rng:
            add(m.start("n") + 1, _fmt(float(rng.group(1)), rng.group(2)))

    lower = text.lower()
    for m in finditer_near(_WORDY, text, lower, ("thousand", "million", "billion", "trillion"), 24, 2):
        rest = text[m.end() :]
        if _WORDY_OTHER_NOUN.match(rest) or not _WORDY_LIST_END.match(rest):
            continue
        if re.match(
            r"^[^.]{0,40}?\b(?:tokens?|queries|requests|steps|samples|examples)\b", rest, re.I
        ) and not re.match(r"^[\s-]*param", rest, re.I):
            continue
        if _THRESHOLD.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        n = parse_number(m.group("n"))
        if n is None or n == 0:
            continue
        suffix = _SUFFIX[m.group("s").lower()]
        # bare numbers listed before this one share its scale: "7, 13, and 70 billion parameters"
        head = text[max(0, m.start() - 40) : m.start()]
        lead = re.search(r"((?:\d+(?:\.\d+)?\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+or\s+|\s*(?:-|\u2013|to)\s*))+)$", head)
        if lead:
            for x in re.findall(r"\d+(?:\.\d+)?", lead.group(1)):
                add(m.start() - 1, _fmt(float(x), suffix))
        add(m.start(), _fmt(n, suffix))
    out.sort(key=lambda t: t[0])
    seen: list[str] = []
    for pos, v in out:
        if skip and any(a <= pos < b for a, b in skip):
            continue
        if v not in seen:
            seen.append(v)
    return seen
