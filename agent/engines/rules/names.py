"""The system's name from a paper's title ("LlamaRL: A Distributed ... Framework" -> "LlamaRL").

One rule for every part of the rules engine (method sentence, background spans, TL;DR): the text before
the title's first colon, 2-40 characters and at most MAX_NAME_WORDS words, not a phrase that starts as a
question or a topic does ("Rethinking ...:", "How ...:").
"""

from __future__ import annotations

import re

MAX_NAME_WORDS = 4
_TITLE_NAME = re.compile(r"\s*([^:]{2,40}):\s*(.*)$", re.S)
_NOT_NAME_START = frozenset(
    {
        "from",
        "towards",
        "toward",
        "on",
        "beyond",
        "when",
        "why",
        "how",
        "what",
        "is",
        "are",
        "do",
        "does",
        "can",
        "rethinking",
        "revisiting",
        "understanding",
        "learning",
        "to",
        "in",
        "the",
        "a",
        "an",
        "less",
        "more",
        "not",
        "all",
        "one",
        "no",
        "should",
        "which",
        "who",
        "where",
    }
)


def title_parts(title: str | None) -> tuple[str | None, str]:
    """(name, the rest of the title), or (None, the title) when the title does not start with a name."""
    title = title or ""
    m = _TITLE_NAME.match(title)
    if m:
        words = m.group(1).split()
        if words and len(words) <= MAX_NAME_WORDS and words[0].lower() not in _NOT_NAME_START:
            return m.group(1).strip(), m.group(2).strip()
    return None, title


def title_name(title: str | None) -> str | None:
    return title_parts(title)[0]
