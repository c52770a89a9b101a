"""The versioned extraction prompt: load `prompts/<version>.md`, check it, render it.

The engine renders the messages here (`render()`, templates compiled once, Jinja2 sandboxed, StrictUndefined:
a missing variable fails before any request) and hands instructor the finished text without `context=`,
so instructor does not template them again; the same context reaches the validators through
`llm_schema.VALIDATION_CONTEXT`. The abstract is a template *value*, never template text, so "{{" in an
abstract stays literal. (In MD_JSON mode the engine still passes the unrendered `messages()` and
`context=`, and instructor renders them the same way, with Jinja's lenient Undefined.)
"""

from __future__ import annotations

import hashlib
import re
import textwrap
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateError, meta
from jinja2.sandbox import SandboxedEnvironment

from agent.errors import InputError
from agent.resources import Taxonomy, prompts_dir

DEFAULT_PROMPT = "extract.v2"
MAX_TLDR_WORDS = 30

_MARKER = re.compile(r"^=== (system|user) ===[ \t]*$", re.MULTILINE)
_STRICT = SandboxedEnvironment(undefined=StrictUndefined)


@dataclass(frozen=True)
class Prompt:
    version: str  # the file stem, e.g. "extract.v2"
    sha256: str  # of the file's bytes
    system: str  # Jinja2 template text
    user: str

    @property
    def variables(self) -> set[str]:
        found: set[str] = set()
        for text in (self.system, self.user):
            found |= meta.find_undeclared_variables(_STRICT.parse(text))
        return found

    def messages(self) -> list[dict[str, str]]:
        """The unrendered messages, for instructor to render with the call's `context=` (MD_JSON mode)."""
        return [{"role": "system", "content": self.system}, {"role": "user", "content": self.user}]

    @cached_property
    def _compiled(self) -> list[tuple[str, Any]]:
        return [(m["role"], _STRICT.from_string(m["content"])) for m in self.messages()]

    def render(self, context: dict[str, Any]) -> list[dict[str, str]]:
        """Render strictly, byte for byte as instructor would (it dedents each message after rendering)."""
        try:
            return [{"role": role, "content": textwrap.dedent(t.render(**context))} for role, t in self._compiled]
        except TemplateError as exc:
            raise InputError(f"prompt {self.version}: {exc}") from None


def load_prompt(version: str = DEFAULT_PROMPT, directory: Path | None = None) -> Prompt:
    path = (directory or prompts_dir()) / f"{version}.md"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the prompt ({exc.strerror})") from None
    text = raw.decode("utf-8")
    parts = _MARKER.split(text)
    # parts = [preamble, "system", body, "user", body]
    sections = dict(zip(parts[1::2], (p.strip("\n") for p in parts[2::2])))
    if set(sections) != {"system", "user"} or len(parts) != 5:
        raise InputError(f"{path}: expected one '=== system ===' and one '=== user ===' section")
    prompt = Prompt(version=version, sha256=hashlib.sha256(raw).hexdigest(), **sections)
    try:
        _ = prompt.variables  # parses both templates: a syntax error is reported here, naming the file
    except TemplateError as exc:
        raise InputError(f"{path}: not a valid template ({exc})") from None
    return prompt


def prompt_context(title: str, abstract: str, taxonomy: Taxonomy) -> dict[str, Any]:
    """Template variables and validation context for one paper (the same dict serves both)."""
    return {
        "title": title,
        "abstract": abstract,
        "tags": [{"name": t.name, "description": t.description} for t in taxonomy.tags],
        "tag_names": frozenset(taxonomy.names),
        "max_tldr_words": MAX_TLDR_WORDS,
    }
