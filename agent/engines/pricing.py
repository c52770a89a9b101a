"""Estimated cost of LLM calls, from a small per-model price table.

Prices are USD per million tokens (input, output), as published by the provider; they change, so a user
can override or extend the table with a TOML file named by `SUMMARIZE_PRICES` (or passed explicitly):

    [models."gpt-4o-mini"]
    input = 0.15
    output = 0.60
    [models."llama3.1:8b"]     # a local model: free
    input = 0
    output = 0

A model matches its own entry or the longest entry it starts with ("gpt-4o-mini-2024-07-18" uses
"gpt-4o-mini"). Unknown models have no price: cost is None, never a guess.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from agent.errors import InputError

# OpenAI list prices (standard tier), USD per 1M tokens. Check before relying on the totals.
DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
}


def load_prices(path: Path | str | None = None) -> dict[str, tuple[float, float]]:
    """The default table updated by the TOML file at `path` (or $SUMMARIZE_PRICES, when set)."""
    prices = dict(DEFAULT_PRICES)
    path = path or os.environ.get("SUMMARIZE_PRICES")
    if not path:
        return prices
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        for model, spec in data.get("models", {}).items():
            prices[model] = (float(spec["input"]), float(spec["output"]))
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(
            f"{path}: not a price table ([models.\"name\"] with input and output per 1M tokens): {exc}"
        ) from None
    return prices


def price_for(model: str, prices: dict[str, tuple[float, float]]) -> tuple[float, float] | None:
    if model in prices:
        return prices[model]
    prefixes = [name for name in prices if model.startswith(name)]
    return prices[max(prefixes, key=len)] if prefixes else None


def cost_usd(model: str, input_tokens: int, output_tokens: int, prices: dict[str, tuple[float, float]]) -> float | None:
    price = price_for(model, prices)
    if price is None:
        return None
    return (input_tokens * price[0] + output_tokens * price[1]) / 1_000_000


def add_cost(total: float | None, cost: float | None) -> float | None:
    """A running total that turns unknown (None) for good once one part has no known price."""
    return None if total is None or cost is None else total + cost


BATCH_PRICE_FACTOR = 0.5  # the Batch API costs half the live price


def batch_price(cost: float | None, factor: float = BATCH_PRICE_FACTOR) -> float | None:
    return None if cost is None else cost * factor
