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


# -- the other fields of an answer (finishing) -------------------------------------------------------

from agent.engines.grounding import check_fields, mentioned  # noqa: E402
from agent.models import Summary  # noqa: E402

TEXT = ("We train on AMD MI250X GPUs and two NVIDIA Titan X cards a model of 22 billion parameters, "
        "with infrequent synchronization and sparse updates, evaluated on ImageNet against Llama-2-7B.")


@pytest.mark.parametrize("name", ["AMD MI250X", "MI250X", "GPU", "GPUs", "Titan X", "22B", "Llama-2-7B"])
def test_names_the_abstract_writes_are_mentioned(name):
    assert mentioned(name, TEXT)


@pytest.mark.parametrize("name", ["H100", "70B", "sparse synchronization", "None", "", "TPU v4"])
def test_names_the_abstract_does_not_write_are_not(name):
    assert not mentioned(name, TEXT)


def test_check_fields_drops_what_the_abstract_does_not_say_and_names_it():
    summary = Summary(hardware=["MI250X", "H100", "ImageNet dataset"], tags=list("abcdefg"),
                      model_scale=["22B", "70B", "infrequent synchronization and sparse"],
                      tldr="It is 10% more accurate than Llama-2-7B.")
    checked, dropped = check_fields("A title", TEXT, summary)
    assert checked.hardware == ["MI250X"]
    assert checked.model_scale == ["22B"]
    assert checked.tags == list("abcde")
    assert checked.tldr == ""  # 10 is not a number of the abstract
    assert len(dropped) == 6  # two hardware, two scales, the extra tags, the TL;DR


def test_check_fields_keeps_a_summary_that_holds_up_as_it_is():
    summary = Summary(hardware=["GPU"], model_scale=["22B"], tags=["training"],
                      tldr="Training a 22 billion parameter model on MI250X GPUs.")
    assert check_fields("A title", TEXT, summary) == (summary, [])
