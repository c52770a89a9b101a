"""Run a regex only near the words it needs: finding a literal is far cheaper than a regex scan.

On a typical abstract a full scan with a case-insensitive pattern costs tens of microseconds; most
patterns here can only match next to a fixed word ("GPU", "magnitude", "speedup"), so we find those words
with `str.find` and scan small windows around them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


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
