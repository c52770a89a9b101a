"""Is a proposed claim supported by the abstract? Used by every engine before a number is reported.

`ground_claim` is deliberately forgiving about how a quote is written (whitespace, dashes, x/×/LaTeX
times, "\\%", thousands separators, K/M/B suffixes, number words) and strict about what it says: the
quote must occur in the abstract and must contain the number.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agent.models import Summary

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")
_LATEX_TIMES = re.compile(r"\$\s*\\times\s*\$|\\\(\s*\\times\s*\\\)|\\times(?![a-z])|\u00d7", re.I)
_SPACED_X = re.compile(r"(?<=\d)\s+x(?![a-z0-9])")
_NUMBER = re.compile(
    r"(?<![\w.])((?>\d+(?:,\d{3})*(?:\.\d+)?|\.\d+))(?:\s?(k|m|b|t|thousand|million|billion|trillion)(?![a-z]))?"
)
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9, "t": 1e12, "trillion": 1e12}
NUMBER_WORDS = {  # number words, one table for grounding and the rules engine
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "a hundred": 100,
}
_WORD_NUMBER = re.compile(
    r"\b("
    + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
    + r")(?:[\s-]+(thousand|million|billion|trillion))?\b"
)
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
    (re.compile(r"\btwice\b"), 2.0),
    (re.compile(r"\bthrice\b"), 3.0),
    (re.compile(r"\btwo[\s-]thirds?\b"), 0.667),
    (re.compile(r"\bone[\s-]third\b|\ba third\b"), 0.333),
    (re.compile(r"\bthree[\s-]quarters\b"), 0.75),
    (re.compile(r"\ba (?:second|minute|hour|day|week|month|year)\b"), 1.0),
]
_DIGIT_MAGNITUDES = re.compile(r"(\d+)\s*orders?\s+of\s+magnitude")
_FACTOR_OF = re.compile(r"factor of\s*$")


def _times(m: re.Match[str]) -> str:
    """A times sign becomes "x"; glued to a word ("×an order") it keeps the word whole: "x an order"."""
    end = m.end()
    return "x " if end < len(m.string) and m.string[end].isalpha() else "x"


def normalise(text: str) -> str:
    """Fold what differs between an abstract and a quote of it: whitespace, dashes, x/×, LaTeX times, \\%."""
    text = text.translate(_DASHES)
    text = _LATEX_TIMES.sub(_times, text)
    text = text.replace("\\%", "%").replace("{times}", "x").replace("{approx}", "~")
    text = " ".join(text.split()).lower()
    return _SPACED_X.sub("x", text)


_MARKER = {
    "x": re.compile(r"x(?![a-z])|times\b|-?\s?fold\b"),
    "%": re.compile(r"%|percent\b|per cent\b"),
}
_BETWEEN = re.compile(r"(?:[\s,/~-]|and\b|or\b|to\b|\d+(?:\.\d+)?)*")


def _number_spans(quote: str) -> list[tuple[float, int, int]]:
    """(value, start, end) of each number written with digits or as a word."""
    out: list[tuple[float, int, int]] = []
    for m in _NUMBER.finditer(quote):
        try:
            v = float(m.group(1).replace(",", ""))
        except ValueError:
            continue
        out.append((v * _SCALE[m.group(2)] if m.group(2) else v, m.start(), m.end()))
        out.append((v, m.start(), m.end(1)))
    for m in _WORD_NUMBER.finditer(quote):
        v = float(NUMBER_WORDS[m.group(1)])
        out.append((v * _SCALE[m.group(2)] if m.group(2) else v, m.start(), m.end()))
    return out


def _word_forms(quote: str) -> list[float]:
    values = [v for rx, v in _FORMS if rx.search(quote)]
    values += [10.0 ** min(int(m.group(1)), 30) for m in _DIGIT_MAGNITUDES.finditer(quote)]
    return values


def _unit_follows(quote: str, target: float, unit: str) -> bool:
    """For multipliers and percentages: the number is the one the x or % belongs to, not a GPU count that
    happens to stand in the same quote ("On 8 GPUs, a 3x speedup" does not ground 8x). Numbers listed
    together share the unit that follows the list ("2.5 and 3.1 times")."""
    marker = _MARKER[unit]
    if any(math.isclose(v, target, rel_tol=1e-6) for v in _word_forms(quote)):
        return True
    for value, start, end in _number_spans(quote):
        if not math.isclose(value, target, rel_tol=1e-6, abs_tol=1e-9):
            continue
        if unit == "x" and _FACTOR_OF.search(quote, 0, start):
            return True
        m = marker.search(quote, end)
        if m and _BETWEEN.fullmatch(quote, end, m.start()):
            return True
    return False


def _occurs_whole(quote: str, text: str) -> bool:
    """`quote` occurs in `text` without cutting a number or a word: "7x" is not in "10.7x", "5%" not in "25%"."""
    start = text.find(quote)
    while start != -1:
        end = start + len(quote)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        after2 = text[end + 1] if end + 1 < len(text) else " "
        # "x" before a digit is a folded "×" ("×3"), not part of a word
        cut_start = (before.isalnum() and quote[0].isalnum() and not (before == "x" and quote[0].isdigit())) or (
            quote[0].isdigit() and before in ".,"
        )
        cut_end = (after.isalnum() and quote[-1].isalnum()) or (
            quote[-1].isdigit() and after in ".," and after2.isdigit()
        )
        if not cut_start and not cut_end:
            return True
        start = text.find(quote, start + 1)
    return False


def numbers_in(quote: str) -> list[float]:
    """Every value `quote` (normalised) writes, with and without its K/M/B suffix, and its word forms."""
    return [v for v, _, _ in _number_spans(quote)] + _word_forms(quote)


def ground_claim(abstract: str, text: str, number: float, unit: str | None = None) -> bool:
    """True when `text` occurs in `abstract` (after normalising, as whole words and numbers) and `number`
    is written in `text`; for unit "x" or "%", as the number that unit belongs to."""
    if not isinstance(abstract, str) or not isinstance(text, str):
        return False
    try:
        number = float(number)
    except (TypeError, ValueError):
        return False
    if math.isnan(number) or math.isinf(number):
        return False
    quote = normalise(text)
    if not quote or not _occurs_whole(quote, normalise(abstract)):
        return False
    target = abs(number)
    if not any(math.isclose(v, target, rel_tol=1e-6, abs_tol=1e-9) for v in numbers_in(quote)):
        return False
    unit = (unit or "").strip().lower().replace("×", "x")
    return _unit_follows(quote, target, unit) if unit in _MARKER else True


def ground(abstract: str, summary: Summary) -> Summary:
    """Whatever an engine said, a claim is grounded only if its words and number are in the abstract.

    The one place a claim's `grounded` is decided, for every engine and every path (see agent.finishing)."""
    claims = [
        c.model_copy(update={"grounded": ground_claim(abstract, c.text, c.number, c.unit)}) for c in summary.claims
    ]
    return summary.model_copy(update={"claims": claims})


