"""The response format of a batch request: the live engine's response model as an OpenAI strict schema.

OpenAI's strict structured outputs accept a schema only when every object lists all of its properties in
`required` and sets `additionalProperties: false`. Pydantic leaves fields with defaults out of `required`,
so the schema is rewritten: optional fields become required (nullable ones stay nullable through their
`anyOf [..., null]`, so the model can still say "none"), and `default` is dropped since it no longer means
anything. The answer is then validated with the same pydantic model as a live answer.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from pydantic import BaseModel

# Keywords whose value is a schema, or a list or mapping of schemas, to walk into.
_SUBSCHEMA = ("items", "not", "additionalProperties", "contains")
_SUBSCHEMA_LISTS = ("anyOf", "allOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS = ("properties", "$defs", "definitions", "patternProperties")


def strict_json_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of `schema` in which every object is closed and requires all its properties."""
    result = copy.deepcopy(schema)
    _make_strict(result)
    return result


def _is_object(node: dict[str, Any]) -> bool:
    kind = node.get("type")
    return kind == "object" or (isinstance(kind, list) and "object" in kind) or "properties" in node


def _make_strict(node: Any) -> None:
    if not isinstance(node, dict):
        return
    node.pop("default", None)
    if _is_object(node):
        node.setdefault("properties", {})
        node["required"] = list(node["properties"])
        node["additionalProperties"] = False
    for key in _SUBSCHEMA:
        _make_strict(node.get(key))
    for key in _SUBSCHEMA_LISTS:
        for child in node.get(key) or ():
            _make_strict(child)
    for key in _SUBSCHEMA_MAPS:
        for child in (node.get(key) or {}).values():
            _make_strict(child)


@functools.cache
def response_format(model: type[BaseModel]) -> dict[str, Any]:
    """`response_format` for a chat completion whose answer must match `model`, strictly.

    Cached: building the schema costs milliseconds, once per request line of a million. Do not mutate.
    """
    return {
        "type": "json_schema",
        "json_schema": {
            "name": model.__name__,
            "schema": strict_json_schema(model.model_json_schema()),
            "strict": True,
        },
    }
