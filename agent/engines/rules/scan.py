"""Run a regex only near the words it needs: finding a literal is far cheaper than a regex scan.

On a typical abstract a full scan with a case-insensitive pattern costs tens of microseconds; most
patterns here can only match next to a fixed word ("GPU", "magnitude", "speedup"), so we find those words
with `str.find` and scan small windows around them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator


def ascii_twin(rx: re.Pattern[str]) -> re.Pattern[str]:
    """`rx` with `\\d` as `[0-9]` (`0-9` inside a class): the same matches on ASCII text (`str.isascii()` is a
    flag test), without the Unicode table look-up sre makes for `\\d` at every character of a scan."""
    out, i, in_class, src = [], 0, False, rx.pattern
    while i < len(src):
        ch = src[i]
        if ch == "\\" and i + 1 < len(src):
            pair = src[i : i + 2]
            out.append(("0-9" if in_class else "[0-9]") if pair == "\\d" else pair)
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
            out.append(ch)
            if src[i + 1 : i + 2] == "^":
                out.append("^")
                i += 1
            if src[i + 1 : i + 2] == "]":  # a "]" first in a class is a literal
                out.append("]")
                i += 1
        elif ch == "]" and in_class:
            in_class = False
            out.append(ch)
        else:
            out.append(ch)
        i += 1
    return re.compile("".join(out), rx.flags)


class Folded:
    """A case-insensitive pattern (written in lower case) that, on ASCII text, runs case-sensitively on the
    lower-cased text: the same matches at the same offsets, several times faster (under re.I sre folds
    the case of every character it compares). Other text gets the re.I pattern itself. A match's offsets
    are the text's; on ASCII text its groups are lower case."""

    def __init__(self, rx: re.Pattern[str]):
        bare = re.sub(r"\\.", "", rx.pattern)
        if not rx.flags & re.I or bare != bare.lower():
            raise ValueError(f"not a lower-case re.I pattern: {rx.pattern[:40]!r}")
        self.rx = rx
        self.folded = re.compile(rx.pattern, rx.flags & ~re.I)

    def search(self, text: str, low: str | None = None) -> re.Match[str] | None:
        """`rx.search(text)`; `low` is `text.lower()`, when the caller has it."""
        if text.isascii():
            return self.folded.search(text.lower() if low is None else low)
        return self.rx.search(text)

    def count(self, text: str, low: str | None = None) -> int:
        """`len(rx.findall(text))`."""
        if text.isascii():
            return len(self.folded.findall(text.lower() if low is None else low))
        return len(self.rx.findall(text))


def alternation(words: Iterable[str]) -> str:
    """A pattern for any of `words`, the longest first where several match, with the alternatives grouped by
    first character ("A(?:100|10)|H(?:100|20)"): sre then tries one group where a word can start, instead
    of every alternative at every position."""
    groups: dict[str, list[str]] = {}
    for w in sorted(set(words), key=lambda w: (-len(w), w)):
        groups.setdefault(w[0], []).append(re.escape(w[1:]))
    return "|".join(f"{re.escape(c)}(?:{'|'.join(rest)})" for c, rest in sorted(groups.items()))


def windows(hay: str, stems: tuple[str, ...], before: int, after: int) -> list[tuple[int, int]]:
    """Merged (lo, hi) spans of `before`/`after` characters around each occurrence of each stem."""
    spans = []
    n = len(hay)
    for stem in stems:
        i = hay.find(stem)
        while i >= 0:
            spans.append((max(0, i - before), min(n, i + len(stem) + after)))
            i = hay.find(stem, i + 1)
    if len(spans) > 1:
        spans.sort()
    merged: list[tuple[int, int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def finditer_near(
    rx: re.Pattern[str], text: str, hay: str, stems: tuple[str, ...], before: int, after: int
) -> Iterator[re.Match[str]]:
    """`rx.finditer(text)`, restricted to windows around `stems` found in `hay` (`text` or its lower case)."""
    for stem in stems:
        if stem in hay:
            break
    else:
        return
    for lo, hi in windows(hay, stems, before, after):
        yield from rx.finditer(text, lo, hi)


def search_near(
    rx: re.Pattern[str], text: str, hay: str, stems: tuple[str, ...], before: int, after: int
) -> re.Match[str] | None:
    for stem in stems:
        if stem in hay:
            break
    else:
        return None
    for lo, hi in windows(hay, stems, before, after):
        m = rx.search(text, lo, hi)
        if m:
            return m
    return None