MAX_TAGS = 5
MAX_TLDR_WORDS = 30


_VENDORS = frozenset({"nvidia", "amd", "intel", "huawei", "google", "apple", "qualcomm", "arm", "aws", "amazon"})
_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)*")
_SIZE = re.compile(r"^~?(\d+(?:\.\d+)?)\s*([kmbt])(?:\s*(?:parameters?|params?))?$")


def _stem(token: str) -> str:
    return (
        token[:-2]
        if token.endswith("es") and len(token) > 4
        else token[:-1]
        if token.endswith("s") and len(token) > 3
        else token
    )


MAX_NAME_TOKENS = 6  # a hardware name or model size is a name, not a sentence


class _Folded:
    """A text folded once for many questions (its numbers and stemmed words computed on first use)."""

    def __init__(self, text: str) -> None:
        self.text = normalise(text)
        self._numbers: list[float] | None = None
        self._words: str | None = None

    @property
    def numbers(self) -> list[float]:
        if self._numbers is None:
            self._numbers = numbers_in(self.text)
        return self._numbers

    @property
    def words(self) -> str:
        if self._words is None:
            self._words = " " + " ".join(_stem(t) for t in _TOKEN.findall(self.text)) + " "
        return self._words


def mentioned(phrase: str, text: str | _Folded) -> bool:
    """Is `phrase` (a hardware name, a model size) written in `text`? Its words must stand together in the
    text, folded as a reader would: case, dashes, plurals ("GPU" in "GPUs"), a vendor the name implies
    ("AMD MI250X" in "MI250X"), and a size written out ("22B" in "22 billion parameters")."""
    folded = normalise(phrase)
    if not folded:
        return False
    source = text if isinstance(text, _Folded) else _Folded(text)
    size = _SIZE.match(folded)
    if size:
        value = float(size.group(1)) * _SCALE[size.group(2)]
        return any(math.isclose(value, v, rel_tol=1e-6) for v in source.numbers)
    tokens = [_stem(t) for t in _TOKEN.findall(folded) if t not in _VENDORS] or [
        _stem(t) for t in _TOKEN.findall(folded)
    ]
    if not tokens or len(tokens) > MAX_NAME_TOKENS:
        return False
    return f" {' '.join(tokens)} " in source.words


