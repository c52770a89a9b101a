"""A one-line TL;DR: the system's name, what it is or does (its method sentence, compressed) and its headline result.

    "LlamaRL, a fully distributed asynchronous RL framework for large-scale LLM training, achieves up to
     10.7x speed-up compared to DeepSpeed-Chat-like systems."

The digest shows the title beside the TL;DR, so the TL;DR does not repeat it: it takes the name from the
title ("Name: ...") or from the method sentence ("we propose Name, a ..."), the description from the method
sentence without its "we propose", and the result that `agent.selection.headline` picks (the digest bolds
the same one). At most `MAX_WORDS` words, one line, ending at a complete phrase (never "... that facilitates"),
and never the abstract's first sentence as written. With no method sentence it falls back to the first
sentence that says what "we" do, then to the title's description.
"""

from __future__ import annotations

import re
from functools import lru_cache

from agent.headline import headline
from agent.models import Claim

from .names import title_parts
from .sentences import trim
from .tags import _TABLE, tokens

MAX_WORDS = 30
TARGET_WORDS = 28
# a title of at most this many words, with no "Name:" and no name in the method sentence, names the method
TITLE_AS_NAME = 4
# a longer one, up to this many words, leads as the topic ("Mitigating bias in NLI ...: a framework for ...");
# author TL;DRs reuse the title's key terms (the title alone scores ROUGE-1 ~40 on SciTLDR-A)
TITLE_AS_TOPIC = 16
CLAIM_WORDS = 14

_LEAD = re.compile(
    r"^(?:(?:in|with)\s+(?:this|the\s+present|our)\s+(?:[\w-]+\s+)?(?:paper|work|study|article|report|survey|review)\s*,?\s*|"
    r"here\s*,?\s*|(?:this|that)\s+is\s+why\s+|for\s+this\s+reason\s*,?\s*|to\s+(?:address|tackle|solve|overcome|fill|bridge|mitigate|this\s+end|that\s+end|do\s+so)\b[^,]{0,80},\s*|"
    r"in\s+response[^,]{0,60},\s*|specifically\s*,\s*|finally\s*,\s*|first\s*,\s*|"
    r"(?:in\s+)?(?:particular|addition|contrast)\s*,\s*|more\s+precisely\s*,\s*|instead\s*,\s*|therefore\s*,\s*|"
    r"thus\s*,?\s*|hence\s*,\s*|building\s+on\s+[^,]{0,60},\s*|inspired\s+by\s+[^,]{0,80},\s*)+",
    re.I,
)
# a leading subordinate clause before "we <verb>": "Motivated by ..., we present ..."
_WE_AFTER_COMMA = re.compile(r"^[^.;]{0,300}?,\s+(?=we\s+[a-z])", re.I)
# the same without the comma: "To solve this we propose ...", "Based on this analysis we develop ..."
_WE_AFTER_PHRASE = re.compile(
    r"^(?:to|based|inspired|motivated|building|following|given|using|leveraging|unlike|since|as|by|with|"
    r"guided|drawing|taking)\s[^.;,]{0,200}?\s(?=we\s+(?:propose|present|introduce|develop|design|construct|build|"
    r"describe|devise|formulate|create|derive)\b)",
    re.I,
)
_PARENS = re.compile(r"\s*\([^()]{0,120}\)|\s*\[[^\[\]]{0,60}\]")
_SUBJECT = re.compile(
    r"^(?:we|this\s+(?:paper|work|study|article|report|survey|review|thesis)|our\s+(?:paper|work|study|survey))\s+"
    r"(?:will\s+|shall\s+)?"
    r"(?:also\s+|further\s+|furthermore\s+|moreover\s+|additionally\s+|first\s+|then\s+|here\s+|thus\s+|therefore\s+|"
    r"now\s+|systematically\s+|comprehensively\s+)?"
    r"(?:aims?\s+to\s+|seeks?\s+to\s+|attempts?\s+to\s+|set\s+out\s+to\s+)?"
    r"(?:(?!(?:ap|re|sup|multi|com|im)ply\b)[a-z]{2,}ly\s+(?=[a-z]))?"
    r"((?!aims?\b|seeks?\b)[a-z]+)\b(?:\s+and\s+[a-z]+\b(?=\s+(?:an?|the)\s))?\s*",
    re.I,
)
# verbs whose object is the contribution itself: "we propose X" -> "X"
_CREATE = {
    "propose",
    "present",
    "introduce",
    "develop",
    "design",
    "build",
    "describe",
    "implement",
    "create",
    "offer",
    "provide",
    "formulate",
    "devise",
    "construct",
    "release",
    "contribute",
    "put",
    "bring",
    "establish",
    "derive",
    "define",
    "suggest",
    "open-source",
    "unveil",
}
_NOT_VERBS = {
    "are",
    "have",
    "can",
    "will",
    "would",
    "should",
    "could",
    "may",
    "might",
    "must",
    "need",
    "do",
    "did",
    "were",
    "had",
    "hope",
    "believe",
    "argue",
    "note",
    "want",
    "aim",
    "seek",
    "begin",
    "start",
    "is",
    "also",
    "call",
    "refer",
}
# "we formulate X as Y": the sentence says how the problem is seen, X is not the contribution
_RECAST = {"formulate", "define", "derive", "establish"}
_AS = re.compile(r"\sas\s")
# more verbs sharing the object: ", describe, and analyze "
_VERB_LIST = re.compile(r"^((?:,\s*[a-z]+)*,?\s+and\s+[a-z]+)\s+(?=[a-z])")
_NOVEL = re.compile(r"\b(?:novel|new|simple\s+yet\s+effective|simple\s+but\s+effective|innovative)\s+", re.I)
_NAMED = re.compile(
    r"^(.{3,90}?),?\s+(?:called|named|dubbed|termed|coined)\s+([A-Z][\w.+-]*(?:\s+[A-Z0-9][\w.+-]*){0,3})", re.S
)
_APPOSITIVE = re.compile(
    r"^([A-Za-z][\w.+!-]*(?:[ -][A-Z0-9][\w.+!-]*){0,4})\s*(?:,|:|\s+--?\s+|\s+—\s+)\s*(.+)$", re.S
)
_DANGLING = {
    "a",
    "an",
    "the",
    "of",
    "for",
    "to",
    "and",
    "or",
    "that",
    "which",
    "with",
    "in",
    "on",
    "by",
    "as",
    "at",
    "from",
    "into",
    "via",
    "is",
    "are",
    "its",
    "their",
    "our",
    "we",
    "this",
    "these",
    "both",
    "such",
    "than",
    "between",
    "each",
    "every",
    "not",
    "can",
    "be",
    "been",
    "being",
    "has",
    "have",
    "had",
    "was",
    "were",
    "will",
    "would",
    "should",
    "may",
    "might",
    "could",
    "who",
    "whose",
    "where",
    "when",
    "while",
    "using",
    "based",
    "called",
    "named",
    "including",
    "like",
    "so",
    "if",
    "because",
    "without",
    "within",
    "across",
    "over",
    "under",
    "through",
    "per",
    "among",
    "against",
    "towards",
    "toward",
    "upon",
    "about",
    "after",
    "before",
    "during",
    "since",
    "until",
    "then",
    "also",
    "only",
    "novel",
    "new",
    "designed",
    "aimed",
    "more",
    "most",
    "less",
    "very",
    "it",
    "they",
    "them",
    "his",
    "her",
    "do",
    "does",
    "whether",
    "how",
    "what",
    "all",
    "any",
    "some",
    "either",
    "neither",
    "nor",
    "but",
    "yet",
    "thus",
    "hence",
    "e.g.",
    "i.e.",
    "namely",
    "especially",
    "particularly",
    "specifically",
    "well",
    "even",
    "just",
    "one",
    "two",
    "three",
    "several",
    "many",
    "various",
    "different",
    "other",
    "efficient",
    "first",
    "facilitates",
    "enables",
    "allows",
    "provides",
    "helps",
    "makes",
    "uses",
    "leverages",
    "employs",
    "crafted",
    "tailored",
    "optimized",
    "explicitly",
    "further",
    "significantly",
    "achieving",
    "achieves",
    "resulting",
    "leading",
    "reaching",
    "yielding",
    "obtaining",
    "compared",
}
# objects a phrase may end on: "a strategy to combine them" is complete, "a strategy to combine" is not
_END_OK = {"it", "them"}
# where a clause may be cut: before a relative clause, a participle, a preposition that starts an adjunct
_BREAK = re.compile(
    r",\s+(?=(?:which|that|where|while|enabling|allowing|achieving|and|by|using|based|thereby|whereby|"
    r"resulting|leading|making|with|without|to|in|for|as|such)\b)|;|:|\s+--?\s+|\s+—\s+|,\s+|"
    r"\s+(?=(?:that|which|where|by|to|using|via|through|with|without|while|whereby|so\s+that|such\s+that|"
    r"in\s+order|based\s+on|for|in|on|across|from|under|over)\b)",
    re.I,
)
_VERB_START = re.compile(
    r"^(?:\w+ly\s+)?(?:improves?|reduces?|achieves?|outperforms?|accelerates?|speeds?|delivers?|yields?|attains?|"
    r"cuts?|lowers?|increases?|boosts?|enables?|reaches|provides?|matches|doubles|halves|saves?|surpasses|"
    r"offers?|runs?|trains?|scales?|supports?|maintains?|decreases?|raises?|brings?|shortens?|requires?|uses?|"
    r"consumes?|obtains?|gains?|exceeds?|beats?|processes|serves?|handles?|sustains?|shows?|solves?|"
    r"completes?|leads?|results?|demonstrates|exhibits|solves|enables|surpasses|attains|halves|doubles|"
    r"is|are|has|have|(?:can|could)\s+[a-z]+)\b",
    re.I,
)
_NUMBER_START = re.compile(
    r"^(?:up\s+to|over|more\s+than|at\s+least|nearly|almost|about|around|approximately|"
    r"on\s+average|an?\s|~|≈|\$|\d|\\)",
    re.I,
)
_SURVEY_TITLE = re.compile(r"\b(?:survey|review|overview|tutorial)\b", re.I)
_WE_ANY = re.compile(r"\b(?:we|our\s+(?:method|approach|model|system|framework|algorithm))\s+[a-z]", re.I)


