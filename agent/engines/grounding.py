"""Is a proposed claim supported by the abstract? Used by every engine before a number is reported.

`ground_claim` is deliberately forgiving about how a quote is written (whitespace, dashes, x/×/LaTeX
times, "\\%", thousands separators, K/M/B suffixes, number words) and strict about what it says: the
quote must occur in the abstract and must contain the number.
"""

from __future__ import annotations

import math
import re

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")
_LATEX_TIMES = re.compile(r"\$\s*\\times\s*\$|\\\(\s*\\times\s*\\\)|\\times(?![a-z])|\u00d7", re.I)
_SPACED_X = re.compile(r"(?<=\d)\s+x(?![a-z0-9])")
_NUMBER = re.compile(r"(?<![\w.])((?>\d+(?:,\d{3})*(?:\.\d+)?|\.\d+))(?:\s?(k|m|b|t|thousand|million|billion|trillion)(?![a-z]))?")
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9, "t": 1e12, "trillion": 1e12}
_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "hundred": 100, "a hundred": 100,
}
_WORD_NUMBER = re.compile(r"\b(" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")(?:[\s-]+(thousand|million|billion|trillion))?\b")
_FORMS = [
    (re.compile(r"\b(an?|one)[\s-]+orders?[\s-]+of[\s-]+magnitude"), 10.0),
    (re.compile(r"\btwo[\s-]+orders?[\s-]+of[\s-]+magnitude"), 100.0),
    (re.compile(r"\bthree[\s-]+orders?[\s-]+of[\s-]+magnitude"), 1000.0),
    (re.compile(r"\bhalf\b|\bhalv(?:e|es|ed|ing)\b"), 50.0),
    (re.compile(r"\bhalf\b|\bhalv(?:e|es|ed|ing)\b"), 0.5),
    (re.compile(r"\bdoubl(?:e|es|ed|ing)\b|\btwofold\b"), 2.0),
    (re.compile(r"\btripl(?:e|es|ed|ing)\b|\bthreefold\b"), 3.0),
    (re.compile(r"\bquadrupl(?:e|es|ed|ing)\b|\bfourfold\b"), 4.0),
    (re.compile(r"\btenfold\b"), 10.0),
]


def normalise(text: str) -> str:
    """Fold what differs between an abstract and a quote of it: whitespace, dashes, x/×, LaTeX times, \\%."""
    text = text.translate(_DASHES)
    text = _LATEX_TIMES.sub("x", text)
    text = text.replace("\\%", "%")
    text = " ".join(text.split()).lower()
    return _SPACED_X.sub("x", text)


def numbers_in(quote: str) -> list[float]:
    """Every value `quote` (normalised) writes, with and without its K/M/B suffix, and its word forms."""
    values: list[float] = []
    for m in _NUMBER.finditer(quote):
        try:
            v = float(m.group(1).replace(",", ""))
        except ValueError:
            continue
        values.append(v)
        if m.group(2):
            values.append(v * _SCALE[m.group(2)])
    for m in _WORD_NUMBER.finditer(quote):
        v = float(_WORDS[m.group(1)])
        values.append(v * _SCALE[m.group(2)] if m.group(2) else v)
    for rx, v in _FORMS:
        if rx.search(quote):
            values.append(v)
    return values


def ground_claim(abstract: str, text: str, number: float) -> bool:
    """True when `text` occurs in `abstract` (after normalising) and `number` is written in `text`."""
    if not isinstance(abstract, str) or not isinstance(text, str):
        return False
    try:
        number = float(number)
    except (TypeError, ValueError):
        return False
    if math.isnan(number) or math.isinf(number):
        return False
    quote = normalise(text)
    if not quote or quote not in normalise(abstract):
        return False
    target = abs(number)
    return any(math.isclose(v, target, rel_tol=1e-6, abs_tol=1e-9) for v in numbers_in(quote))