def tldr_problem(tldr: str, source: str | _Folded) -> str | None:
    """Why a TL;DR cannot be shown as ours, or None: one line, at most MAX_TLDR_WORDS words, and every
    number in it written in the paper's title or abstract (`source`)."""
    if "\n" in tldr.strip():
        return "more than one line"
    if len(tldr.split()) > MAX_TLDR_WORDS:
        return f"more than {MAX_TLDR_WORDS} words"
    known = (source if isinstance(source, _Folded) else _Folded(source)).numbers
    for value in numbers_in(normalise(tldr)):
        if not any(math.isclose(value, k, rel_tol=1e-6, abs_tol=1e-9) for k in known):
            return f"the number {value:g} is not in the abstract"
    return None


def _looks_like_scale(entry: str) -> bool:
    """A model size or a named model: "70B", "Llama-2-7B", "GPT-3 175B", "BERT"; not a phrase of the abstract."""
    words = entry.split()
    return bool(words) and len(words) <= 3 and (any(ch.isdigit() for ch in entry) or len(words) == 1)


def check_fields(title: str, abstract: str, summary: Summary) -> tuple[Summary, list[str]]:
    """Every field held to the paper, not only claims: hardware and model scale must be written in the
    title or abstract, at most MAX_TAGS tags, a TL;DR that passes `tldr_problem`. What fails is dropped
    (an empty TL;DR, a shorter list) and named in the returned list, never kept as fact."""
    source = _Folded(f"{title}\n{abstract}")  # folded once for every question below
    dropped: list[str] = []
    hardware = [h for h in summary.hardware if mentioned(h, source)]
    dropped += [f"hardware {h!r}" for h in summary.hardware if h not in hardware]
    scale = [s for s in summary.model_scale if _looks_like_scale(s) and mentioned(s, source)]
    dropped += [f"model_scale {s!r}" for s in summary.model_scale if s not in scale]
    tags = list(dict.fromkeys(summary.tags))[:MAX_TAGS]
    if len(tags) < len(summary.tags):
        dropped.append(f"{len(summary.tags) - len(tags)} tags over {MAX_TAGS}")
    tldr = summary.tldr
    if tldr and (why := tldr_problem(tldr, source)):
        dropped.append(f"tldr ({why})")
        tldr = ""
    if not dropped:
        return summary, dropped
    return summary.model_copy(update={"hardware": hardware, "model_scale": scale, "tags": tags, "tldr": tldr}), dropped