# a second verb of the stripped "we" ("we analyze X and find that ..."): agrees with the third person too
_AND_VERB = re.compile(
    r"\b(and|then)\s+(find|show|demonstrate|propose|present|introduce|evaluate|use|provide|develop|analy[sz]e|study|"
    r"achieve|obtain|observe|discuss|compare|conclude|identify|reveal|explore|investigate|design|apply|train|test|"
    r"release|highlight|suggest|argue|prove|derive|establish|validate|verify|report|examine|measure|leverage|"
    r"characteri[sz]e|quantify|outline|describe|offer|open-source|build|implement|extend|introduce|confirm|perform|"
    r"illustrate|discuss|employ|combine)\b"
)
# the same after a noun phrase, only before an object: "an algorithm ... and use it to ..."
_AND_VERB_OBJ = re.compile(_AND_VERB.pattern + r"(?=\s+(?:it|its|them|this|these|the|an?|that|how|our|their)\b)")
_PRONOUN_SUBJECT = re.compile(
    r"^(?:it|this\s+(?:system|method|approach|framework|model|technique|design)|"
    r"our\s+(?:system|method|approach|framework|model|technique|design|implementation))\s+",
    re.I,
)
_COMPARED = re.compile(
    r"^(?:(?:up\s+to|about|nearly|over|at\s+least|around|approximately|roughly|more\s+than)\s+)?"
    r"(?:(?:an?|one|two|three)\s+orders?\s+of\s+magnitude|[~≈]?\s*[\d.,]+\s*(?:x|×|%|times|-fold|fold)?"
    r"(?:\s*(?:and|to|-|–)\s*[\d.,]+\s*(?:x|×|%|times)?)?)\s+"
    r"(?:faster|slower|better|larger|smaller|lower|higher|fewer|less|more|cheaper|longer|shorter|quicker|bigger)"
    r"(?=\s+(?:than|at|in|on|for|to|when|while|with|during|under)\b|\s*$|\s*,)",
    re.I,
)
# a finite verb somewhere in a result ("IPW improved 5.3x", "latency are improved by ..."): it is a clause
_HAS_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|can|could|will|would|\w+(?:ed|es))\b")
_THE_SUBJECT = re.compile(
    r"^(?:it|(?:the|this|our)\s+(?:proposed\s+)?(?:system|method|approach|framework|model|technique|design|"
    r"algorithm|architecture|implementation|tool|scheme|strategy))\s+",
    re.I,
)
_REL_VERB = re.compile(r"which\s+(?=(?:[a-z]+ly\s+)?[a-z]+\b)|that\s+(?=(?:[a-z]+ly\s+)?[a-z]+s\b)")
_REL_LEAD = re.compile(r"^(?:that|which)\s+(?=(?:[a-z]+ly\s+)?[a-z]+\b)")
_REL_END = re.compile(r"(?:,\s*|\s+)(?:that|which|who)\s+\S+$")
_ART = re.compile(r"^(an?)\s+(\S+)", re.I)
_IS_A = re.compile(r"^(\S+)\s+is\s+(an?\s.+|the\s.+)$")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"\w+")
_ALPHA = re.compile(r"[^\W\d_]")
_SPACE_PUNCT = re.compile(r"\s+([,;:.])")


def _words(s: str) -> list[str]:
    return s.split()


def _balanced(s: str) -> str:
    """Drop an unclosed bracket or quote and what follows it (a cut may leave one open)."""
    for open_, close in (("(", ")"), ("[", "]"), ("{", "}")):
        if s.count(open_) > s.count(close):
            s = s[: s.rfind(open_)]
    if s.count("$") % 2:
        s = s[: s.rfind("$")]
    if s.count('"') % 2:
        s = s[: s.rfind('"')]
    return s


_EXAMPLE_TAIL = re.compile(r",?\s+\(?(?:i\.e\.|e\.g\.|such\s+as|namely|including)\s*,?\s*(?:\S+\s*){0,2}$", re.I)


def _tidy_end(s: str) -> str:
    """No dangling function word, open bracket or trailing punctuation at the end, no example cut to a word or
    two ("..., i.e. algorithms")."""
    s = _balanced(s).strip().rstrip(".;:,-—")
    if "i.e" in s or "e.g" in s or "such as" in s or "namely" in s or "including" in s:
        s = _EXAMPLE_TAIL.sub("", s)
    words = s.split()
    while len(words) > 2 and words[-1].lower().strip(",;:") in _DANGLING and words[-1].lower() not in _END_OK:
        words.pop()
    return " ".join(words).rstrip(".;:,-—")


