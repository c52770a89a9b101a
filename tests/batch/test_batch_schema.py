"""The strict-schema transform: what OpenAI's strict structured outputs require of every object."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from agent.batch.schema import response_format, strict_json_schema
from agent.engines.llm_schema import LLMSummary


def objects(node: Any) -> Iterator[dict[str, Any]]:
    """Every object schema anywhere in `node`."""
    if isinstance(node, dict):
        if node.get("type") == "object" or "properties" in node:
            yield node
        for value in node.values():
            yield from objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from objects(value)


def test_every_object_of_the_summary_schema_is_closed_and_requires_all_its_properties():
    schema = strict_json_schema(LLMSummary.model_json_schema())
    found = list(objects(schema))
    assert len(found) == 2  # LLMSummary and LLMClaim
    for obj in found:
        assert obj["additionalProperties"] is False
        assert sorted(obj["required"]) == sorted(obj["properties"])


def test_optional_fields_become_required_but_stay_nullable_and_lose_their_defaults():
    claim = strict_json_schema(LLMSummary.model_json_schema())["$defs"]["LLMClaim"]
    assert "low" in claim["required"]
    assert {"type": "null"} in claim["properties"]["low"]["anyOf"]
    assert "default" not in json.dumps(claim)


class Inner(BaseModel):
    a: int = 1


class Outer(BaseModel):
    items: list[Inner] = []
    maybe: Inner | None = None
    nested: dict[str, list[Inner]] = {}


def test_objects_inside_arrays_unions_and_maps_are_made_strict_too():
    schema = strict_json_schema(Outer.model_json_schema())
    for obj in objects(schema):
        assert obj["additionalProperties"] is False and obj["required"] == list(obj["properties"])
    assert schema["$defs"]["Inner"]["required"] == ["a"]


def test_the_input_schema_is_not_changed():
    original = LLMSummary.model_json_schema()
    before = json.dumps(original, sort_keys=True)
    strict_json_schema(original)
    assert json.dumps(original, sort_keys=True) == before


def test_response_format_names_the_model_and_asks_for_strict_mode():
    fmt = response_format(LLMSummary)
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "LLMSummary" and fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["schema"]["additionalProperties"] is False
