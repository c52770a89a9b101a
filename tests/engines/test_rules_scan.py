"""The scanning shortcuts of the rules engine find exactly what the plain patterns find."""

import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent.engines import rules
from agent.engines.rules import claims, hardware, scale, sentences
from agent.engines.rules.scan import Folded, alternation, ascii_twin
from agent.engines.rules.tags import _Index, tokens
from agent.resources import load_taxonomy

# ASCII text made of what the patterns look for, so that matches are common
ASCII_BITS = st.sampled_from([
    "1", "23", "4.5", "1,000", "8B", "70B", " ", ". ", "! ", "? ", "$", "_", "v4", "x", "%", "A100", "H20", "MI",
    "Tpu", "TPU v4", "However", "we propose", "We Propose", "This Paper", "survey", "Review", "slow", "LIMITS",
    "challenging", "e.g.", "-", ",", "(", "\n", "OPT-175B", "M3", "Apple", "K", "T",
])  # fmt: skip
ASCII_TEXT = st.lists(st.one_of(ASCII_BITS, st.text(st.characters(max_codepoint=127), max_size=6)), max_size=30).map(
    "".join
)
SETTINGS = settings(max_examples=300, deadline=None)


def spans(rx: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in rx.finditer(text)]


@pytest.mark.parametrize(
    "rx", [claims._NUMBER_START, scale._SCALE_START, claims._DIGIT], ids=["number", "scale", "digit"]
)
@SETTINGS
@given(text=ASCII_TEXT)
def test_ascii_twin_matches_the_same_on_ascii_text(rx, text):
    assert spans(ascii_twin(rx), text) == spans(rx, text)


def test_ascii_twin_rewrites_digits_inside_and_outside_classes():
    assert ascii_twin(re.compile(r"[\d.]+\d")).pattern == r"[0-9.]+[0-9]"
    assert ascii_twin(re.compile(r"[^\d]\\d")).pattern == r"[^0-9]\\d"  # an escaped backslash stays one


def test_ascii_twin_does_not_match_other_digits():
    """Why the engine keeps the Unicode pattern for non-ASCII text: "٣" (Arabic-Indic three) is a \\d."""
    assert claims._NUMBER_START.search("٣") and not ascii_twin(claims._NUMBER_START).search("٣")


@SETTINGS
@given(text=ASCII_TEXT)
def test_has_digit_is_a_digit_search(text):
    assert claims._has_digit(text) == (re.search(r"\d", text) is not None)


def test_has_digit_on_other_scripts():
    assert claims._has_digit("٣ times") and not claims._has_digit("no numbers here")


@pytest.mark.parametrize(
    "rx",
    [sentences._PROBLEM, sentences._METHOD, rules._SURVEY_ABSTRACT],
    ids=["problem", "method", "survey"],
)
@SETTINGS
@given(text=ASCII_TEXT)
def test_folded_search_is_the_case_insensitive_search(rx, text):
    folded = Folded(rx)
    got, want = folded.search(text), rx.search(text)
    assert (got and got.span()) == (want and want.span())


@SETTINGS
@given(text=st.text(max_size=40))
def test_folded_search_on_any_unicode(text):
    folded = Folded(sentences._PROBLEM)
    got, want = folded.search(text), sentences._PROBLEM.search(text)
    assert (got and got.span()) == (want and want.span())


def test_folded_refuses_a_pattern_it_would_change():
    with pytest.raises(ValueError):
        Folded(re.compile(r"\bGPU\b", re.I))  # upper-case letters would not match the lower-cased text
    with pytest.raises(ValueError):
        Folded(re.compile(r"gpu"))  # not case-insensitive: nothing to fold


def test_folded_count():
    assert Folded(re.compile(r"\bwe\s+review\b", re.I)).count("We review A. we REVIEW b.") == 2


@SETTINGS
@given(text=ASCII_TEXT, words=st.lists(st.text(st.characters(max_codepoint=127), min_size=1, max_size=4), max_size=8))
def test_alternation_finds_what_the_longest_first_alternation_finds(text, words):
    if not words:
        return
    plain = re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))
    assert re.compile(alternation(words)).findall(text) == plain.findall(text)


def test_alternation_groups_by_first_character():
    assert alternation(["A100", "A10", "H100"]) == "A(?:100|10)|H(?:100)"


def test_hardware_triggers_are_every_trigger():
    triggers = {t for ts, _, _ in hardware._NAMED for t in ts}
    assert set(hardware._TRIGGER_RE.findall(" ".join(sorted(triggers)))) == triggers


TAXONOMY = load_taxonomy()
KEYWORDS = sorted({kw.strip("*") for tag in TAXONOMY.tags for kw in tag.keywords})
TAG_TEXT = st.lists(
    st.one_of(st.sampled_from(KEYWORDS), st.sampled_from(["a", "the", "s", "es", "-", "models"])), max_size=40
)


def last_ok(word: str, kw: str, wildcard: bool) -> bool:
    """A phrase's last keyword word meets `word`: as a prefix when it ends in "*", else exactly or with s/es."""
    return word.startswith(kw) if wildcard else word in (kw, kw + "s", kw + "es")


def reference_hits(index: _Index, toks: list[str]) -> Counter:
    """Every token's tags and every phrase occurrence, counted one by one."""
    counts: Counter = Counter()
    for w in toks:
        counts.update(index._word_tags(w))
    for i, first in enumerate(toks):
        for kt, wildcard, tag in index.phrases.get(first, []):
            k = len(kt)
            if i + k <= len(toks) and list(toks[i + 1 : i + k - 1]) == list(kt[1:-1]):
                counts[tag] += last_ok(toks[i + k - 1], kt[-1], wildcard)
    return +counts


@SETTINGS
@given(parts=TAG_TEXT)
def test_tag_hits_count_every_occurrence(parts):
    toks = tokens(" ".join(parts))
    index = _Index(TAXONOMY)
    assert +Counter(index.hits(toks, set(toks))) == reference_hits(index, toks)
    assert index.hits(toks) == index.hits(toks, set(toks))  # with or without the caller's word set


def test_tag_hits_count_a_repeated_word_each_time():
    index = _Index(TAXONOMY)
    toks = tokens("Quantized LLM serving: quantization, quantizing; serving")
    hits = index.hits(toks)
    assert hits == reference_hits(index, toks)
    assert max(hits.values()) >= 3  # the three "quantiz*" words


def test_a_wildcard_phrase_with_a_short_second_word_matches_its_longer_forms():
    """ "local lm*" is "local LMs" too (the lookup by the second word's first three letters missed it)."""
    index = _Index(TAXONOMY)
    assert index.hits(tokens("Local LMs answer most queries"))["edge"] == 1