def _cut(s: str, limit: int) -> str:
    """At most `limit` words, ending at a complete phrase: at the last clause or phrase break within the limit
    (when that keeps at least half of it), then without a dangling function word."""
    s = " ".join(s.split())
    words = _words(s)
    if len(words) <= limit:
        return _tidy_end(s)
    head = " ".join(words[:limit])
    # a break right at the limit is a real break only if the next word starts a new phrase
    best = None
    floor = max(3, (limit * 1) // 2)
    # only breaks after the first `floor` words count: scan from there (s has single spaces)
    start = len(" ".join(words[:floor]))
    end = len(head)
    for m in _BREAK.finditer(head + " " + words[limit], start):
        if m.start() > end:
            break
        best = m.start()
    out = _tidy_end(head[:best] if best else head)
    # a relative clause cut to its verb alone ("a system that supports") says nothing: drop it
    rel = _REL_END.search(out)
    if rel and len(_words(out[: rel.start()])) >= 3:
        out = _tidy_end(out[: rel.start()])
    return out


# past-tense stems that keep their "e": "compared" -> "compares", "developed" -> "develops"
_E_STEMS = ("are", "ure", "ate", "ize", "ise", "yze", "yse", "uce", "ove", "bine", "mine", "fine", "line", "ibe", "ude", "ose", "ase", "ute",
            "ire", "use", "ore", "eve", "ive", "ue", "ide", "ame", "ace", "ege", "rge", "ize", "ure", "ble", "ple")  # fmt: skip


_IRREGULAR = {"found": "finds", "made": "makes", "gave": "gives", "took": "takes", "built": "builds", "ran": "runs",
              "saw": "sees", "chose": "chooses", "brought": "brings", "wrote": "writes", "began": "begins",
              "did": "does", "go": "goes", "do": "does", "had": "has", "put": "puts", "set": "sets"}  # fmt: skip


def _third_person(verb: str) -> str:
    v = verb.lower()
    if v in _IRREGULAR:
        return _IRREGULAR[v]
    if v in ("need", "feed", "seed", "speed", "exceed", "proceed", "succeed"):
        return v + "s"
    if v.endswith("ied") and len(v) > 4:
        return v[:-3] + "ies"  # "studied" -> "studies"
    if v.endswith("ed") and len(v) > 3:
        return v[:-1] + "s" if v[:-1].endswith(_E_STEMS) else v[:-2] + "s"
    if v.endswith("ed") or (v.endswith("s") and not v.endswith(("ss", "us"))):
        return v
    if v.endswith("y") and len(v) > 2 and v[-2] not in "aeiou":
        return v[:-1] + "ies"
    if v.endswith(("s", "sh", "ch", "x", "z")):
        return v + "es"
    return v + "s"


def _article(np: str) -> str:
    """Fix "a" / "an" after words were removed before the noun ("a novel LLM" -> "an LLM")."""
    m = _ART.match(np)
    if not m:
        return np
    nxt = m.group(2)
    low = nxt.lower()
    vowel = (low[:1] in "aeio" and not low.startswith(("one", "eu"))) or (
        low[:1] == "u" and not low.startswith(("us", "uni", "ub"))
    )
    nxt = nxt.replace("/", "-").split("-")[0]
    if nxt.isupper() and len(nxt) > 1:  # acronyms by their letter's sound: an LLM, an RL, a GPU
        vowel = nxt[0] in "AEFHILMNORSX"
    art = "an" if vowel else "a"
    if m.group(1)[0].isupper():
        art = art.capitalize()
    return art + np[len(m.group(1)) :]


@lru_cache(maxsize=32)
def _clean(sentence: str) -> str:
    """The sentence without its lead-in ("In this paper, ", "To solve this, "), brackets and final period
    (cached: describing a paper cleans its method sentence up to three times)."""
    s = trim(sentence)
    s = _LEAD.sub("", s)
    low = s.lower()
    if "we " in low or "we\n" in low or "we\t" in low:  # both patterns end before "we": a substring test first
        m = _WE_AFTER_COMMA.match(s) or _WE_AFTER_PHRASE.match(s)
        if m:
            s = s[m.end() :]
    if "(" in s or "[" in s:
        s = _PARENS.sub("", s)
    return " ".join(s.split()).rstrip(".")


def _looks_like_name(token: str) -> bool:
    """ "LlamaRL", "FedNano", "HEXGEN-TEXT2SQL", "e2SAD": a coined name, not an ordinary capitalised word."""
    core = token.strip(",.:;")
    if len(core) < 2 or core.lower() in {"a", "an", "the", "this", "these", "our", "we", "it"}:
        return False
    rest = core[1:]
    return (rest != rest.lower() or _DIGIT.search(core) is not None) and _ALPHA.search(core) is not None


def describe(sentence: str) -> tuple[str | None, str, bool]:
    """(name, description, is_noun_phrase) from a method sentence.

    "We propose LlamaRL, a fully distributed ... framework" -> ("LlamaRL", "a fully distributed ... framework", True)
    "We present a clustering algorithm that ..."            -> (None, "a clustering algorithm that ...", True)
    "We investigate posterior collapse from ..."            -> (None, "investigates posterior collapse from ...", False)
    """
    s = _clean(sentence)
    m = _SUBJECT.match(s)
    if not m or m.group(1).lower() in _NOT_VERBS:
        # "LlamaRL is a ...", "Our method reduces ...": keep the sentence, a subject and all
        nm = _IS_A.match(s)
        if nm and _looks_like_name(nm.group(1)):
            return nm.group(1), _article(_NOVEL.sub("", nm.group(2))), True
        return None, s, False
    verb, rest = m.group(1), s[m.end() :]
    base = verb.lower()
    for suffix in ("ed", "d", "s"):
        if base.endswith(suffix) and base[: -len(suffix)] in _CREATE:
            base = base[: -len(suffix)]
    more = _VERB_LIST.match(rest) if rest[:1] == "," else None
    verbs = ""
    if more:
        # "we release, describe, and analyze an OIE corpus": the object is shared by every verb
        verbs = re.sub(r"[a-z]+", lambda v: _third_person(v.group(0)) if v.group(0) != "and" else "and", more.group(1))
        rest = rest[more.end() :]
    if (
        base not in _CREATE
        or rest.lower().startswith(("to ", "that ", "how ", "whether ", "the problem", "the use"))
        or (base in _RECAST and _AS.search(" ".join(rest.split()[:12])))
    ):
        if " and " in rest or " then " in rest:
            rest = _AND_VERB.sub(lambda v: f"{v.group(1)} {_third_person(v.group(2))}", rest, count=1)
        return None, f"{_third_person(verb)}{verbs} {rest}".strip(), False
    low = rest.lower()
    if "new" in low or "novel" in low or "simple" in low or "innovative" in low:
        rest = _NOVEL.sub("", rest)
    if " and " in rest or " then " in rest:
        rest = _AND_VERB_OBJ.sub(lambda v: f"{v.group(1)} {_third_person(v.group(2))}", rest, count=1)
    if rest[:4].lower() == "and ":
        # "we propose and study X": the second verb shares the object
        rest = rest[4:].split(" ", 1)[-1]
    named = _NAMED.match(rest)
    if named:
        desc, name = named.group(1), named.group(2)
        after = rest[named.end() :].lstrip(" ,")
        if after.lower().startswith(("which", "that", "to ", "for ", "with ")):
            desc = f"{desc} {after}" if not after.lower().startswith("which") else f"{desc}, {after}"
        return name, _article(desc), True
    inner = _INNER_NAME.match(rest)
    if inner and _looks_like_name(inner.group(2)):
        # "a multi-agent framework, ExtAgents, to overcome ...": the name inside the noun phrase
        tail = inner.group(3)
        joiner = " " if tail.split(" ", 1)[0].lower() in ("to", "for", "that", "which", "with", "in", "on") else ", "
        if joiner == " " and tail.lower().startswith("which"):
            joiner = ", "
        named = inner.group(2).strip("\"“”")
        return named, _article(f"{inner.group(1)}{joiner}{tail}" if tail else inner.group(1)), True
    if rest[:1] in "\"“":
        rest = _QUOTED_NAME.sub(r"\1", rest, count=1)  # "Active Neural Localizer", a ...: the name without quotes
    app = _APPOSITIVE.match(rest)
    if rest[:4].lower() == "the " and rest[4:5].isupper():
        # "the Projective Subspace Networks, a deep learning paradigm ...": the name without "the"
        app = _APPOSITIVE.match(rest[4:]) or app
        if app and app.string is not rest:
            rest = rest[4:]
    if app and (
        _looks_like_name(app.group(1))
        or (
            app.group(1)[:1].isupper()
            and rest[app.end(1) : app.end(1) + 1] == ","
            and app.group(2)[:4].lower().startswith(("a ", "an ", "the "))
        )
    ):
        return app.group(1), _article(app.group(2)), True
    first = rest.split(" ", 1)
    if len(first) > 1 and _looks_like_name(first[0]) and _ART.match(first[1]):
        # "ElimiNet a neural network based model": an appositive without its comma
        return first[0].strip(","), _article(first[1]), True
    if first and _looks_like_name(first[0]) and len(first) > 1:
        # "We propose FearNet for incremental class learning": the name, then what it is for
        return first[0].strip(","), first[1], False
    return None, _article(rest), True


_INNER_NAME = re.compile(r"^((?:an?|the)\s[^,]{3,80}),\s+([^\s,]+(?:\s[A-Z][^\s,]*){0,2}),\s*(.*)$", re.S)
_QUOTED_NAME = re.compile(r"^[\"“]([^\"“”]{2,60})[\"”]")
_THAT_AFTER = re.compile(r"^\s+(?:that|which)\s+\S")
_NOUN_AFTER = re.compile(r"^\s+(?!(?:that|which|is|are|and|or|of|for|to|in|on|with)\b)[a-z][\w-]*\b")


def _drop_title_echo(desc: str, title: str) -> str:
    """ "Federated Full-Parameter Tuning at Scale for LLMs, the first first-order method ...": the title's own
    words before the first comma are said beside the TL;DR already; the description starts after them."""
    head, sep, tail = desc.partition(", ")
    if not sep or not tail:
        return desc
    words = _WORD.findall(head.lower())
    if len(words) < 3 or words[0] in ("a", "an", "the"):
        return desc
    title_words = set(_WORD.findall(title.lower()))
    # an acronym stands for its title words ("LLMs" for "Large Language Models")
    unknown = [w for w in words if w not in title_words]
    if len(unknown) <= len(words) // 4 and tail[:1].islower():
        return tail
    return desc


# where a name may be said again: ", Name," or "[,] called Name,"
_CALLED = re.compile(r",?\s+(?:called|named|dubbed|termed)\s+", re.I)
_COMMA_NAME = re.compile(r",\s+")
_NAME_LEAD = re.compile(r",|\s+(?:called|named|dubbed|termed)\s", re.I)


def _drop_said_name(desc: str, name: str) -> str:
    """The first ", Name," or "[,] called Name," dropped from `desc` ("a framework for GANs, ProbGAN, which" ->
    "a framework for GANs, which"). Fixed patterns tried where they can start, then the name compared: a
    pattern built from each paper's name would be compiled once per paper."""
    key = name.lower()
    lead = _NAME_LEAD.search(desc)
    while lead:
        at = lead.start()
        for rx in (_CALLED, _COMMA_NAME):
            m = rx.match(desc, at)
            end = m.end() + len(name) if m else 0
            if m and desc[m.end() : end].lower() == key and desc.startswith(",", end):
                return desc[:at] + desc[end:]
        lead = _NAME_LEAD.search(desc, at + 1)
    return desc


def _plural_name(name: str) -> bool:
    """ "Projective Subspace Networks", "Stacked U-Nets" are; "LlamaRL", "Autodidactic Iteration", "Ferret" is."""
    if not all(w[:1].isupper() for w in name.split()):
        return False  # "Cheap Routing of Queries": a title used as the name, said in the singular
    last = name.split()[-1] if " " in name else ""
    return last[:1].isupper() and last.endswith("s") and not last.endswith(("ss", "us", "is")) and last[1:-1].islower()


def _covers(desc: str, title: str) -> bool:
    """Does the description already say most of what the title says (its content words)? Then the title
    adds nothing as a topic: "From commands to prompts: LLM-based semantic file system: an LLM-based semantic file system"."""
    content = {w for w in tokens(title) if w not in _DANGLING and len(w) > 2}
    return len(content) >= 3 and len(content & set(tokens(desc))) >= 0.75 * len(content)


def _names_system(prefix: str, sents: list[str]) -> bool:
    """Is a title's "X:" the system's name? A coined word ("LlamaRL", "Infinite-LLM"), one word, or a phrase
    the abstract itself uses ("Minimax Curriculum Learning")."""
    words = prefix.split()
    if len(words) == 1 or any(_looks_like_name(w) or (w.isupper() and len(w) > 1) for w in words):
        return True
    if not all(w[:1].isupper() for w in words if w.lower() not in _DANGLING):
        return False  # "Hyperparameter optimization": a sentence-case phrase is a topic, not a name
    low = prefix.lower()
    return any(low in s.lower() for s in sents)


def _lower_title(phrase: str) -> str:
    """Title case to sentence case, keeping acronyms and coined names ("Efficient LLM Serving" -> "efficient LLM serving")."""
    words = phrase.split()
    if sum(w.isupper() for w in words) * 2 > len(words) >= 5:
        # an all-caps title ("TENSOR RING NETS ADAPTED ..."): its capitals mark nothing
        return " ".join(w.lower() for w in words)
    return " ".join(w if _looks_like_name(w) or (w.isupper() and len(w) > 1) else w.lower() for w in words)


_COMPARATIVE = re.compile(
    r"\b(?:improv|reduc|outperform|faster|fewer|less|more|higher|lower|better|speed|gain|sav|cut|increas|decreas|"
    r"boost|accelerat|lower|exceed|surpass|beat|than|over|order|fold|times|doubl|halv)",
    re.I,
)


# words that already name a claim's metric in its text (else the TL;DR adds "in <metric>")
_METRIC_WORDS = {
    "throughput": ("throughput", "tflop", "flops", "tokens/s", "requests/s", "qps", "goodput"),
    "latency": ("latenc", "response time", "ttft", "tpot", "delay", "deadline", "inference time"),
    "memory": ("memory", "storage", "footprint", "kv cache"),
    "cost": ("cost", "saving", "cheaper", "price"),
    "energy": ("energy", "power", "watt"),
    "communication": ("communicat", "bandwidth", "traffic"),
}
# units of a level that is a result in itself ("15.1 PFLOP/s", "2,300 tokens/s"), unlike a score or a share
_RATE_UNIT = re.compile(r"/s$|FLOP|^FPS$|^W$|^J$|^\$$")


# verbs that state a result; a claim's text that starts after one ("reduces inference time by 13% and
# [cloud costs by 84%]", "outperforming X in [latency by 33%]") is read from the verb on
_RESULT_VERB = re.compile(
    r"\b(reduc|improv|achiev|outperform|increas|accelerat|boost|cut|speed|surpass|exceed|deliver|yield|sav|attain|"
    r"shorten|decreas|doubl|halv|beat|demonstrat|obtain|offer|provid|bring|enabl|exhibit|solv)(?:e|es|ed|ing|s)?\b(?!-)",
    re.I,
)
_RESULT_THIRD = {
    "reduc": "reduces", "improv": "improves", "achiev": "achieves", "outperform": "outperforms",
    "increas": "increases", "accelerat": "accelerates", "boost": "boosts", "cut": "cuts", "speed": "speeds",
    "surpass": "surpasses", "exceed": "exceeds", "deliver": "delivers", "yield": "yields", "sav": "saves",
    "attain": "attains", "shorten": "shortens", "decreas": "decreases", "doubl": "doubles", "halv": "halves",
    "beat": "beats", "demonstrat": "demonstrates", "obtain": "obtains", "offer": "offers", "provid": "provides",
    "bring": "brings", "enabl": "enables", "exhibit": "exhibits", "solv": "solves",
}  # fmt: skip
_MODAL_AFTER = re.compile(r"\s+(?:can|could|may|might|will|would)\s+(?:still\s+|also\s+|even\s+)?[a-z]+\b.*$")
_MAGNITUDE = re.compile(
    r"\d|\b(?:order|orders|fold|double[sd]?|half|halve[sd]?|million|billion|thousand|hundred)\b", re.I
)


# a claim's text starting with one of these begins mid-phrase
_MID_PHRASE = {"based", "with", "of", "for", "to", "by", "and", "or", "as", "from", "in", "on", "into", "via", "than",
               "between", "using", "which", "that", "while", "where", "when"}  # fmt: skip


# a subject that is the paper's own system: the TL;DR already names it
_OWN_SUBJECT = re.compile(
    r"\b(?:we|our|it|its|this|these|proposed|method|model|system|approach|framework|algorithm|technique|"
    r"architecture|scheme|network|results?|experiments?|evaluations?)\b",
    re.I,
)


def _read_from_verb(c: Claim, sents: list[str]) -> str:
    """The claim as the abstract states it, from its result verb: "cloud computation costs by up to 84.55%" ->
    "reduces cloud computation costs by up to 84.55%" (when the verb is in the same clause, a few words
    before), "reducing client-side storage by 95%" -> "reduces ...". The claim itself is unchanged (the
    digest shows its own words)."""
    text = " ".join(c.text.split())
    first = _RESULT_VERB.match(text)
    if first:
        if first.group(0).lower().endswith("ing"):
            return _RESULT_THIRD[first.group(1).lower()] + text[first.end() :]
        # "[the capacity density of LLMs] doubles every three months": the verb's own subject, when it is
        # not the system itself ("our method", "it", "which")
        for sent in sents:
            at = sent.find(c.text)
            if at > 0:
                clause = re.split(r"[,;:(]|\bthat\s|\bwhich\s", sent[:at])[-1].strip()
                n = len(_words(clause))
                if 2 <= n <= 6 and clause[:1].islower() and not _OWN_SUBJECT.search(clause):
                    return f"{clause} {text}"
                break
        return text
    head = text.split()[:4]
    if any(_RESULT_VERB.match(w) or _VERB_START.match(w) for w in head):
        return text  # "our method improves 26% ...": the text has its verb
    for sent in sents:
        at = sent.find(c.text)
        if at < 0:
            continue
        ctx = sent[:at]
        cut = max(ctx.rfind(","), ctx.rfind(";"), ctx.rfind("("), ctx.rfind(":"))
        clause = ctx[cut + 1 :]
        # the last result verb among the clause's last 9 words (anchored matches, word by word)
        tail = clause.split()[-9:]
        verb = next((len(tail) - k for k, w in enumerate(reversed(tail), 1) if _RESULT_VERB.match(w)), None)
        if verb is None:
            # "the inference throughput and [latency are improved by 1.6X and 1.5X]": the subject it shares
            subject = re.split(r"\b(?:that|which|where|when|while)\s+", clause)[-1]
            if clause.rstrip().endswith(" and") and 2 <= len(_words(subject)) <= 6:
                return f"{' '.join(subject.split())} {text}"
            return text
        v = _RESULT_VERB.match(tail[verb])
        assert v is not None
        lead = " ".join([tail[verb][v.end() :], *tail[verb + 1 :]]).strip()
        return f"{_RESULT_THIRD[v.group(1).lower()]} {lead} {text}".replace("  ", " ")
    return text


# words of an amount, not of what it measures
_AMOUNT_WORDS = frozenset(
    ("order", "orders", "magnitude", "times", "fold", "percent", "than", "about", "over", "nearly")
)
# a baseline that is not one ("over those reached", "over or equal")
_NOT_BASELINE = frozenset(("or", "and", "those", "equal", "same", "that", "which", "of", "to", "in", "on", "by", "with",
                           "for", "as", "than", "it", "them", "this", "these"))  # fmt: skip


def _claim_phrase(c: Claim, limit: int = CLAIM_WORDS, text: str | None = None) -> str:
    """The claim's own words (the digest bolds them), or `text` (them read from their verb), with its baseline
    when they leave it out."""
    text = " ".join((c.text if text is None else text).split()).rstrip(".,;")
    if not _MAGNITUDE.search(text):
        return ""  # "triples": the number is not in the words quoted
    if text.split(" ", 1)[0].lower() in _MID_PHRASE:
        return ""  # "based method with a selection based method gives ...": the claim starts mid-phrase
    if _DIGIT.match(text) or _NUMBER_START.match(text):
        # "103.9x lower computational cost can still outperform ...": the claim ends before the next verb
        text = _MODAL_AFTER.sub("", text)
    if not c.baseline and sum(len(w) > 2 and w.isalpha() and w.lower() not in _AMOUNT_WORDS for w in text.split()) < 1:
        return ""  # "74%", "16 ms", "~ 2 orders of magnitude": a number without what it measures or what it beats
    if (
        not c.baseline
        and c.unit != "x"
        and (not _COMPARATIVE.search(text) or c.kind == "absolute" and not _RATE_UNIT.search(c.unit))
    ):
        return ""  # "25.4% test error": an absolute score, with nothing it improves on, is not a headline
    metric_stems = _METRIC_WORDS.get(c.metric or "")
    if metric_stems and not any(w in text.lower() for w in metric_stems):
        text = f"{text} in {c.metric}"  # "2.2x that of vLLM-Ascend" says 2.2x of what
    base = c.baseline if c.baseline and c.baseline.split(" ", 1)[0].lower() not in _NOT_BASELINE else None
    if base and base.lower() not in text.lower():
        with_base = f"{text} over {base}"
        if len(_words(with_base)) <= limit:
            return with_base
    if len(_words(text)) > limit:
        text = _cut(text, limit)
        if not _MAGNITUDE.search(text):
            return ""  # cut before its number: the result is not stated
    return text


def _initials(name: str) -> str:
    return "".join(w[:1].upper() for w in name.replace("-", " ").split())


def _lower_first(phrase: str) -> str:
    """ "It cuts ..." -> "it cuts ..." after a semicolon; names and acronyms keep their capitals."""
    first = phrase.split(" ", 1)[0]
    if _looks_like_name(first) or (first.isupper() and len(first) > 1):
        return phrase
    return phrase[:1].lower() + phrase[1:]


def _join_result(
    lead: str, phrase: str, subject: bool, name: str | None = None, clause: bool = False, relative: bool = False
) -> str:
    """`lead` followed by the result, joined so it reads: "X, a Y, achieves up to 3x ...". A `clause` lead
    already has its verb ("X uses Y", "Presents a method ..."): a result verb joins it with "and"
    ("... and outperforms Z by 3%"), a bare result as "achieving ..."."""
    if not phrase:
        return lead
    if not lead:
        return phrase[:1].upper() + phrase[1:]
    if subject:
        # the result's own subject is the system the lead already names ("Llumnix improves ...", "It cuts ..."):
        # say it once ("Llumnix, an LLM serving system ..., improves ...")
        subj = phrase.split(" ", 1)[0]
        if (
            name
            and lead.startswith(name)
            and (
                subj == name.split(" ", 1)[0]
                if " " not in name
                else phrase.startswith(name + " ") or subj == _initials(name)
            )
        ):
            rest = phrase[len(name) + 1 :] if phrase.startswith(name + " ") else phrase[len(subj) + 1 :]
            if _VERB_START.match(rest):
                phrase = rest
        elif name and lead.startswith(name):
            m = _PRONOUN_SUBJECT.match(phrase)
            if m and _VERB_START.match(phrase[m.end() :]):
                phrase = phrase[m.end() :]
    if _COMPARED.match(phrase):
        # "3.3 times faster at inference", "an order of magnitude larger than X": a comparison takes "is"
        if clause and name and lead.startswith(name):
            return f"{lead} and is {phrase}"
        if subject and not clause:
            return f"{lead}, is {phrase}"
        return f"{lead}, which is {phrase}"
    if relative:
        # "Presents a method ...": the result is the method's ("... that outperforms X by 2x"), its own subject
        # ("the system", "our method") the method the lead names
        m = _THE_SUBJECT.match(phrase)
        if m and _VERB_START.match(phrase[m.end() :]):
            phrase = phrase[m.end() :]
        if _VERB_START.match(phrase):
            return f"{lead}, which {phrase}" if " that " in lead else f"{lead} that {phrase}"
    if _VERB_START.match(phrase):
        if clause:
            return f"{lead} and {phrase}"
        return f"{lead}, {phrase}" if subject else f"{lead}; {_lower_first(phrase)}"
    if _NUMBER_START.match(phrase):
        return f"{lead}, achieving {phrase}" if not subject or clause else f"{lead}, achieves {phrase}"
    first = phrase.split(" ", 1)[0]
    if first[:1].islower() and first not in _DANGLING and not _HAS_VERB.search(phrase):
        return f"{lead}, with {phrase}"  # "cost savings of up to 6.7x over ReAct": a noun phrase, no verb
    return f"{lead}; {_lower_first(phrase)}"


def _fallback_sentence(sents: list[str]) -> int | None:
    """No method sentence: the first sentence that says what "we" do (the opening one only when it starts
    with "We": "We show how discrete objects can be learnt ...")."""
    if sents and sents[0][:3].lower() == "we " and _SUBJECT.match(sents[0]):
        return 0
    for i, s in enumerate(sents[1:], 1):
        if _WE_ANY.search(s):
            return i
    return None


def _fallback_for(title: str, sents: list[str]) -> int | None:
    """Among the sentences that say what "we" do, the one sharing most content words with the title (the
    title says what the paper is about; "we evaluate on ..." rarely does); the first on a tie."""
    first = _fallback_sentence(sents)
    if first is None or first == 0:
        return first
    content = {w for w in tokens(title) if w not in _DANGLING and len(w) > 2}
    best, best_n = first, -1
    for i in range(first, min(len(sents), first + 6)):
        if _WE_ANY.search(sents[i]):
            low = sents[i].lower()
            # as for a method sentence: proposing counts like a title word, evaluating against, a reference to
            # an unseen sentence twice against
            n = (
                len(content & set(tokens(sents[i])))
                + _match_at_we(_CREATE_WE, low)
                - _match_at_we(_EVAL_WE, low)
                - 2 * (_dangling(sents[i]) is not None)
            )
            if n > best_n:
                best, best_n = i, n
    return best


# both on the lower-cased sentence (a case-sensitive pattern is several times faster)
_CREATE_WE = re.compile(
    r"\b(?:we|this\s+(?:paper|work)|our\s+(?:paper|work))\s+(?:\w+ly\s+|also\s+|first\s+|here\s+|then\s+)?"
    r"(?:propose|present|introduce|develop|design|describe|formulate|devise|build|construct)"
)
_EVAL_WE = re.compile(
    r"\b(?:we|our\s+(?:experiments?|results?|evaluations?))\s+(?:\w+ly\s+|also\s+|further\s+|then\s+|empirically\s+)?"
    r"(?:evaluat|demonstrat|show|test|compar|conduct|validat|verif|perform|report|achiev|obtain|observ|find|found|"
    r"experiment|appl|illustrat|benchmark|measur)"
)


def _words_of(text: str) -> str:
    return text.encode("ascii", "replace").translate(_TABLE).decode("ascii")


def _match_at_we(rx: re.Pattern[str], low: str) -> bool:
    """Does `rx` (which starts with "we", "this" or "our") match at a word start of `low`? Tried only where
    those words are: a scan of the pattern from every position is several times slower."""
    for w in ("we ", "this ", "our "):
        at = low.find(w)
        while at >= 0:
            if (at == 0 or not low[at - 1].isalnum()) and rx.match(low, at):
                return True
            at = low.find(w, at + 1)
    return False


def _stems(text: str) -> set[str]:
    return {w[:5] for w in tokens(text) if len(w) > 2 and w not in _DANGLING}


def _creation_verb(sentence: str) -> str | None:
    """ "We present a ..." -> "Presents": the verb that made the description its object."""
    m = _SUBJECT.match(_clean(sentence))
    if m:
        verb = m.group(1).lower()
        for suffix in ("ed", "d", "s"):
            if verb.endswith(suffix) and verb[: -len(suffix)] in _CREATE:
                verb = verb[: -len(suffix)]
        if verb in _CREATE and verb not in ("put", "bring", "open-source"):
            return _third_person(verb).capitalize()
    return None


_WE_OR_PAPER = re.compile(r"\bwe\s|\b(?:this|our)\s+(?:paper|work|study|article|report|survey|review|thesis)\b")


def _says_what_we_do(sentence: str) -> bool:
    """ "We propose ...", "In this paper, we study ...": not "We are interested in ..." nor "We have seen ..."."""
    low = sentence.lower()
    if ("we " not in low and "this " not in low and "our " not in low) or not _WE_OR_PAPER.search(low):
        return False  # what every pattern below needs: substring tests, then one search
    if _match_at_we(_CREATE_WE, low):
        return True
    m = _SUBJECT.match(_clean(sentence))
    return m is not None and m.group(1).lower() not in _NOT_VERBS


def _choose(title: str, sents: list[str], method: int | None) -> int | None:
    """The sentence to describe the paper from: the method sentence unless another "we" sentence says more of
    what the title says and proposes rather than evaluates ("We demonstrate the benefits of ... with experiments"
    is not the contribution; the sentence that introduces the title's method is)."""
    if method is None or not title:
        return method
    named, _ = title_parts(title)
    if named and named in sents[method] and _match_at_we(_CREATE_WE, sents[method].lower()):
        return method  # "we present MuJoCo-Drones-Gym, ...": the sentence that introduces the title's system
    content = [" " + w for w in _stems(title)]
    if len(content) < 2:
        return method

    def score(i: int, words: str) -> float:
        s = sents[i]
        n = sum(map(words.__contains__, content))  # in C: a generator per sentence cost more than the tests
        we = " we " in words or " our " in words or " this " in words
        low = s.lower() if we else ""
        create = we and _match_at_we(_CREATE_WE, low)
        evaluate = we and _match_at_we(_EVAL_WE, low)
        # a title word is worth as much as proposing rather than evaluating; the method sentence wins ties
        # a question ("we study a question: can ...?") is what the paper asks, not what it contributes
        return n + create - evaluate + 0.5 * (i == method) - 2 * (_dangling(s) is not None) - 4 * ("?" in s)

    # a sentence's words as `tokens` sees them (lower case, everything else a space; one character stays one
    # character): " we " and the title words are then substring tests
    best, best_score = method, score(method, f" {_words_of(sents[method])} ")
    if best_score >= len(content) / 2 + 1.5 and "?" not in sents[method]:
        return method  # it proposes, and says half the title or more: it is the contribution
    words_all = f" {_words_of(chr(10).join(sents))} "  # all sentences in one pass, sliced below
    spans = []
    at = 0
    for sent in sents:
        spans.append((at, at + len(sent) + 2))
        at += len(sent) + 1
    for i, (a, b) in enumerate(spans):
        if i == method:
            continue
        words = words_all[a:b]
        if " we " not in words and " this " not in words and " our " not in words:
            continue  # not a sentence about what the paper does
        # at most one point more than its title words: skip what cannot win before the costlier tests
        if sum(map(words.__contains__, content)) + 1 > best_score and _says_what_we_do(sents[i]):
            sc = score(i, words)
            if sc > best_score:
                best, best_score = i, sc
    return best


def make_tldr(
    title: str, sents: list[str], method: int | None, claims: list[Claim], name: str | None, target: int = TARGET_WORDS
) -> str:
    """ "<Name>, <what it is>, <verb> <headline result>" in about `target` words, never over `MAX_WORDS`.

    A description that points back at a sentence the reader never saw ("addresses this problem by ...")
    is replaced by the next sentence that says what the paper does without one; a "such" left after that
    is dropped ("learn such a metric" -> "learn a metric")."""
    out = _referring_to_nothing_unseen(title, sents, method, claims, name, target)
    if "uch " in out:
        out = _SUCH.sub(_without_such, out)
        out = out[:1].upper() + out[1:]
    return _without_cut_end(out)


# an end the cut left open: a verb whose object was cut ("..., significantly improving."), a wh-clause without its
# verb ("..., the extent to which additional information.")
_OPEN_VERB_END = re.compile(
    r",\s+(?:\w+ly\s+)?(?:improving|enabling|reducing|achieving|outperforming|allowing|making|providing|yielding|"
    r"increasing|boosting|surpassing|lowering)\.$"
)
_OPEN_WH_END = re.compile(
    r"(?:,\s*|\s+)(?:the\s+(?:extent|degree)\s+)?(?:(?:to|in|of|on|by|for|with)\s+which|of\s+what)\s+"
    r"((?:\S+\s+){0,5}\S+)\.$"
)
# a word that may be the clause's verb: be, have, a modal, or a verb form by its ending ("hinders", "generalize")
_MAYBE_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|can|could|will|would|may|might|must|should|does|do|did|"
    r"\w+(?:s|ed|ize|ise|ate|en|fy))\b"
)


