"""Interest profiles: what a reader cares about, as free text, their own papers, or papers in the store.

A profile lives in the config directory as NAME.toml ($SUMMARIZE_CONFIG_DIR, else
$XDG_CONFIG_HOME/summarize, else ~/.config/summarize; profiles/ inside it), written so a person can edit it:

    interests = ["speculative decoding", "KV cache compression"]
    store_papers = ["2401.00001"]          # papers in the store, by id

    [[papers]]                              # the reader's own papers (from BibTeX, CSL JSON, Zotero CSV)
    title = "..."
    abstract = "..."
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from agent.errors import InputError
from agent.ids import arxiv_id

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class ProfilePaper:
    title: str
    abstract: str = ""
    id: str | None = None  # an arXiv id or a store id, when known


@dataclass
class Profile:
    name: str
    interests: list[str] = field(default_factory=list)
    papers: list[ProfilePaper] = field(default_factory=list)
    store_papers: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.interests or self.papers or self.store_papers)

    def digest(self) -> str:
        """Changes whenever what the profile says changes: stored scores from another version are stale."""
        body = json.dumps([self.interests, [(p.title, p.abstract) for p in self.papers], self.store_papers])
        return hashlib.sha256(body.encode()).hexdigest()[:16]


def split_interests(text: str) -> list[str]:
    """'speculative decoding, KV cache compression' -> two interests (commas, semicolons, lines)."""
    parts = re.split(r"[;\n]|,(?![^()]*\))", text)
    return [" ".join(p.split()) for p in parts if p.strip()]


def config_dir() -> Path:
    explicit = os.environ.get("SUMMARIZE_CONFIG_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "summarize"


def profiles_dir() -> Path:
    return config_dir() / "profiles"


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise InputError(f"profile name {name!r}: use letters, digits, '-', '_' or '.' (up to 64)")
    return name


def profile_path(name: str) -> Path:
    return profiles_dir() / f"{check_name(name)}.toml"


def list_profiles() -> list[str]:
    folder = profiles_dir()
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


def load_profile(name: str) -> Profile:
    path = profile_path(name)
    if not path.is_file():
        known = ", ".join(list_profiles()) or "none yet"
        raise InputError(f"no profile named {name!r} (known: {known}; `summarize profile add {name} ...` makes one)")
    return parse_profile(name, path.read_text(encoding="utf-8"), str(path))


def parse_profile(name: str, text: str, where: str) -> Profile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{where}: not valid TOML ({exc})") from None

    def strings(key: str) -> list[str]:
        value = data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(f"{where}: '{key}' must be a list of strings")
        return [v for v in (" ".join(v.split()) for v in value) if v]

    papers = []
    raw = data.get("papers", [])
    if not isinstance(raw, list) or not all(isinstance(p, dict) for p in raw):
        raise InputError(f"{where}: 'papers' must be [[papers]] tables with a title")
    for i, p in enumerate(raw, 1):
        title = p.get("title")
        if not isinstance(title, str) or not title.strip():
            raise InputError(f"{where}: paper {i} has no title")
        papers.append(
            ProfilePaper(" ".join(title.split()), " ".join(str(p.get("abstract", "")).split()), p.get("id") or None)
        )
    return Profile(name, strings("interests"), papers, strings("store_papers"))


def _toml_string(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def dump_profile(profile: Profile) -> str:
    lines = [
        f"# summarize interest profile {profile.name!r}: edit freely; one interest per string.",
        "interests = [" + ", ".join(_toml_string(i) for i in profile.interests) + "]",
        "store_papers = [" + ", ".join(_toml_string(i) for i in profile.store_papers) + "]",
    ]
    for p in profile.papers:
        lines += ["", "[[papers]]", f"title = {_toml_string(p.title)}"]
        if p.id:
            lines.append(f"id = {_toml_string(p.id)}")
        if p.abstract:
            lines.append(f"abstract = {_toml_string(p.abstract)}")
    return "\n".join(lines) + "\n"


def save_profile(profile: Profile) -> Path:
    path = profile_path(profile.name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".toml.tmp")
        tmp.write_text(dump_profile(profile), encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise InputError(f"{path}: cannot write the profile ({exc.strerror or exc})") from None
    return path


# -- the reader's own papers, from the files reference managers write ------------------------------


def read_papers_file(path: Path) -> tuple[list[ProfilePaper], list[str]]:
    """Papers from BibTeX (.bib), CSL JSON (.json), a Zotero CSV export (.csv) or a list of arXiv ids
    (any other text: one id or URL a line). Returns the papers with a title and the arXiv ids to look up."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    suffix = path.suffix.lower()
    if suffix in (".bib", ".bibtex") or re.match(r"\s*@\w+\s*[{(]", text):
        papers = parse_bibtex(text)
    elif suffix == ".json" or text.lstrip().startswith(("[", "{")):
        papers = parse_csl_json(text, path)
    elif suffix == ".csv":
        papers = parse_zotero_csv(text, path)
    else:
        ids = [arxiv_id(line) for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        bad = [line for line, i in zip(text.splitlines(), ids) if line.strip() and i is None]
        if bad or not ids:
            raise InputError(
                f"{path}: expected BibTeX, CSL JSON, a Zotero CSV export or one arXiv id a line"
                + (f" (cannot read {bad[0].strip()!r})" if bad else "")
            )
        return [], [i for i in ids if i]
    if not papers:
        raise InputError(f"{path}: no paper with a title in it")
    return papers, []


def _clean_tex(value: str) -> str:
    value = re.sub(r"\\[a-zA-Z]+\s*", " ", value)
    return " ".join(value.replace("{", "").replace("}", "").replace("~", " ").split())


def parse_bibtex(text: str) -> list[ProfilePaper]:
    """The title, abstract and arXiv id (eprint, arxiv id in a URL or DOI) of each BibTeX entry."""
    papers = []
    for entry in _bibtex_entries(text):
        fields = _bibtex_fields(entry)
        title = _clean_tex(fields.get("title", ""))
        if not title:
            continue
        ident = None
        for key in ("eprint", "arxivid", "url", "doi", "journal"):
            if key in fields and (ident := arxiv_id(fields[key])):
                break
        papers.append(ProfilePaper(title, _clean_tex(fields.get("abstract", "")), ident))
    return papers


def _bibtex_entries(text: str) -> list[str]:
    entries, i = [], 0
    while m := re.compile(r"@(\w+)\s*([{(])").search(text, i):
        if m.group(1).lower() in ("comment", "preamble", "string"):
            i = m.end()
            continue
        depth, j = 0, m.end() - 1
        while j < len(text):
            ch = text[j]
            depth += ch in "{(" and 1 or 0
            depth -= ch in "})" and 1 or 0
            j += 1
            if depth == 0:
                break
        entries.append(text[m.end() : j - 1])
        i = j
    return entries


def _bibtex_fields(body: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    pos = body.find(",") + 1  # after the citation key
    pattern = re.compile(r"\s*([A-Za-z][\w-]*)\s*=\s*")
    while m := pattern.match(body, pos):
        key, j = m.group(1).lower(), m.end()
        if j < len(body) and body[j] in "{\"":
            close, depth, k = ("}" if body[j] == "{" else '"'), 0, j
            while k < len(body):
                ch = body[k]
                if ch == "{":
                    depth += 1
                elif ch == "}":
                    depth -= 1
                if (close == "}" and depth == 0 and ch == "}") or (close == '"' and ch == '"' and k > j and depth == 0):
                    break
                k += 1
            value, j = body[j + 1 : k], k + 1
        else:
            end = body.find(",", j)
            end = len(body) if end < 0 else end
            value, j = body[j:end].strip(), end
        fields[key] = value
        comma = body.find(",", j)
        if comma < 0:
            break
        pos = comma + 1
    return fields


def parse_csl_json(text: str, path: Path) -> list[ProfilePaper]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    items = data if isinstance(data, list) else data.get("items", [data]) if isinstance(data, dict) else []
    papers = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("title"), str):
            continue
        ident = None
        for key in ("URL", "DOI", "number", "archive_location", "id"):
            if isinstance(item.get(key), str) and (ident := arxiv_id(item[key])):
                break
        papers.append(
            ProfilePaper(" ".join(item["title"].split()), " ".join(str(item.get("abstract", "")).split()), ident)
        )
    return papers


def parse_zotero_csv(text: str, path: Path) -> list[ProfilePaper]:
    rows = csv.DictReader(io.StringIO(text))
    if not rows.fieldnames or "Title" not in rows.fieldnames:
        raise InputError(f"{path}: a Zotero CSV export has a 'Title' column; this file has none")
    papers = []
    for row in rows:
        title = " ".join((row.get("Title") or "").split())
        if not title:
            continue
        ident = None
        for key in ("Url", "DOI", "Extra", "Archive Location"):
            if row.get(key) and (ident := arxiv_id(row[key])):
                break
        papers.append(ProfilePaper(title, " ".join((row.get("Abstract Note") or "").split()), ident))
    return papers
