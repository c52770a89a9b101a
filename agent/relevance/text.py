"""Words for lexical matching: lower-cased, stop words dropped, plural and verb endings folded, and the
two-word phrases ("kv cache", "federated learn") that make a topic more specific than its words."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_LATEX = re.compile(r"\$[^$]*\$|\\[a-zA-Z]+")

# Function words and the words every abstract of the field uses ("propose", "paper", "results"): they
# match everything and so say nothing about a reader's interests.
STOP = frozenset(
    """
a about above across after again against all almost along also although always am among an and another
any are around as at be became because become been before being below between both but by can cannot
could did do does doing done down during each either else enough etc even ever every few for from
further had has have having he her here hers herself him himself his how however i if in into is it its
itself just least less let like made make makes making many may me might more most much must my myself
near need needs neither no nor not now of off often on once one only onto or other others otherwise our
ours ourselves out over own per perhaps quite rather really same several shall she should since so some
such than that the their theirs them themselves then there therefore these they this those though
through thus to together too toward towards under until up upon us use used uses using very via was we
well were what whatever when where whether which while who whom whose why will with within without would
yet you your yours yourself
paper papers propose proposed proposes present presents presented introduce introduces introduced show
shows shown demonstrate demonstrates demonstrated result results approach approaches method methods new
novel work works study studies existing based achieve achieves achieved significant significantly
furthermore moreover first second third two three four five various across including include
includes provide provides providing however well compared state art e g ie eg et al x
""".split()
)

_KEEP_S = ("ss", "us", "is", "ous")


def stem(word: str) -> str:
    """A light, conservative stemmer: folds plurals and -ing/-ed/-ly so 'caches'/'caching' meet 'cache'."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(_KEEP_S):
        word = word[:-1]
    for long, short in (("ization", "iz"), ("isation", "iz"), ("ional", "ion"), ("ive", "")):
        if word.endswith(long) and len(word) - len(long) >= 4:
            word = word[: -len(long)] + short
            break
    if word.endswith(("tion", "sion")) and len(word) > 6:
        return word[:-3]  # distribution -> distribut, like distributed; compression -> compress
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if len(base) >= 2 and base[-1] == base[-2] and base[-1] not in "lsz":
                base = base[:-1]  # running -> run
            return _fold_e(base)
    if word.endswith("ly") and len(word) > 5:
        return word[:-2]
    return _fold_e(word)


def _fold_e(word: str) -> str:
    """'cache' and 'cach(ing)' meet at 'cach'; 'serve' and 'serv(ing)' at 'serv'."""
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


@functools.lru_cache(maxsize=200_000)
def _normal(token: str) -> str:
    token = token.split("'")[0]
    return "" if token in STOP or len(token) < 2 else stem(token)


def terms(text: str, acronyms: dict[str, list[str]] | None = None) -> list[str]:
    """Words and the two-word phrases of neighbouring content words (joined by a space). An acronym that
    `acronyms` knows also stands for its long form's words ("LLMs" -> large language model llm)."""
    out: list[str] = []
    append, normal, known = out.append, _normal, acronyms or {}
    previous = ""
    for token in _WORD.findall(_LATEX.sub(" ", text.lower().replace("-", " "))):
        w = normal(token)
        if not w:
            previous = ""
            continue
        expansion = known.get(w) if known else None
        if expansion:  # the long form's own words and phrases; the acronym itself after them
            for part in expansion:
                append(part)
                if previous:
                    append(previous + " " + part)
                previous = part
            append(w)
        else:
            append(w)
            if previous:
                append(previous + " " + w)
        previous = w
    return out


_ACRONYM = re.compile(r"\(([A-Z][A-Za-z]*[A-Z])s?\)")
_JOINERS = frozenset("of for from and the to in on with by a an".split())


def learn_acronyms(texts: list[str]) -> dict[str, list[str]]:
    """Acronyms the texts define ("Key-Value (KV) cache", "Convolutional Neural Networks (CNNs)"): the
    acronym's stem -> its long form's stemmed words, the most frequent long form when several."""
    seen: dict[str, dict[tuple[str, ...], int]] = {}
    for text in texts:
        for m in _ACRONYM.finditer(text):
            letters = [ch.lower() for ch in m.group(1) if ch.isupper()]
            if len(letters) < 2:
                continue
            before = re.findall(r"[A-Za-z0-9]+", text[max(0, m.start() - 120) : m.start()].replace("-", " "))
            long: list[str] = []
            i = len(letters) - 1
            for word in reversed(before):
                if i < 0:
                    break
                if word.lower() in _JOINERS and long:
                    continue
                if word[0].lower() != letters[i]:
                    break
                long.insert(0, word.lower())
                i -= 1
            if i >= 0:
                continue
            stems = tuple(w for w in (_normal(x) for x in long) if w)
            key = _normal(m.group(1).lower())
            if key and stems and key not in stems:
                seen.setdefault(key, {}).setdefault(stems, 0)
                seen[key][stems] += 1
    return {k: list(max(v, key=v.get)) for k, v in seen.items()}


def surface_forms(text: str, wanted: Iterable[str] | None = None) -> dict[str, str]:
    """Each stemmed word of `text` (or only those `wanted`) -> the first way the text spelled it."""
    forms: dict[str, str] = {}
    need = set(wanted) if wanted is not None else None
    lowered = _LATEX.sub(" ", text.replace("-", " "))
    for m in _WORD.finditer(lowered.lower()):
        w = _normal(m.group())
        if w and w not in forms and (need is None or w in need):
            forms[w] = lowered[m.start() : m.end()]
            if need is not None and len(forms) == len(need):
                break
    return forms