def _without_cut_end(out: str) -> str:
    verb_end = _OPEN_VERB_END.search(out) if out.endswith("ing.") else None
    wh_end = _OPEN_WH_END.search(out) if " which " in out or " what " in out else None
    if wh_end and _MAYBE_VERB.search(wh_end.group(1)):
        wh_end = None  # the clause has its verb
    for m in (verb_end, wh_end):
        head = _tidy_end(out[: m.start()]) if m else ""
        if len(_words(head)) >= _MIN_WORDS:
            return head + "."
    return out


def _referring_to_nothing_unseen(
    title: str, sents: list[str], method: int | None, claims: list[Claim], name: str | None, target: int
) -> str:
    out = _make_tldr(title, sents, method, claims, name, target)
    if _dangling(out) is None:
        if _unsaid_referent(out) is None:
            return out
        # "Proposes to exploit this flexibility by ...": another sentence that says what the paper does, taken
        # whole when it points back at nothing; else this one as it is (cutting such a clause out reads worse)
        # (from the method sentence on: the chooser may have preferred a later sentence to it)
        start = method if method is not None else 0
        for j in range(start, min(len(sents), start + 4)):
            if _match_at_we(_CREATE_WE, sents[j].lower()):  # only a sentence that says what the paper makes
                other = _make_tldr(title, sents, j, claims, name, target, choose=False)
                if other != out and _usable(other):
                    return other
        return out
    first = out
    out = _finish(_drop_dangling(out), sents)
    if _usable(out) or not sents:
        return out
    start = (method if method is not None else 0) + 1
    for j in range(start, min(len(sents), start + 3)):
        if _WE_ANY.search(sents[j]) and not _dangling(sents[j]):
            other = _make_tldr(title, sents, j, claims, name, target, choose=False)
            if _dangling(other) is not None:
                other = _finish(_drop_dangling(other), sents)
            if _usable(other):
                return other
    # nothing better: the reference dropped if that leaves a phrase, else the line as it was
    return out if _dangling(out) is None and len(_words(out)) >= _MIN_WORDS else first


