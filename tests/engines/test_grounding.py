import pytest

from agent.engines.grounding import ground_claim

ABSTRACT = (r"FooServe is up to 10.7× faster than Bar, 3$\times$ cheaper, handles a 500K sequence length, "
            r"serves 1,000 req/s at 29ms per token, cuts tail latency by an order of magnitude, halves the cost, "
            r"doubles  the throughput and saves 21\% memory – all on 8 GPUs.")


@pytest.mark.parametrize(
    "text, number",
    [
        ("up to 10.7x faster than Bar", 10.7),
        ("3x cheaper", 3),
        ("3 × cheaper", 3),
        ("500K sequence length", 500000),
        ("1,000 req/s", 1000),
        ("29ms per token", 29),
        ("by an order of magnitude", 10),
        ("halves the cost", 50),
        ("doubles the throughput", 2),
        ("21% memory", 21),
        ("saves 21\\% memory - all", 21),
    ],
)
def test_grounded(text, number):
    assert ground_claim(ABSTRACT, text, number)


@pytest.mark.parametrize(
    "text, number",
    [
        ("up to 10.7x faster than Bar", 10.8),    # wrong number
        ("up to 12x faster than Bar", 12),        # not in the abstract
        ("29ms per token", 2),                    # a digit of the number is not the number
        ("", 0),
        ("3x cheaper", float("nan")),
    ],
)
def test_not_grounded(text, number):
    assert not ground_claim(ABSTRACT, text, number)
