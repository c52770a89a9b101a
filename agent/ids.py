"""A paper's identity: arXiv ids found in text, and the title hash for papers without one.

Pure functions with no dependency, so that code which only needs an id (the CLI, profiles, links) does not
import the models; `agent.models` re-exports them as part of the contract.
"""

from __future__ import annotations

import re

_ARXIV_ID = re.compile(r"(?<![\w.])(\d{4}\.\d{4,5})(v\d+)?(?![\w])")
_OLD_ARXIV_ID = re.compile(r"(?<![\w.])([a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(v\d+)?(?![\w])")


def arxiv_id(text: str | None) -> str | None:
    """The arXiv id (without version) found in `text` (an id, an abs/pdf URL), or None."""
    if not text:
        return None
    m = _ARXIV_ID.search(text) or _OLD_ARXIV_ID.search(text)
    return m.group(1) if m else None


def normalise_title(title: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", title.lower()).split())


def paper_id_for(title: str, arxiv: str | None = None) -> str:
    """A paper's identity: its arXiv id without version, else a hash of its normalised title."""
    if arxiv:
        return arxiv
    import hashlib  # here: loading OpenSSL's hashes is a tenth of a --help's start-up

    digest = hashlib.sha1(normalise_title(title).encode()).hexdigest()[:12]
    return f"title:{digest}"