# a TL;DR shorter than this says nothing ("Proposes a simple method.")
_MIN_WORDS = 6


def _usable(out: str) -> bool:
    return _dangling(out) is None and _unsaid_referent(out) is None and len(_words(out)) >= _MIN_WORDS


def _make_tldr(
    title: str,
    sents: list[str],
    method: int | None,
    claims: list[Claim],
    name: str | None,
    target: int = TARGET_WORDS,
    choose: bool = True,
) -> str:
    head = headline(claims)
    if head:
        read = _read_from_verb(head, sents)
        # the words read before the claim's own come on top of its length
        phrase = _claim_phrase(head, CLAIM_WORDS + min(4, len(_words(read)) - len(_words(head.text))), read)
    else:
        phrase = ""
    title = " ".join((title or "").split()).rstrip(".:;, ")
    title_name, subtitle = title_parts(title)
    if title_name and not _names_system(title_name, sents):
        # "Initialization matters: ...", "Rigorous Agent Evaluation: ...": a phrase, not the system's name
        title_name, subtitle = None, title
    if name and name != title_name:
        name = None
    name = name or title_name
    if not claims and _SURVEY_TITLE.search(title):
        return _survey(title, sents, method)

    if method is None:
        index = _fallback_for(title, sents)
    else:
        index = _choose(title, sents, method) if choose else method
    if index is None and len(sents) > 1:
        index = 1  # the second sentence usually narrows the opening one's topic to the paper's own
    found_name, desc, is_np = describe(sents[index]) if index is not None else (None, "", True)
    if name is None and found_name:
        name = found_name
    if not desc and title:
        # nothing that says what the paper does: the title's own description
        desc = _lower_title(subtitle if title_name else title)
        is_np = True
    vp = not is_np  # "analyzes X and finds Y", or a whole clause: a result joins it as "achieving ..."
    plain, plain_np = desc, is_np
    title_words = len(_words(title))
    if name is None and title and desc and title_words <= TITLE_AS_NAME:
        # a short title names the method ("Deep Continuous Clustering"): use it as the name
        name = title
    elif (
        name is None
        and title
        and desc
        and title_words <= TITLE_AS_TOPIC
        and ": " in title
        and not desc.lower().startswith(title.lower()[:20])
        and not (is_np and _covers(desc, title))
    ):
        head, colon, tail = title.partition(": ")
        # The reader sees the title beside the TL;DR, so the TL;DR never repeats it whole. "From Commands to
        # Prompts: LLM-based Semantic File System": when the description says what the part after the colon
        # says, the part before it is the topic; otherwise there is no topic.
        if not (is_np and _covers(desc, tail)):
            head = ""
        topic = _lower_title(head)
        topic = (
            topic.replace(": ", " — ") if topic else ""
        )  # one colon in the line: "Hyperparameter optimization — a spectral approach: ..."
        # after the colon only a function word is lowered ("The model ..." -> "the model ..."): a capitalised
        # word mid-sentence is a name ("Halo")
        first = desc.split(" ", 1)[0]
        if topic:
            desc = (
                f"{topic[:1].upper()}{topic[1:]}: {desc[:1].lower() + desc[1:] if first.lower() in _DANGLING else desc}"
            )
            is_np = False
    if desc and name:
        # "a Latent Topic Conversational Model that ...", "Neural Program Search, an algorithm ...": the name
        # said again in its own description
        bare = _ART.sub(r"\2", desc, count=1) if _ART.match(desc) or desc[:4].lower() == "the " else desc
        if bare[:4].lower() == "the ":
            bare = bare[4:]
        stem = name.lower().rstrip("s")
        if bare.lower().startswith(stem) and not desc.lower().startswith(name.lower()):
            after = bare[len(stem) :].lstrip("s")
            if after.startswith((", a ", ", an ", ", the ")):
                desc = after[2:]
            elif _THAT_AFTER.match(after):
                # "a Latent Topic Conversational Model that augments ...": "Name, which augments ..."
                desc = "which " + after.split(None, 1)[1]
            elif _NOUN_AFTER.match(after) and bare != desc:
                # "the Skip RNN model which extends ...": "Name is a model which extends ..."
                desc = _article("a " + after.strip())
        if desc.lower().startswith(name.lower()):
            desc = desc[len(name) :].lstrip(" ,:")
        desc = _drop_title_echo(desc, title)
        rel = _REL_VERB.match(desc)
        if rel and not phrase:
            # "Name, which trains ..." with no result to add: "Name trains ..."
            desc, is_np = desc[rel.end() :], False
    if desc and name and name.lower() in desc.lower():
        # "a probabilistic framework for GANs, ProbGAN, which ...", "a method called competitive experience
        # replay, which ...": the name is already said
        desc = _drop_said_name(desc, name)

    if phrase and desc:
        # the description already states the result ("solves a task with over one million steps"): it ends there
        claim = " ".join(head.text.split()) if head else ""
        at = desc.find(claim) if claim else -1
        if at > 0 and len(_words(desc[:at])) >= 4:
            desc, phrase = desc[: at + len(claim)], ""
        else:
            lead_words = " ".join(_words(phrase)[:3]).lower()
            at = desc.lower().find(lead_words)
            if at > 0 and len(_words(desc[:at])) >= 4:
                desc = _tidy_end(desc[:at])
    room = target - len(_words(phrase)) - (len(_words(name)) + 1 if name else 0)
    room = max(room, 8)
    desc = _cut(desc, room) if desc else ""
    if desc and plain and desc != plain and _says_no_more(desc, title):
        # a long title as the topic left no room for the description: the description alone
        desc, is_np, vp = _cut(plain, room), plain_np, not plain_np
    if name and desc and is_np:
        if phrase:
            out = _join_result(f"{name}, {desc}", phrase, subject=True, name=name)
        else:
            be = "are" if _plural_name(name) else "is"
            out = f"{name} {be} {desc}" if _ART.match(desc) or desc[:4].lower() == "the " else f"{name}: {desc}"
    elif name and desc:
        lead = _REL_LEAD.match(desc)
        if lead:
            desc = desc[lead.end() :]  # "ProxylessNAS that can directly learn ...": the name is the subject
        if desc.split(" ", 1)[0].lower() in _DANGLING:
            desc = desc[:1].lower() + desc[1:]  # "Name: we argue ...", not "Name: We argue ..."
        out = _join_result(
            f"{name} {desc}" if not _SUBJECT.match(desc) else f"{name}: {desc}",
            phrase,
            subject=True,
            name=name,
            clause=not _SUBJECT.match(desc),
        )
    elif desc and is_np and index is not None and (verb := _creation_verb(sents[index])):
        # "A method for ..." is the object of the sentence's own verb: "Presents a method for ..."
        # the description is in the abstract's own casing ("Generative Adversarial Privacy and Fairness")
        out = _join_result(f"{verb} {desc}", phrase, subject=False, clause=True, relative=True)
    elif desc:
        out = _join_result(desc[:1].upper() + desc[1:], phrase, subject=not is_np and not vp, clause=not is_np)
    else:
        out = _join_result(name or "", phrase, subject=True, name=name)
    return _finish(out, sents)


