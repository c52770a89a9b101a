"""Is a proposed claim supported by the abstract? Used by every engine before a number is reported."""

from __future__ import annotations

import re

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")


def normalise(text: str) -> str:
    """Fold what differs between an abstract and a quote of it: whitespace, dashes, x/×, LaTeX times."""
    text = text.translate(_DASHES)
    text = re.sub(r"\$?\\?\\\(?\s*\\times\s*\\?\\\)?\$?|\$\s*\\times\s*\$|\\times", "x", text)
    text = text.replace("\u00d7", "x")
    return " ".join(text.split()).lower()


def _number_variants(number: float) -> set[str]:
    out = {f"{number:g}", f"{number:.1f}", f"{number:.2f}"}
    if number == int(number):
        out.add(str(int(number)))
    return out


def ground_claim(abstract: str, text: str, number: float) -> bool:
    """True when `text` occurs in `abstract` (after normalising) and `number` is written in `text`."""
    quote = normalise(text)
    if not quote or quote not in normalise(abstract):
        return False
    digits = re.sub(r"(?<=\d),(?=\d{3})", "", quote)
    return any(v in digits for v in _number_variants(number))
