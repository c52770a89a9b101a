"""Reading numbers as abstracts write them: "1,900K", "1.5M", "three", "an order of magnitude".

The regex fragments here are shared by the claim, scale and grounding code so that all of them agree on
what a number, a multiplication sign or a dash looks like.
"""

from __future__ import annotations

import re

from agent.engines.grounding import NUMBER_WORDS

# A decimal number: "1,000", "2.4", ".5". Not preceded by a letter, digit, dot or a "name-" prefix, so
# "GPT-4", "LLaMA-2", "v4", "ZO2" and "3.1.2" never start a number.
NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
NUM_START = r"(?<![\w.])(?<![A-Za-z]-)(?<![A-Za-z]\d-)"

# Hyphens and dashes of every kind, and "to" between the ends of a range.
DASH = r"[-\u2010\u2011\u2012\u2013\u2014\u2212~]"
DASH_CHARS = "-\u2010\u2011\u2012\u2013\u2014\u2212"

# A multiplication sign after a number: 3x 3X 3× 3 × 3\times 3$\times$ 3\(\times\) 3 times 3-fold.
TIMES = (
    r"(?:[xX](?![A-Za-z0-9])"
    r"|\s?\u00d7"
    r"|\s?\$\s*\\times\s*\$"
    r"|\s?\\\(\s*\\times\s*\\\)"
    r"|\s?\\times(?![A-Za-z])"
    r"|\s?\{times\}"  # LaTeX flattened by a converter: "5{times}"
    r"|[\s-]?times\b"
    r"|\s?[-\u2010\u2011]?\s?fold\b)"
)

WORD_NUMBERS = {**NUMBER_WORDS, "one hundred": 100}  # the table grounding reads, plus a form claims spell out
WORD_NUM = r"(?:" + "|".join(sorted(map(re.escape, WORD_NUMBERS), key=len, reverse=True)) + r")"

SCALE_WORDS = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "t": 1e12,
}


def parse_number(text: str) -> float | None:
    """The value of a numeral ("1,900", "2.4", "three"), or None when it is not one."""
    t = text.strip().lower().replace(",", "")
    if t in WORD_NUMBERS:
        return float(WORD_NUMBERS[t])
    try:
        return float(t)
    except ValueError:
        return None


def scaled(value: float, suffix: str | None) -> float:
    """Apply a K/M/B/T or thousand/million/billion suffix: (1.5, "M") -> 1500000."""
    if not suffix:
        return value
    return value * SCALE_WORDS.get(suffix.strip().lower(), 1.0)


def clean_float(value: float) -> float:
    """Round away binary noise from scaling: 1.9 * 1e6 -> 1900000.0."""
    return float(round(value, 9))