def _survey(title: str, sents: list[str], method: int | None) -> str:
    """ "Survey of X: covers A, B and C." from the title's topic and the method sentence's object."""
    topic = re.sub(
        r"^(?:an?\s+|the\s+)?(?:comprehensive\s+|systematic\s+|brief\s+|extended\s+)?"
        r"(?:survey|review|overview|tutorial)\s+(?:of|on)\s+",
        "",
        title,
        flags=re.I,
    )
    topic = re.sub(
        r":?\s*(?:an?\s+)?(?:comprehensive\s+|systematic\s+|brief\s+|extended\s+)?"
        r"(?:survey|review|overview|tutorial)\b.*$",
        "",
        topic,
        flags=re.I,
    ).strip(" :-—")
    topic = re.split(r"\s+--?\s+|:\s+", topic)[-1] if len(_words(topic)) > 8 else topic
    topic = _cut(_lower_title(topic), 12) or _lower_title(title)
    index = method if method is not None else _fallback_sentence(sents)
    body = ""
    if index is not None:
        _, desc, is_np = describe(sents[index])
        desc = re.sub(
            r"^(?:(?:an?|the)\s+)?(?:comprehensive|systematic|brief|extensive|thorough|detailed)?\s*"
            r"(?:survey|review|overview|literature\s+review)s?\s+(?:of|on)\s+",
            "",
            desc,
            flags=re.I,
        )
        stripped = re.sub(
            r"^(?:comprehensively\s+|systematically\s+)?(?:reviews|surveys|examines|explores|summari[sz]es)\s+",
            "",
            desc,
            flags=re.I,
        )
        is_np = is_np or stripped != desc
        desc = stripped
        body = _cut(desc, MAX_WORDS - 5 - len(_words(topic)))
        if body and not is_np:
            body = _lower_first(body)
        elif body:
            body = "covers " + re.sub(r"^(?:an?|the)\s+", "", _lower_first(body), flags=re.I)  # "KV cache" stays
    out = f"Survey of {topic}: {body}" if body else f"Survey of {topic}"
    return _finish(out, sents)


