"""Tags from the taxonomy by keyword: whole words, "*" for a word prefix, hyphen and space alike.

A tag's score is its keyword hits in the abstract plus `TITLE_WEIGHT` per hit in the title; tags below
their `min_hits` are dropped. The best tag is always kept (when any matches); the next ones only while
they score at least `RELATIVE_CUTOFF` of the best, up to `MAX_TAGS`. (Tuned on the dev set: a passing
mention of a keyword should not make a tag; hand labels have two or three tags per paper.)

Matching works on word tokens, not one regex per tag: the text is tokenised once and each token is
looked up in an index of keyword first words, which keeps tagging to a few microseconds per abstract.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from itertools import compress

from agent.resources import Taxonomy

MAX_TAGS = 3
TITLE_WEIGHT = 3
RELATIVE_CUTOFF = 0.15

# ASCII letters and digits are kept (upper case folded), everything else separates words. A byte table is
# several times faster than a regex here; non-ASCII characters become "?" and then separators.
_TABLE = bytes(c + 32 if 65 <= c <= 90 else c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256))


def tokens(text: str) -> list[str]:
    """Lower-case ASCII alphanumeric words of `text`: "KV-cache, 4-bit" -> ["kv", "cache", "4", "bit"]."""
    return text.encode("ascii", "replace").translate(_TABLE).decode("ascii").split()


# a phrase as `hits` checks it: (second word, the words between the first and the last, last word, length,
# wildcard, tag); a two-word phrase has none between, its second word is its last and is checked as the last
_Entry = tuple[str, list[str], str, int, bool, str]


def _entry(phrase: tuple[tuple[str, ...], bool, str]) -> _Entry:
    kt, wildcard, tag = phrase
    if len(kt) == 2:
        return ("", [], kt[1], 2, wildcard, tag)
    return (kt[1], list(kt[1:-1]), kt[-1], len(kt), wildcard, tag)


class _Index:
    """Keywords split into single words (exact or prefix) and phrases (looked up by first word)."""

    def __init__(self, taxonomy: Taxonomy):
        self.min_hits = {t.name: max(1, t.min_hits) for t in taxonomy.tags}
        self.order = [t.name for t in taxonomy.tags]
        self.words: dict[str, set[str]] = defaultdict(set)  # word -> tags
        self.prefixes: list[tuple[str, str]] = []  # (prefix, tag)
        self.phrases: dict[str, list[tuple[tuple[str, ...], bool, str]]] = defaultdict(list)
        seen: set[tuple[tuple[str, ...], bool, str]] = set()
        for tag in taxonomy.tags:
            for kw in tag.keywords:
                wildcard = kw.strip().endswith("*")
                toks = tuple(tokens(kw))
                if not toks or (toks, wildcard, tag.name) in seen:
                    continue  # "long context" and "long-context" are the same keyword
                seen.add((toks, wildcard, tag.name))
                if len(toks) > 1:
                    self.phrases[toks[0]].append((toks, wildcard, tag.name))
                elif wildcard:
                    self.prefixes.append((toks[0], tag.name))
                else:
                    for form in (toks[0], toks[0] + "s", toks[0] + "es"):
                        self.words[form].add(tag.name)
        self.cache: dict[str, tuple[str, ...]] = {}  # word -> its single-word tags, filled as words are seen
        self.nohit: set[str] = set()  # words seen that carry no tag
        # phrases by first word, then by the first three letters of their second word: most phrase-first
        # words ("large", "data", "model") are followed by something else, and this rejects them in one lookup
        # (each entry as what the check needs: second word, the words between it and the last, last word, length)
        self.by_second: dict[str, dict[str, list[_Entry]]] = {}
        for first, entries in self.phrases.items():
            table: dict[str, list[_Entry]] = defaultdict(list)
            for entry in entries:
                table[entry[0][1][:3]].append(_entry(entry))
            self.by_second[first] = dict(table)
        # ...except a two-word phrase whose last word is shorter than three letters: "local lm*" must meet
        # "local LMs", whose first three letters ("lms") are not its key ("lm"); these are tried beside
        self.short_last: dict[str, tuple[_Entry, ...]] = {
            first: short
            for first, entries in self.phrases.items()
            if (short := tuple(_entry(e) for e in entries if len(e[0]) == 2 and len(e[0][1]) < 3))
        }
        self.phrase_firsts = frozenset(self.phrases)
        self.by3: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.short: list[tuple[str, str]] = []
        for prefix, tag in self.prefixes:
            (self.by3[prefix[:3]] if len(prefix) >= 3 else self.short).append((prefix, tag))

    def _word_tags(self, w: str) -> tuple[str, ...]:
        tags = set(self.words.get(w, ()))
        for prefix, tag in self.by3.get(w[:3], ()):
            if w.startswith(prefix):
                tags.add(tag)
        for prefix, tag in self.short:
            if w.startswith(prefix):
                tags.add(tag)
        return tuple(sorted(tags))

    def hits(self, toks: list[str], words: set[str] | None = None) -> dict[str, int]:
        """Keyword occurrences per tag; a word counts at most once per tag. `words` is `set(toks)`, when
        the caller has it."""
        counts: dict[str, int] = defaultdict(int)
        cache, nohit = self.cache, self.nohit
        if len(cache) + len(nohit) > 200_000:
            cache.clear()
            nohit.clear()
        if words is None:
            words = set(toks)
        spaced = ""
        for w in words - nohit:  # set difference in C: only words that may carry a tag remain
            tags = cache.get(w)
            if tags is None:
                tags = self._word_tags(w)
                if not tags:
                    nohit.add(w)
                    continue
                cache[w] = tags
            # few words are left: each is counted by a substring search of the tokens joined with two spaces
            # (one fast search, where `toks.count` compares every token), each token between its own spaces
            if not spaced:
                spaced = f" {'  '.join(toks)} "
            c = spaced.count(f" {w} ")
            for tag in tags:
                counts[tag] += c
        present = self.phrase_firsts & words
        if present:
            n = len(toks)
            by_second, short_last = self.by_second, self.short_last
            for i in compress(range(n), map(present.__contains__, toks)):  # positions of phrase starts, in C
                if i + 1 >= n:
                    continue
                second = toks[i + 1]
                entries = by_second[toks[i]].get(second[:3], ())
                if len(second) > 2 and toks[i] in short_last:
                    entries = (*entries, *short_last[toks[i]])
                for second_kw, middle, last_kw, k, wildcard, tag in entries:
                    if not second.startswith(second_kw) or i + k > n:
                        continue
                    if middle and toks[i + 1 : i + k - 1] != middle:
                        continue
                    last = toks[i + k - 1]
                    if (
                        last.startswith(last_kw)
                        if wildcard
                        else (last == last_kw or last == last_kw + "s" or last == last_kw + "es")
                    ):
                        counts[tag] += 1
        return counts


@lru_cache(maxsize=16)
def _index(taxonomy: Taxonomy) -> _Index:
    return _Index(taxonomy)


def score_tags(
    taxonomy: Taxonomy | _Index,
    title: str,
    abstract: str,
    title_tokens: list[str] | None = None,
    abstract_tokens: list[str] | None = None,
    abstract_words: set[str] | None = None,
) -> list[tuple[str, int]]:
    idx = taxonomy if isinstance(taxonomy, _Index) else _index(taxonomy)
    t_hits = idx.hits(title_tokens if title_tokens is not None else tokens(title or ""))
    if abstract_tokens is None:
        abstract_tokens, abstract_words = tokens(abstract or ""), None
    a_hits = idx.hits(abstract_tokens, abstract_words)
    scores = []
    for name in idx.order:
        total = t_hits.get(name, 0) + a_hits.get(name, 0)
        if total >= idx.min_hits[name]:
            scores.append((name, a_hits.get(name, 0) + TITLE_WEIGHT * t_hits.get(name, 0)))
    scores.sort(key=lambda s: -s[1])
    return scores


def index(taxonomy: Taxonomy) -> _Index:
    """The keyword index of a taxonomy, to build once and pass to `assign_tags`."""
    return _index(taxonomy)


def assign_tags(
    taxonomy: Taxonomy | _Index,
    title: str,
    abstract: str,
    title_tokens: list[str] | None = None,
    abstract_tokens: list[str] | None = None,
    abstract_words: set[str] | None = None,
) -> list[str]:
    """The tags of a paper. `title_tokens`, `abstract_tokens` (`tokens` of each) and `abstract_words` (the
    set of `abstract_tokens`) may be passed in by a caller that has them."""
    scores = score_tags(taxonomy, title, abstract, title_tokens, abstract_tokens, abstract_words)
    if not scores:
        return []
    floor = RELATIVE_CUTOFF * scores[0][1]
    return [name for i, (name, score) in enumerate(scores) if i == 0 or score >= floor][:MAX_TAGS]
