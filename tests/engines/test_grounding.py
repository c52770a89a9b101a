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


@pytest.mark.parametrize(
    "abstract, text, number, unit",
    [
        ("It is up to 10.7x faster.", "7x faster", 7, "x"),          # the tail of another number
        ("It is up to 10.7x faster.", "0.7x faster", 0.7, "x"),
        ("Memory drops by 25%.", "5%", 5, "%"),
        ("It is 3.5x faster.", "It is 3", 3, None),                  # cuts a number at its end
        ("On 8 GPUs, FooNet gets a 3x speedup.", "On 8 GPUs, FooNet gets a 3x speedup", 8, "x"),
        ("Accuracy rises by 4 points to 71%.", "by 4 points to 71%", 4, "%"),
    ],
)
def test_partial_numbers_and_other_numbers_do_not_ground(abstract, text, number, unit):
    assert not ground_claim(abstract, text, number, unit)


@pytest.mark.parametrize(
    "abstract, text, number, unit",
    [
        ("Speedups of 2.5 and 3.1 times over Bar.", "2.5 and 3.1 times", 2.5, "x"),
        ("It is faster by a factor of 10 than Bar.", "a factor of 10", 10, "x"),
        ("Latency falls by ~ 2 orders of magnitude.", "~ 2 orders of magnitude", 100, "x"),
        ("It runs about twice as fast.", "about twice as fast", 2, "x"),
        ("Recall rises by 12 percent.", "12 percent", 12, "%"),
        ("It finishes within a day on one machine.", "within a day", 1, "day"),
    ],
)
def test_unit_bound_numbers_ground(abstract, text, number, unit):
    assert ground_claim(abstract, text, number, unit)
