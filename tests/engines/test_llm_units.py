"""Pure tests of the llm engine's parts: prompt, schema, settings, prices, cache key (no HTTP)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from agent.engines.llm import LLMEngine
from agent.engines.llm_config import LLMSettings
from agent.engines.llm_prompt import load_prompt, prompt_context
from agent.engines.grounding import ground
from agent.engines.llm_schema import LLMClaim, LLMSummary
from agent.engines.pricing import DEFAULT_PRICES, cost_usd, load_prices, price_for
from agent.errors import InputError
from agent.models import Claim, Summary
from agent.resources import load_taxonomy, prompts_dir


def engine(**settings) -> LLMEngine:
    return LLMEngine(LLMSettings(api_key="sk-test-dummy", **settings))


# -- the wire model follows the contract ------------------------------------------------------------


def test_wire_models_have_the_contract_fields():
    assert set(LLMClaim.model_fields) == set(Claim.model_fields) - {"grounded"}
    # who wrote the TL;DR is for the engine to say, not the model (Record.of fills it from the provenance)
    assert set(LLMSummary.model_fields) == set(Summary.model_fields) - {"tldr_source"}


def _context(abstract: str, lenient: bool = False) -> dict:
    ctx = prompt_context("T", abstract, load_taxonomy())
    return {**ctx, "lenient": lenient} if lenient else ctx


ABSTRACT = "We present X. X is up to 2.3x faster than vLLM."
GOOD = {"problem": "p", "method": "m", "claims": [{"text": "up to 2.3x faster", "number": 2.3, "unit": "x"}],
        "tags": ["inference"], "tldr": "X is up to 2.3x faster than vLLM."}


def test_grounded_claim_passes_and_ungrounded_is_rejected_with_a_fixable_message():
    LLMSummary.model_validate(GOOD, context=_context(ABSTRACT))
    bad = {**GOOD, "claims": [{"text": "2.3 times faster", "number": 2.3, "unit": "x"}]}
    with pytest.raises(ValidationError, match="not grounded: the text must be copied exactly"):
        LLMSummary.model_validate(bad, context=_context(ABSTRACT))


def test_number_must_appear_in_the_quote():
    bad = {**GOOD, "claims": [{"text": "up to 2.3x faster", "number": 3.2, "unit": "x"}]}
    with pytest.raises(ValidationError, match="number 3.2 is not grounded"):
        LLMSummary.model_validate(bad, context=_context(ABSTRACT))


def test_lenient_pass_keeps_ungrounded_claims_flagged():
    bad = {**GOOD, "claims": [GOOD["claims"][0], {"text": "2.3 times faster", "number": 2.3, "unit": "x"}]}
    summary = ground(ABSTRACT, LLMSummary.model_validate(bad, context=_context(ABSTRACT, lenient=True)).to_summary())
    assert [c.grounded for c in summary.claims] == [True, False]


def test_lenient_pass_still_rejects_a_broken_structure():
    with pytest.raises(ValidationError):
        LLMSummary.model_validate({"problem": "p"}, context=_context(ABSTRACT, lenient=True))


# -- prompt -----------------------------------------------------------------------------------------


def test_prompt_is_versioned_by_file_and_hashed():
    prompt = load_prompt("extract.v1")
    assert prompt.version == "extract.v1" and len(prompt.sha256) == 64
    assert prompt.variables == {"title", "abstract", "tags", "max_tldr_words"}


def test_the_default_prompt_asks_for_the_answer_in_a_way_every_mode_can_follow():
    """v1 demanded a function call even when the schema came as a response format (json_schema, md_json)."""
    system = load_prompt().render(prompt_context("T", "A", load_taxonomy()))[0]["content"]
    assert load_prompt().version == "extract.v2"
    assert "only by calling the provided function" not in system
    assert "as the arguments of the provided\nfunction when a function is provided, otherwise as one JSON object" in system


def test_missing_template_variable_is_an_error():
    prompt = load_prompt("extract.v1")
    ctx = prompt_context("T", "A", load_taxonomy())
    del ctx["max_tldr_words"]
    with pytest.raises(InputError, match="max_tldr_words"):
        prompt.render(ctx)


def test_prompt_file_without_sections_is_refused(tmp_path):
    (tmp_path / "extract.v9.md").write_text("just text {{ abstract }}")
    with pytest.raises(InputError, match="=== system ==="):
        load_prompt("extract.v9", tmp_path)


# -- cache key and cost -----------------------------------------------------------------------------


def test_cache_key_is_stable_and_changes_with_what_changes_the_answer(paper, tmp_path):
    base = engine()
    assert base.cache_key(paper) == engine().cache_key(paper)
    v1 = (prompts_dir() / "extract.v1.md").read_text(encoding="utf-8")
    (tmp_path / "extract.v2.md").write_text(v1.replace("You extract", "You carefully extract"), encoding="utf-8")
    keys = {
        base.cache_key(paper),
        engine(model="gpt-4o").cache_key(paper),
        engine(max_output_tokens=500).cache_key(paper),
        LLMEngine(LLMSettings(api_key="k"), prompt=load_prompt("extract.v2", tmp_path)).cache_key(paper),
        base.cache_key(paper.model_copy(update={"abstract": paper.abstract + " Also 3x less memory."})),
    }
    assert len(keys) == 5


def test_cache_key_does_not_depend_on_the_mode_so_batch_answers_serve_run(paper):
    assert {engine(mode=m).cache_key(paper) for m in ("tools", "json_schema", "md_json")} == {engine().cache_key(paper)}


def test_cache_key_does_not_depend_on_key_url_or_retry_settings(paper):
    a = engine().cache_key(paper)
    b = LLMEngine(LLMSettings(api_key="other", base_url="http://localhost:8000/v1", transport_attempts=5,
                              reask_attempts=1, concurrency=64, timeout=3,
                              prompt_version="extract.v2")).cache_key(paper)  # localhost would default to label.v1
    assert a == b


def test_cost_estimate_is_an_upper_bound_for_one_answer(paper):
    e = engine()
    tokens_in, tokens_out = e.estimate_tokens(paper)
    assert tokens_out == 1500
    assert tokens_in > len(paper.abstract) / 4
    assert e.estimate_cost(paper) == pytest.approx((tokens_in * 0.15 + tokens_out * 0.60) / 1e6)
    assert engine(model="llama3.1:8b").estimate_cost(paper) is None


def test_prices_match_longest_prefix_and_can_be_overridden(tmp_path, monkeypatch):
    assert price_for("gpt-4o-mini-2024-07-18", DEFAULT_PRICES) == DEFAULT_PRICES["gpt-4o-mini"]
    assert price_for("gpt-4o-2024-08-06", DEFAULT_PRICES) == DEFAULT_PRICES["gpt-4o"]
    assert cost_usd("mystery", 1000, 1000, DEFAULT_PRICES) is None
    table = tmp_path / "prices.toml"
    table.write_text('[models."llama3.1:8b"]\ninput = 0\noutput = 0\n[models."gpt-4o-mini"]\ninput = 1\noutput = 2\n')
    monkeypatch.setenv("SUMMARIZE_PRICES", str(table))
    prices = load_prices()
    assert prices["llama3.1:8b"] == (0.0, 0.0) and prices["gpt-4o-mini"] == (1.0, 2.0)
    table.write_text("[models.x]\ninput = 'free'\n")
    with pytest.raises(InputError, match="not a price table"):
        load_prices()


# -- settings ---------------------------------------------------------------------------------------


def test_settings_from_env_and_flags_without_showing_the_key():
    env = {"OPENAI_API_KEY": "sk-secret-123456", "OPENAI_BASE_URL": "http://localhost:11434/v1",
           "SUMMARIZE_MODEL": "llama3.1:8b", "SUMMARIZE_CONCURRENCY": "4", "SUMMARIZE_LLM_MODE": "md_json"}
    s = LLMSettings.from_env(env, model="qwen2.5:7b", timeout=None)
    assert (s.base_url, s.model, s.concurrency, s.mode, s.timeout) == ("http://localhost:11434/v1", "qwen2.5:7b", 4, "md_json", 600.0)
    assert "sk-secret" not in repr(s) and s.host == "localhost:11434"


def test_bad_settings_name_the_variable_not_the_value():
    with pytest.raises(InputError, match="SUMMARIZE_TIMEOUT"):
        LLMSettings.from_env({"SUMMARIZE_TIMEOUT": "soon"})
    with pytest.raises(InputError, match="unknown LLM mode"):
        LLMSettings(mode="telepathy")


def test_instructor_and_openai_loggers_are_quiet_unless_verbose():
    import logging

    engine()
    assert logging.getLogger("instructor").getEffectiveLevel() == logging.CRITICAL
    assert logging.getLogger("openai").getEffectiveLevel() == logging.CRITICAL
    engine(verbose=True)
    assert logging.getLogger("instructor").getEffectiveLevel() == logging.DEBUG
    engine()  # back to quiet for the other tests


def test_credentials_in_the_base_url_are_removed_and_never_shown():
    from agent.redaction import redact

    password = "pw-" + "9" * 12
    s = LLMSettings(api_key="k" * 10, base_url=f"http://alice:{password}@proxy.local:8080/v1")
    assert s.base_url == "http://proxy.local:8080/v1" and s.host == "proxy.local:8080"
    assert s.dropped_url_credentials
    assert password not in redact(f"HTTP 500 from http://alice:{password}@proxy.local:8080/v1: {password}")
    assert "alice" not in redact("GET http://alice:x@proxy.local/v1")


def test_a_base_url_without_credentials_is_kept_as_given():
    s = LLMSettings(api_key="k" * 10, base_url="http://127.0.0.1:8080/v1")
    assert s.base_url == "http://127.0.0.1:8080/v1" and not s.dropped_url_credentials
