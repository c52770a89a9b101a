"""Files the code reads at run time: prompts and the tag taxonomy.

In an installed wheel they live in `agent/prompts/`; in a source checkout, in the top-level `prompts/`.
`SUMMARIZE_PROMPTS_DIR` points somewhere else (for a user's own taxonomy or prompt).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from agent.errors import InputError


def prompts_dir() -> Path:
    override = os.environ.get("SUMMARIZE_PROMPTS_DIR")
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    installed = here / "prompts"
    return installed if installed.is_dir() else here.parent / "prompts"


@dataclass(frozen=True)
class Tag:
    name: str
    description: str
    keywords: tuple[str, ...]
    min_hits: int = 1


@dataclass(frozen=True)
class Taxonomy:
    version: str
    tags: tuple[Tag, ...] = field(default_factory=tuple)

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.tags]


@lru_cache(maxsize=8)
def _load_taxonomy(path: Path, _stamp: tuple[int, int]) -> Taxonomy:
    """Parsed once per version of the file (`_stamp` is its mtime and size)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        tags = tuple(
            Tag(
                name=name,
                description=str(spec.get("description", "")),
                keywords=tuple(str(k).lower() for k in spec.get("keywords", [])),
                min_hits=int(spec.get("min_hits", 1)),
            )
            for name, spec in data.get("tags", {}).items()
        )
    except (OSError, tomllib.TOMLDecodeError, AttributeError, TypeError, ValueError) as exc:
        raise InputError(f"{path}: not a readable tag taxonomy ({exc})") from None
    return Taxonomy(version=str(data.get("version", "1")), tags=tags)


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    path = (path or prompts_dir() / "tags.toml").resolve()
    try:
        st = path.stat()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the tag taxonomy ({exc.strerror})") from None
    return _load_taxonomy(path, (st.st_mtime_ns, st.st_size))
