"""Words for lexical matching: lower-cased, stop words dropped, plural and verb endings folded, the
two-word phrases ("kv cache", "federated learn") that make a topic more specific than its words, and the
thesaurus concepts a text names ("~survey" for "a systematic review"; agent/relevance/thesaurus.py)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_WORD_OR_BREAK = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[,;:.!?](?!\w)")  # a member does not run across these
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
    """A light, conservative stemmer: folds plurals and -ing/-ed/-ly so 'caches'/'caching' meet 'cache',
    and -ment so 'deployment' meets 'deployed'."""
    w = _stem(word)
    if w.endswith("ment") and len(w) >= 8:
        w = _fold_e(w[:-4])  # deployment -> deploy, management -> manag(ed)
    return w


def _stem(word: str) -> str:
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("iency"):
        word = word[:-5] + "ient"  # efficiency -> efficient
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
            if suffix == "ed" and base.endswith("e"):
                break  # speed, exceed: not a past tense
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


def terms(text: str, acronyms: dict[str, list[str]] | None = None, concepts: bool = False) -> list[str]:
    """Words and the two-word phrases of neighbouring content words (joined by a space). An acronym that
    `acronyms` knows also stands for its long form's words ("LLMs" -> large language model llm). With
    `concepts`, each thesaurus concept the text names, once per mention ("~kv_cache")."""
    out: list[str] = []
    append, normal, known = out.append, _normal, acronyms or {}
    previous = ""
    tokens = _WORD_OR_BREAK.findall(_LATEX.sub(" ", text.lower().replace("-", " ")))
    for token in tokens:
        if not token[0].isalnum():
            continue  # a comma or a full stop: only thesaurus members stop there
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
    if concepts:
        out.extend(term for term, _, _ in _matches([_exact(t) for t in tokens]))
    return out


@functools.lru_cache(maxsize=200_000)
def _exact(token: str) -> str:
    """A word as the thesaurus reads it: only plurals folded, stop words kept ("on-device" is "on device",
    "pre-trained" is not "pre-training"); the thesaurus lists the other forms it means. A break stays ","."""
    if not token[0].isalnum():
        return ","
    token = token.split("'")[0]
    if len(token) <= 3 or token.isdigit():
        return token
    if token.endswith("ies"):
        return token[:-3] + "y"
    if token.endswith("sses"):
        return token[:-2]
    return token[:-1] if token.endswith("s") and not token.endswith(_KEEP_S) else token


@functools.lru_cache(maxsize=1)
def _thesaurus() -> tuple[dict[str, dict[tuple[str, ...], list[str]]], dict[str, list[str]]]:
    """A member's first word -> (the member's words, as `_exact` reads them) -> its concept terms; and
    concept term -> its broader concepts' terms."""
    from agent.relevance.thesaurus import concept_term, parsed

    members: dict[str, dict[tuple[str, ...], list[str]]] = {}
    broader: dict[str, list[str]] = {}
    for label, names, up in parsed():
        term = concept_term(label)
        broader[term] = [concept_term(b) for b in up]
        for name in (label, *names):
            key = tuple(_exact(t) for t in _WORD.findall(name.lower().replace("-", " ")))
            if key:
                known = members.setdefault(key[0], {}).setdefault(key, [])
                if term not in known:
                    known.append(term)
    return members, broader


def _matches(words: list[str]) -> list[tuple[str, tuple[int, int], bool]]:
    """The concepts named in a list of words (as `_exact` reads them, "," for a break): (concept term, the
    first and last word naming it, named through a narrower concept), in order. A member is matched word
    for word; "mixture of experts" needs its "of". A broader concept follows the one naming it."""
    members, broader = _thesaurus()
    out: list[tuple[str, tuple[int, int], bool]] = []
    until: dict[str, int] = {}  # a concept is named once by overlapping members ("systematic review")
    for i in [i for i, w in enumerate(words) if w in members]:
        for key, named in members[words[i]].items():
            n = len(key)
            if n > 1 and tuple(words[i : i + n]) != key:
                continue
            for term in named:
                for t, narrower in ((term, False), *((up, True) for up in broader.get(term, ()))):
                    if until.get(t, -1) < i:
                        out.append((t, (i, i + n - 1), narrower))
                    until[t] = max(until.get(t, -1), i + n - 1)
    return out


def _mentions(text: str) -> list[tuple[str, tuple[int, int], bool]]:
    """`_matches` of a text, each with the span of text (characters) naming the concept."""
    found = [(m.group(), m.span()) for m in _WORD_OR_BREAK.finditer(_LATEX.sub(" ", text).lower().replace("-", " "))]
    return [
        (term, (found[a][1][0], found[b][1][1]), narrower)
        for term, (a, b), narrower in _matches([_exact(w) for w, _ in found])
    ]


def query_concepts(text: str) -> list[tuple[str, list[str]]]:
    """The concepts an interest names, each with the interest's own terms that named it: "surveys of
    LLM serving" -> [("~survey", ["survey"]), ("~serving", ["llm", "serv", "llm serv"])]. Broader
    concepts are left out: an interest in quantization is not one in every kind of compression."""
    base = _LATEX.sub(" ", text)
    out: dict[str, list[str]] = {}
    for term, (a, b), narrower in _mentions(text):
        if not narrower:
            own = out.setdefault(term, [])
            own += [t for t in terms(base[a:b]) if t not in own]
    return [(t, own) for t, own in out.items() if own]


def concept_mentions(text: str) -> dict[str, list[tuple[str, str, bool]]]:
    """Concept term -> how the text names it: (the words as written, their stems, through a narrower
    concept). For explanations: "systematic review" is how this paper says "survey"."""
    base = _LATEX.sub(" ", text)
    out: dict[str, list[tuple[str, str, bool]]] = {}
    for term, (a, b), narrower in _mentions(text):
        written = base[a:b]
        key = " ".join(_exact(w) for w in _WORD.findall(written.lower().replace("-", " ")))
        out.setdefault(term, []).append((written, key, narrower))
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
