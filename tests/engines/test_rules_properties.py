"""Properties of the rules engine on arbitrary text: it never raises, quotes exactly, keeps TL;DRs short."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent.engines.rules import RulesEngine, extract_claims
from agent.models import Paper

ENGINE = RulesEngine()

FRAGMENTS = st.sampled_from([
    "x", "X", "×", "%", "\\%", "$\\times$", "\\(\\times\\)", "3$\\times$", "up to ", "~", "≈", "-", "–", "—",
    " times ", "-fold", "1,000", "500K", "1.5M", "2.4x", "1.03-2.4x", "between 2 and 3 times", "from 5% to 9%",
    "We propose ", "However, ", ". ", "\n", "  ", "(", ")", "[", "]", "\\", "$", "GPT-4", "A100", "H100 ",
    "an order of magnitude", "by half", "doubles", "8B", "70 billion parameters", "ms", "tokens/s", "e.g.",
    "compared to ", "over ", "than ", "outperforms ", " by ", "every three months", "zero errors",
])
TEXT = st.lists(st.one_of(FRAGMENTS, st.text(max_size=12), st.integers(0, 10**6).map(str)), max_size=40).map("".join)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(title=st.text(max_size=80), abstract=TEXT)
def test_summarize_never_raises_and_quotes_exactly(title, abstract):
    s = ENGINE._summarize(title, abstract)  # the unguarded path: an exception here is a real bug
    for c in s.claims:
        assert c.text and c.text in abstract


@SETTINGS
@given(title=st.text(max_size=80), abstract=TEXT)
def test_tldr_is_one_short_line(title, abstract):
    tldr = ENGINE._summarize(title, abstract).tldr
    assert "\n" not in tldr and "\r" not in tldr and len(tldr.split()) <= 30


@SETTINGS
@given(st.text(max_size=300))
def test_extract_claims_on_any_unicode(text):
    for c in extract_claims(text):
        assert c.text in text


def test_public_summarize_on_empty_paper():
    s = ENGINE.extract(Paper(id="e", title="", abstract="", source="file"))
    assert s.claims == [] and len(s.tldr.split()) <= 30


@SETTINGS
@given(abstract=TEXT)
def test_every_extracted_claim_is_grounded(abstract):
    from agent.engines.grounding import ground_claim

    for c in extract_claims(abstract):
        assert ground_claim(abstract, c.text, c.number), c