# LaTeX as abstracts write it, and what a reader should see instead
_LATEX_SUBS = [
    (re.compile(r"``\s*\"?|''|\"\s*''"), '"'),
    (re.compile(r"`"), ""),
    # "5\times", "\times5", and "{times}" where a source dropped the backslashes ("{approx}5{times}")
    (re.compile(r"\$\s*\\times\s*\$|\\times(?![A-Za-z])|\\\(\s*\\times\s*\\\)|\{times\}"), "x"),
    (re.compile(r"\$\s*\\(?:sim|approx)\s*\$|\\(?:sim|approx)(?![A-Za-z])|\{(?:sim|approx)\}"), "~"),
    (re.compile(r"\$\s*\\(?:geq|ge)\s*\$|\\geq?(?![A-Za-z])|\{geq?\}"), ">="),
    (re.compile(r"\$\s*\\(?:leq|le)\s*\$|\\leq?(?![A-Za-z])|\{leq?\}"), "<="),
    (re.compile(r"\\(?:cite|ref|label|url|footnote)\w*\s*\{[^{}]*\}"), ""),
    (re.compile(r"\\([%$&_#|])"), r"\1"),  # "\|F\|" (a norm) -> "|F|"
    (re.compile(r"\\(?:emph|textit|textbf|texttt|textsc|mathrm|mathbf|mathcal|text|em|bf|it|tt)\b\s*"), ""),
    (re.compile(r"\\[A-Za-z]+\s*"), ""),
    (re.compile(r"[{}]"), ""),
    (re.compile(r"\$([^$]{0,40})\$"), r"\1"),
    (re.compile(r"\^\s*"), "^"),
]
# a reference to a sentence the reader of the TL;DR never saw: the clause holding it is dropped
_DANGLING_REF = re.compile(
    r"\bthe\s+(?:following|aforementioned)\s+[a-z]+|"
    r"\b(?:this|these|those|such(?:\s+an?)?|the\s+above|said)\s+(?:(?:critical|key|important|major|fundamental|"
    r"crucial|main|two|three|several|above)\s+)?(?:gap|gaps|issue|issues|problem|problems|burden|burdens|hurdles?|"
    r"obstacles?|barriers?|requirements?|assumptions?|discrepancy|discrepancies|"
    r"challenge|challenges|limitation|limitations|technique|techniques|method|methods|approach|approaches|task|tasks|"
    r"setting|settings|question|questions|observation|observations|insight|insights|finding|findings|idea|ideas|"
    r"phenomenon|bottleneck|bottlenecks|shortcoming|shortcomings|drawback|drawbacks|direction|need|needs|goal|end|"
    r"difficulty|difficulties|concern|concerns|trade-off|tradeoff|process|property|properties|behavior|behaviour)\b",
    re.I,
)
_DANGLING_REF_LOW = re.compile(_DANGLING_REF.pattern)
_REF_CLAUSE = re.compile(
    r"(?:,\s*|\s+)(?:in\s+order\s+)?(?:to|which|that|and|for|by|so\s+as\s+to)\s+(?:[\w-]+\s+){0,6}$", re.I
)


_REF_WORDS = ("this ", "these ", "those ", "such ", "the above ", "the aforementioned ", "said ", "the following ")


def _dangling(s: str) -> re.Match[str] | None:
    """The first reference to an unseen sentence in `s` (a substring test first: the pattern is long)."""
    low = s.lower()
    if len(low) != len(s):
        return _DANGLING_REF.search(s) if any(w in low for w in _REF_WORDS) else None
    # the pattern tried only where one of its first words is (the same offsets in the lower-cased text)
    first = None
    for w in _REF_WORDS:
        at = low.find(w)
        while at >= 0 and (first is None or at < first.start()):
            m = _DANGLING_REF_LOW.match(low, at)
            if m:
                first = m
                break
            at = low.find(w, at + 1)
    return first


# Any other "this/these/those/such" + word points back at something the TL;DR never said, unless that word
# (or the next one, after a modifier: "these two lines") was said before it: "such a metric" after "a method to
# learn a metric" is fine, "Proposes to exploit this flexibility" is not.
_DEMONSTRATIVE = re.compile(r"\b(?:this|these|those|such(?:\s+an?)?)\s+([a-z][a-z-]*)(?:\s+([a-z][a-z-]*))?", re.I)
_NOT_A_REFERENCE = frozenset(
    (
        "paper", "work", "study", "article", "report", "survey", "thesis", "as", "that", "is", "are", "was",
        "were", "can", "could", "will", "would", "has", "have", "may", "might", "does", "do", "allows",
        "enables", "means", "makes", "leads", "yields", "gives", "year", "kind", "type", "sort",
    )
)  # fmt: skip
_MODIFIERS_OF_REFERENCE = frozenset(
    ("two", "three", "four", "several", "many", "new", "same", "very", "particular", "specific", "underlying", "key",
     "main", "important", "general", "simple", "basic", "central", "common", "novel")
)  # fmt: skip


_PRONOUN_LEAD = re.compile(r"^[A-Z][a-z]+s\s+(?:that\s+)?(?:they|it|them)\b")


def _unsaid_referent(s: str) -> re.Match[str] | None:
    lead = _PRONOUN_LEAD.match(s)
    if lead:
        return lead  # "Discovers they are not: ...": who "they" are was said in a sentence the reader never saw
    low = s.lower()
    if "this " not in low and "these " not in low and "those " not in low and "such " not in low:
        return None
    for m in _DEMONSTRATIVE.finditer(s):
        word = m.group(1).lower()
        if word in _NOT_A_REFERENCE:
            continue
        second = word in _MODIFIERS_OF_REFERENCE and m.group(2) is not None
        head = m.group(2).lower() if second else word
        said = {w[:5] for w in tokens(low[: m.start()])}
        if head[:5] not in said and word[:5] not in said:
            return (_DEMONSTRATIVE_TWO if second else _DEMONSTRATIVE_ONE).match(s, m.start())  # ends at its head
    return None


_DEMONSTRATIVE_ONE = re.compile(r"(?:this|these|those|such(?:\s+an?)?)\s+[a-z][a-z-]*", re.I)
_DEMONSTRATIVE_TWO = re.compile(r"(?:this|these|those|such(?:\s+an?)?)\s+[a-z][a-z-]*\s+[a-z][a-z-]*", re.I)


