"""Questions asked of one claim: is it a speedup, a deficit, the paper's headline result?

Below both the rules engine's TL;DR (which names the headline) and the exporters (which bold it, chart the
speedups and filter on them), so all of them agree and neither imports the other.
"""

from __future__ import annotations

from collections.abc import Iterable

from agent.models import Claim

_MULTIPLIER_UNITS = {"x", "×"}


def is_speedup(claim: Claim) -> bool:
    """A grounded multiplier of kind `speedup` with a positive value (a log scale has no place for 0 or less).

    "2-19x longer context" (scale), "28.4x less compute" (reduction) and "1.4x lower IPW" are multipliers but
    not speedups. A claim with no kind (an LLM answer that did not give one, a record stored before schema 2)
    is judged by its unit alone, as before."""
    if claim.kind is not None and claim.kind != "speedup":
        return False
    return claim.grounded and claim.unit.strip().lower() in _MULTIPLIER_UNITS and claim.number > 0


def _is_percentage(claim: Claim) -> bool:
    return claim.unit.strip() == "%"


def _is_multiplier(claim: Claim) -> bool:
    return claim.unit.strip().lower() in _MULTIPLIER_UNITS


# metrics where more is better: a reduction of one is a deficit the paper reports, not its headline
_HIGHER_BETTER = frozenset(
    ("throughput", "speed", "accuracy", "efficiency", "utilization", "scaling efficiency", "context length")
)


def is_deficit(claim: Claim) -> bool:
    """ "1.4x lower IPW than cloud accelerators": a number the paper reports against itself."""
    return claim.kind == "reduction" and (claim.metric or "") in _HIGHER_BETTER


def headline(claims: Iterable[Claim]) -> Claim | None:
    """The one result a reader would quote: the TL;DR names it and the digest bolds it, so both call this.

    Only grounded claims count (an ungrounded one may be invented), and no deficit (`is_deficit`). In order
    of preference:
    1. a multiplier or percentage stated against a baseline ("4.1x over vLLM"): a number means little without
       what it beats, and a reader can check it; multipliers before percentages, larger first;
    2. the largest multiplier: speedups are what this tool's readers scan for, and compare well across papers;
    3. the largest percentage;
    4. the first grounded claim (the abstract's own order), whatever its unit.
    Ties keep the abstract's order.
    """
    grounded = [c for c in claims if c.grounded and not is_deficit(c)]
    if not grounded:
        return None
    with_baseline = [c for c in grounded if c.baseline and (_is_multiplier(c) or _is_percentage(c))]
    if with_baseline:
        return max(with_baseline, key=lambda c: (_is_multiplier(c), c.number))
    for kind in (_is_multiplier, _is_percentage):
        same = [c for c in grounded if kind(c)]
        if same:
            return max(same, key=lambda c: c.number)
    return grounded[0]