# "20times speedup": a multiplication sign a source turned into its name
_DIGIT_TIMES = re.compile(r"(?<=\d)times\b")


def _delatex(s: str) -> str:
    if "times" in s:
        s = _DIGIT_TIMES.sub("x", s)
    if (
        "\\" not in s
        and "$" not in s
        and "{" not in s
        and "}" not in s
        and "^" not in s
        and "`" not in s
        and "''" not in s
    ):
        return s
    for rx, rep in _LATEX_SUBS:
        s = rx.sub(rep, s)
    return " ".join(s.replace("$", "").split())


_AND_THEN = re.compile(r"^[^;]{0,120}?,?\s+and\s+(?=[a-z]+s\s)")
# the verb right before a reference: "(to) address this problem", "tackles these issues"
_AIM_VERB = re.compile(
    r"(?:^|\s)(to\s+)?(?:address|tackl|solv|overcom|resolv|mitigat|alleviat|handl|remed|fix|fill|bridg|clos|answer|"
    r"avoid|circumvent|eliminat|remov|counter|combat|approach|accomplish|achiev|meet)(e|es|s|ies|y|ing)?\s*$",
    re.I,
)
_BY_ING = re.compile(r"^\s+by\s+((?:[a-z]+ly\s+)?)([a-z]+ing)\b")


def _ing_to_third(word: str) -> str:
    """ "enhancing" -> "enhances", "running" -> "runs", "using" -> "uses"."""
    stem = word[:-3]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsd":
        return stem[:-1] + "s"
    if (stem + "e").endswith(_E_STEMS + ("nce", "age", "ake", "ite", "ote", "ize", "ve", "ge", "ce")):
        return stem + "es"
    return _third_person(stem)


def _drop_dangling(s: str) -> str:
    """ "... an adaptive convolution method that ... to address this problem" -> without the last clause: the
    reader never saw the problem it points back to."""
    out = _drop_dangling_clauses(s)
    if _REPORT_END.search(out):
        return s  # "...: we argue" says nothing: keep the reference and let another sentence be tried
    return out


_REPORT_END = re.compile(
    r"\b(?:argues?|shows?|finds?|demonstrates?|believes?|notes?|observes?|suggests?|concludes?|that|how|whether)$", re.I
)


def _drop_dangling_clauses(s: str) -> str:
    m = _dangling(s)
    while m:
        head = s[: m.start()]
        rest = s[m.end() :]
        by = _BY_ING.match(rest)
        aim = _AIM_VERB.search(head)
        if by and aim:
            # "to resolve these challenges by coupling X" -> "coupling X"; "addresses this problem by
            # introducing X" -> "introduces X"
            if aim.group(1) or (aim.group(2) or "").lower() == "ing":
                s = f"{head[: aim.start()]} {by.group(1)}{by.group(2)}{rest[by.end() :]}"
            else:
                s = f"{head[: aim.start()]} {by.group(1)}{_ing_to_third(by.group(2))}{rest[by.end() :]}"
            s = " ".join(s.split())
            m = _dangling(s)
            continue
        then = _AND_THEN.search(rest)
        hw = head.split()
        if then and 1 <= len(hw) <= 3 and not _REF_CLAUSE.search(head):
            # "discusses these challenges ..., and introduces X": what it does next
            subj = " ".join(hw[:-1])
            s = f"{subj} {rest[then.end() :]}" if subj else rest[then.end() :][:1].upper() + rest[then.end() :][1:]
            m = _dangling(s)
            continue
        cut = _REF_CLAUSE.search(head)
        by = _BY_ING.match(rest)
        if cut and by and cut.group(0).strip(" ,").split(" ", 1)[0].lower() in ("that", "which"):
            # "a framework that addresses these issues by significantly enhancing X" -> "that significantly enhances X"
            s = f"{s[: cut.start()]} that {by.group(1)}{_ing_to_third(by.group(2))}{rest[by.end() :]}"
            m = _dangling(s)
            continue
        at = cut.start() if cut else max(head.rfind(", "), head.rfind("; "))
        if at <= 0 or len(_words(s[:at])) < 5:
            # too little before the clause: drop only the clause's own words, up to the next clause
            # ("a function to alleviate such issue to increase ..." -> "a function to increase ...")
            nxt = re.search(r"\s+(?=(?:to|by|and|which|that|with|in\s+order)\s)|[;,]\s+", s[m.end() :])
            if cut and not nxt and len(_words(s[: cut.start()])) >= 3 and not s[m.end() :].strip(" .;,"):
                # "Proposes a simple method to address this issue": the clause is the last one
                return _tidy_end(s[: cut.start()])
            if not cut or not nxt or len(_words(s[: cut.start()])) < 2:
                return s
            s = s[: cut.start()] + " " + s[m.end() + nxt.end() :].lstrip()
            m = _dangling(s)
            continue
        rest = s[m.end() :]
        nxt = re.search(r"[;,]\s+|$", rest)
        tail = rest[nxt.start() :] if nxt and nxt.group(0) else ""
        s = _tidy_end(s[:at]) + (tail if tail.strip(" .;,") else "")
        m = _dangling(s)
    return s


_WE_START = re.compile(
    r"^We\s+(?:(?:can|could|will|would|also|then|now|further)\s+)?(?:(are)\s+(?=[a-z]+ing\b))?"
    r"(?!(?:are|have|had|were|call|need|hope|believe|note|want)\b)([a-z]+)\b"
)
_IS_A_WE = re.compile(r"^(\S.{0,60}?)\s+(?:is|are)\s+(?:an?|the)\s[^:;]{0,80}:\s+we\s+([a-z]+)\b")
_WE_CALL = re.compile(r"\b(?:(?:which|that)\s+)?we\s+(?:call|term|name|dub|refer\s+to\s+as)\b")
_WE_SHOW = re.compile(r"\b(which|that)\s+we\s+(?:show|find|prove|demonstrate)\s+")
_AND_WE = re.compile(r",?\s+and\s+we\s+(?!(?:are|have|can|will|also|then)\b)([a-z]+)\b")
_OUR = re.compile(r"\b([Oo])ur\b(?=\s+[A-Za-z])")


# "learn such a metric", "such models": "such" points back at a sentence the reader never saw; without it the
# phrase says the same of any metric or model ("such as", "such that" and "in such a way" are not references)
_SUCH = re.compile(r"\b([Ss])uch\s+(?!as\b|that\b|a\s+way\b)(?=(an?\s+)?([a-z][\w-]*))")


def _without_such(m: re.Match[str]) -> str:
    """ "such a metric" -> "a metric", "such models" -> "models", "such system" -> "a system"."""
    if m.group(2) or m.group(3).endswith("s"):
        return ""
    art = "an " if m.group(3)[0] in "aeio" else "a "
    return art.capitalize() if m.group(1) == "S" else art


def _finish(out: str, sents: list[str]) -> str:
    out = _balanced(_delatex(" ".join(out.split())))
    # the TL;DR speaks of the paper in the third person: "evaluates our model" -> "evaluates the model"
    if out.startswith("Our ") and _looks_like_name(out[4:].split(" ", 1)[0]):
        out = out[4:]  # "Our NeuroFovea model, a ..." -> "NeuroFovea model, a ..."
    if "our " in out or "Our " in out:
        out = _OUR.sub(lambda m: "The" if m.group(1) == "O" else "the", out)
    if out[:3] == "We ":
        # "We can use this estimator to ...", "We are proposing to replace ...": the paper's verb, third person
        m = _WE_START.match(out)
        if m:
            verb = _ing_to_third(m.group(2)) if m.group(1) else _third_person(m.group(2))
            out = verb.capitalize() + out[m.end() :]
    if ": we " in out:
        # "Hogwild! Inference is a different design approach: we run workers ..." -> "... runs workers ..."
        m = _IS_A_WE.match(out)
        if m:
            rest = _AND_VERB.sub(lambda v: f"{v.group(1)} {_third_person(v.group(2))}", out[m.end() :], count=1)
            out = f"{m.group(1)} {_third_person(m.group(2))}{rest}"
    if " we " in out:
        # "..., and we test it" -> "and tests it"; "a layer we call X" -> "a layer called X"
        out = _WE_CALL.sub("called", out)
        out = _WE_SHOW.sub(r"\1 ", out)
        out = _AND_WE.sub(lambda m: f" and {_third_person(m.group(1))}", out)
    words = _words(out)
    if len(words) > MAX_WORDS:
        out = _tidy_end(" ".join(words[:MAX_WORDS]))
    if sents and out.rstrip(".") == sents[0].strip().rstrip("."):
        out = _tidy_end(" ".join(_words(out)[: max(1, len(_words(out)) - 3)]))
    out = out.strip()
    if " ," in out or " ;" in out or " :" in out or " ." in out:
        out = _SPACE_PUNCT.sub(r"\1", out)
    if out and out[-1] not in ".!?" and not out.endswith(('."', '?"', '!"', ".'")):
        out += "."
    first = out.split(" ", 1)[0]
    return out if _looks_like_name(first) else out[:1].upper() + out[1:]


def _says_no_more(tldr: str, title: str) -> bool:
    return set(_WORD.findall(tldr.lower())) <= set(_WORD.findall(title.lower()))
