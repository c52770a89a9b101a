"""The rules engine's TL;DR on invented abstracts: names the system, reads as a complete phrase, quotes the
headline result with its baseline, and agrees with the digest on which claim that is."""

import io
import re

import pytest

from agent.engines.rules import RulesEngine
from agent.exporters.digest import write_digest
from agent.models import Claim, Paper, Provenance, Record
from agent.selection import headline

ENGINE = RulesEngine()
DANGLING = {"a", "an", "the", "of", "for", "to", "and", "or", "that", "which", "with", "in", "on", "by", "facilitates"}

PAPERS = {
    "named": Paper(id="n", source="file", title="PebbleRL: A Sharded Actor-Learner System for Fast Policy Training",
                   abstract="Policy training for large models wastes accelerator time on idle learners. In this paper, "
                            "we propose PebbleRL, a sharded actor-learner system that overlaps rollout generation with "
                            "gradient computation across many nodes and that facilitates elastic scaling of the "
                            "learners under bursty workloads. PebbleRL reaches up to 5.2x higher throughput than "
                            "OpenRLHF on 64 GPUs and reduces idle time by 40%."),
    "unnamed": Paper(id="u", source="file", title="Routing Queries Between Cheap and Expensive Language Models",
                     abstract="Serving every query with the largest model is costly. We present a routing strategy "
                              "that sends easy queries to a small model and hard ones to a large model, based on a "
                              "learned difficulty score. It cuts serving cost by 35% compared to always using the "
                              "large model."),
    "no-method": Paper(id="m", source="file", title="Cache Eviction for Long Prompts",
                       abstract="Long prompts fill the key-value cache quickly. A score computed from attention "
                                "weights decides which entries to evict first. Eviction keeps accuracy within one "
                                "point of the full cache."),
    "survey": Paper(id="s", source="file", title="A Survey of Speculative Decoding",
                    abstract="Speculative decoding speeds up generation. In this survey, we review drafting "
                             "methods, verification schemes and serving systems. We close with open problems."),
}


@pytest.fixture(scope="module", params=sorted(PAPERS))
def case(request):
    paper = PAPERS[request.param]
    return request.param, paper, ENGINE.extract(paper)


def test_one_short_line_ending_at_a_complete_phrase(case):
    _, paper, s = case
    assert s.tldr and "\n" not in s.tldr and len(s.tldr.split()) <= 30
    assert s.tldr.rstrip(".").split()[-1].lower() not in DANGLING
    assert not re.match(r"(?i)(we|in this paper|this paper)\b", s.tldr)
    assert s.tldr.rstrip(".") != paper.abstract.split(". ")[0]
    assert s.tldr.rstrip(".") != paper.title


def test_names_the_system_and_quotes_the_headline_with_its_baseline():
    s = ENGINE.extract(PAPERS["named"])
    assert s.tldr.startswith("PebbleRL, a sharded actor-learner system")
    assert "5.2x" in s.tldr and "OpenRLHF" in s.tldr
    assert "A Sharded Actor-Learner System for Fast Policy Training" not in s.tldr


def test_unnamed_method_starts_with_the_compressed_clause():
    s = ENGINE.extract(PAPERS["unnamed"])
    assert "routing strategy" in s.tldr.lower() and "35%" in s.tldr
    assert "We present" not in s.tldr


def test_no_method_sentence_still_says_more_than_the_title():
    s = ENGINE.extract(PAPERS["no-method"])
    words = set(re.findall(r"\w+", s.tldr.lower()))
    assert words - set(re.findall(r"\w+", PAPERS["no-method"].title.lower()))


def test_survey_reads_survey_of_topic_covers():
    s = ENGINE.extract(PAPERS["survey"])
    assert s.tldr.startswith("Survey of speculative decoding:") and "drafting methods" in s.tldr


def test_headline_prefers_a_baseline_then_multipliers_then_percentages():
    big = Claim(text="9x", number=9, unit="x")
    based = Claim(text="2x over vLLM", number=2, unit="x", baseline="vLLM")
    pct = Claim(text="50%", number=50, unit="%")
    ungrounded = Claim(text="99x", number=99, unit="x", grounded=False)
    assert headline([big, based, pct]) is based
    assert headline([pct, big, ungrounded]) is big
    assert headline([pct, Claim(text="10 ms", number=10, unit="ms")]) is pct
    assert headline([ungrounded]) is None and headline([]) is None


def test_digest_bolds_the_claim_the_tldr_quotes():
    paper = PAPERS["named"].model_copy(update={"url": None})
    s = ENGINE.extract(paper)
    head = headline(s.claims)
    out = io.StringIO()
    write_digest([Record.of(paper, s, Provenance(engine="rules"))], out)
    line = out.getvalue().strip().splitlines()[-1]
    bold = re.findall(r"\*\*(.+?)\*\*", line)
    assert len(bold) == 1 and bold[0] in head.text and "5.2x" in bold[0]
    assert line.count("5.2x") == 1


def _tldr(title: str, abstract: str) -> str:
    return ENGINE.extract(Paper(id="x", source="file", title=title, abstract=abstract)).tldr


def test_system_named_once_when_its_result_repeats_the_name():
    out = _tldr("Quokka: Dynamic Scheduling for Model Serving",
                "Serving requests of varying length is hard. We present Quokka, a serving system that reschedules "
                "requests across instances at runtime. Quokka improves tail latency by 3.1x over vLLM.")
    assert out.count("Quokka") == 1
    assert "Quokka, a serving system" in out and "improves tail latency by 3.1x" in out


def test_no_capital_after_a_semicolon():
    out = _tldr("Routing Queries Between Cheap and Expensive Language Models",
                "Serving every query with the largest model is costly. We present a routing strategy that sends easy "
                "queries to a small model. It cuts serving cost by 35% compared to always using the large model.")
    assert not re.search(r"; [A-Z][a-z]", out)


def test_capitalised_word_introduced_with_an_appositive_is_a_name():
    out = _tldr("Batch Query Processing and Optimization for Agentic Workflows",
                "Agentic workflows issue many related LLM calls. We introduce Halo, a system that batches and "
                "optimizes these calls. Halo achieves up to 18.6x speedup for batch inference.")
    assert out.startswith("Halo, a system")
    assert "halo" not in out


def test_second_verb_agrees_after_a_stripped_we():
    out = _tldr("Optimizing Distributed Training on Big Machines",
                "Training large models needs many techniques. We analyze the interplay among these techniques and "
                "find a strategy to combine them.")
    assert "analyzes" in out.lower() and "finds a strategy to combine them" in out and " find " not in out


# Each test below exercises one behaviour of the TL;DR (RULES_VERSION 3); the abstracts are invented.


def test_describes_the_sentence_that_proposes_what_the_title_names():
    # the first "we" sentence only evaluates; the one after it proposes the title's method
    out = _tldr("Fading Residual Links for Very Deep Feed-Forward Networks",
                "Very deep feed-forward networks degrade without skip connections. We demonstrate the benefits of "
                "this with experiments on four image datasets. We propose fading residual links, which remove the "
                "skip connections of very deep feed-forward networks gradually during training.")
    assert "fading residual links" in out.lower()
    assert "experiments on four image datasets" not in out


def test_unnamed_contribution_keeps_the_verb_of_its_sentence():
    out = _tldr("Cheap Routing of Queries Between Language Models",
                "Serving every query with the largest model is costly. We present a routing strategy that sends easy "
                "queries to a small model and hard ones to a large model.")
    assert out.startswith("Presents a routing strategy that sends easy queries")


def test_result_is_read_from_its_verb_and_keeps_both_numbers():
    # the headline claim starts after "reduces ... and": the TL;DR reads it from the verb
    out = _tldr("EdgeSplit: Splitting Inference Between Cloud and Edge",
                "Running LLM inference in the cloud is expensive. We present EdgeSplit, a framework that splits "
                "inference between edge devices and the cloud. EdgeSplit reduces inference time by up to 13.8% and "
                "cloud computation costs by up to 84.6% compared to cloud-only deployment.")
    assert "reduces" in out and "84.6%" in out
    assert "; cloud computation costs" not in out


def test_participle_result_becomes_a_verb():
    out = _tldr("FedTiny: Federated Tuning with Tiny Client Modules",
                "Federated tuning of large models strains clients. We propose FedTiny, a federated framework that "
                "keeps the large model on the server. FedTiny removes the need to deploy the model on clients, "
                "reducing client-side storage by 95%.")
    assert "reduces client-side storage by 95%" in out and "; reducing" not in out


def test_a_comparison_reads_with_is():
    out = _tldr("Swipe: Keyboard Gestures for Mobile Text Editing",
                "Editing text on phones is slow. We present Swipe, a system of on-keyboard gestures for mobile text "
                "editing. In a user study, Swipe was 24% faster than the default interactions.")
    assert "is 24% faster than the default interactions" in out and "achieves 24%" not in out


def test_reference_with_by_clause_keeps_what_is_done():
    out = _tldr("Restoration Networks Guided by a Task",
                "Generative restoration can hallucinate structure. Existing methods ignore the downstream task. "
                "We propose to resolve these challenges by coupling the restoration network with a task-specific "
                "network.")
    assert "coupling the restoration network with a task-specific network" in out
    assert "these challenges" not in out


def test_name_then_which_reads_as_a_clause():
    out = _tldr("Stacked Gates: A Plain Approach to Segmentation",
                "Segmentation needs global context. This paper proposes stacked gates (SGs), which iteratively "
                "combine features from different resolution scales while maintaining resolution.")
    assert out.startswith("Stacked Gates iteratively combine features") or out.startswith("stacked gates")
    assert ": which" not in out


def test_latex_quotes_become_plain_quotes():
    out = _tldr("Shell Convolution: Learning in the Unit Ball",
                "Convolution on spheres is hard. We propose a ``shell convolution'' operation that convolves "
                "functions in the unit ball.")
    assert "``" not in out and "''" not in out and '"shell convolution"' in out


@pytest.mark.parametrize(
    ("abstract_result", "shown"),
    [
        ("FooNet is up to 1.75times faster than BarNet.", "1.75x faster"),  # a source turned the sign into a word
        ("FooNet is up to {approx}5{times} faster than BarNet.", "~5x faster"),  # ...or dropped the backslashes
        ("FooNet is up to $3\\times$ faster than BarNet.", "3x faster"),
    ],
)
def test_a_multiplication_sign_in_any_spelling_reads_as_x(abstract_result: str, shown: str) -> None:
    out = _tldr("FooNet: Fast Nets", "Nets are slow. We present FooNet, a fast network for images. " + abstract_result)
    assert shown in out and "times" not in out and "{" not in out and "\\" not in out


def test_name_said_again_in_its_description_is_dropped():
    out = _tldr("Skip Gate: Learning to Skip Updates in Recurrent Networks",
                "Recurrent networks update their state at every step. We introduce the Skip Gate model which "
                "extends recurrent networks by learning to skip state updates.")
    assert out.count("Skip Gate") == 1 and "is a model which extends" in out


def test_past_tense_verb_becomes_present():
    out = _tldr("Growing Sets for Curriculum Learning",
                "Curriculum learning orders training examples. In this work, we compared growing training sets "
                "with classical training and self-paced learning on four datasets.")
    assert out.startswith("Compares growing training sets")


def test_lead_phrase_without_comma_is_dropped():
    out = _tldr("Continuation Search for Agent Failures",
                "Rare failures of agents are hard to find. To solve this we propose a continuation approach that "
                "learns failure modes in related but less robust agents.")
    assert not out.lower().startswith("to solve") and "continuation approach" in out


def test_title_words_before_the_first_comma_are_not_repeated():
    out = _tldr("Ferrule: Federated Full-Parameter Tuning at Scale for Language Models",
                "Tuning language models on private data is hard. We introduce Ferrule: Federated Full-Parameter "
                "Tuning at Scale for Language Models, the first first-order method with shared randomness for "
                "decentralized data.")
    assert "Federated Full-Parameter Tuning" not in out and "the first first-order method" in out


def test_verbs_sharing_one_object_keep_the_object():
    out = _tldr("OPAL: An Open Extraction Corpus",
                "Open extraction systems produce triples. We release, describe, and analyze an extraction corpus "
                "called OPAL, which was built from the text of English Wikipedia.")
    assert not re.search(r"[,:]\s*,", out) and ", describe" not in out and "an extraction corpus" in out


def test_an_example_cut_to_a_word_is_dropped():
    out = _tldr("On the Design of Model-Based Algorithms",
                "Model-based algorithms are everywhere. This work initiates a formal investigation into the design "
                "and analysis of model-based algorithms, i.e. algorithms that contain one or multiple calls of large "
                "language models as sub-routines and critically rely on the capabilities of large language models.")
    assert not re.search(r"i\.e\.\s*\w*\.$", out)


def test_results_without_what_they_measure_are_left_out():
    out = _tldr("Espresso: Fast Forward Propagation for Binary Networks",
                "Binary networks are fast in theory. We present Espresso, a compact library written in C/CUDA for "
                "the forward propagation of binary networks, which gives speed-ups of optimized binary networks "
                "(~ 2 orders of magnitude).")
    assert "orders of magnitude" not in out


def test_without_a_method_sentence_the_one_that_builds_wins_over_one_that_shows():
    out = _tldr("Sparse Gates for Recurrent Memory",
                "Recurrent networks forget. We show that dense gates for recurrent memory fail on long sequences. "
                "We construct sparse gates that keep recurrent memory over long sequences.")
    assert out.startswith("Constructs sparse gates")


def test_we_inside_the_line_reads_in_the_third_person():
    out = _tldr("Contraction Defense for One-Class Detectors",
                "One-class detectors can be attacked. We propose a defense mechanism that is based on a contraction "
                "of the data, and we test its effectiveness using one-class detectors.")
    assert " we " not in out and "and tests its effectiveness" in out
    out = _tldr("Block Layers for Small Networks",
                "Fully connected layers are large. This paper considers a modified version of the fully connected "
                "layer we call a block inner product layer.")
    assert " we " not in out and "layer called a block inner product layer" in out


def test_design_then_we_reads_as_what_the_system_does():
    out = _tldr("Hogwild Decoding: Parallel Generation via Shared Attention",
                "Parallel generation needs coordination. Hogwild Decoding is a different design approach: we run "
                "model workers in parallel and synchronize them via a shared attention cache.")
    assert out.startswith("Hogwild Decoding runs model workers in parallel") and " we " not in out


def test_a_result_without_a_verb_joins_with_with():
    out = _tldr("Plan Compiler for Parallel Function Calling",
                "Agents call functions one at a time. We introduce PlanCompiler, which executes functions in parallel "
                "to orchestrate multi-function calling. We observe consistent latency speedup of up to 3.7x, cost "
                "savings of up to 6.7x over ReAct.")
    assert "with cost savings of up to 6.7x over ReAct" in out and "; cost savings" not in out


def test_the_name_is_not_said_twice_through_called():
    out = _tldr("Rival Replay for Sparse Rewards",
                "Sparse rewards slow exploration. We introduce a method called Rival Replay, which supplements a "
                "sparse reward by placing learning in a competition between two agents.")
    assert out.count("Rival Replay") == 1


def test_a_line_never_starts_with_we():
    out = _tldr("A Morphological Network as a Universal Function Approximator",
                "Neural networks combine inputs linearly. We are proposing to replace the basic linear combination "
                "with non-linear morphological operations.")
    assert out.startswith("Proposes to replace the basic linear combination")
    out = _tldr("Modular Models and Systematic Generalization",
                "Systematic generalization is hard. We furthermore investigate if modular models that generalize "
                "well could be made more end-to-end by learning their layout.")
    assert "furthermore" not in out.lower() and out.startswith("Investigates if modular models")


@pytest.mark.parametrize(
    ("desc", "name", "expected"),
    [
        ("a probabilistic framework for GANs, ProbGAN, which learns", "ProbGAN", "a probabilistic framework for GANs, which learns"),
        ("a method called competitive experience replay, which supplements", "Competitive Experience Replay",
         "a method, which supplements"),
        ("a system, with X, called Foo, which", "foo", "a system, with X, which"),  # tried at each place in turn
        ("a method called FooBar and more", "Foo", "a method called FooBar and more"),  # no comma after the name
        ("a method called Foosball, which", "Foo", "a method called Foosball, which"),  # the name is a prefix only
    ],
)
def test_a_name_said_again_in_its_description_is_dropped_once(desc: str, name: str, expected: str) -> None:
    from agent.engines.rules.tldr import _drop_said_name

    assert _drop_said_name(desc, name) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("We propose a method to learn such a metric from recorded responses.", "learn a metric from"),
        ("We introduce a toolkit for training such models on small devices.", "training models on"),
        ("We design a test that classifies the states obtainable with such system in practice.", "with a system"),
    ],
)
def test_such_that_points_back_is_dropped(sentence: str, expected: str) -> None:
    out = _tldr("Quiet Probes for Neural Networks", "Probing networks is hard. " + sentence)
    assert expected in out and "such" not in out.lower()


def test_such_as_stays():
    out = _tldr("Quiet Probes for Neural Networks",
                "Probing networks is hard. We introduce a toolkit for probing layers such as attention and convolution.")
    assert "such as attention" in out


def test_a_reference_to_an_unseen_sentence_gives_way_to_the_sentence_that_proposes():
    out = _tldr("Wasserstein Embeddings for Rare Words",
                "Embeddings may live in many spaces, which gives a lot of freedom. We exploit this flexibility by "
                "learning Wasserstein embeddings for rare words. We propose WideEmb, a method that places each word "
                "as a distribution in a shared space.")
    assert "this flexibility" not in out and "WideEmb" in out


def test_a_reference_to_words_said_before_it_is_kept():
    out = _tldr("Wide Embeddings for Rare Words",
                "Rare words are hard to embed. We propose a metric learning method and use this metric to embed rare "
                "words as distributions over a shared vocabulary space.")
    assert "this metric" in out


@pytest.mark.parametrize(
    ("cut", "kept"),
    [
        ("Introduces a layer that enables fast character modeling with line-level supervision, significantly improving.",
         "Introduces a layer that enables fast character modeling with line-level supervision."),
        ("Studies how depth affects accuracy and speed of models, the extent to which additional data.",
         "Studies how depth affects accuracy and speed of models."),
        ("Studies how depth affects accuracy, the extent to which more data helps.",  # the clause has its verb
         "Studies how depth affects accuracy, the extent to which more data helps."),
    ],
)
def test_an_end_the_cut_left_open_is_dropped(cut: str, kept: str) -> None:
    from agent.engines.rules.tldr import _without_cut_end

    assert _without_cut_end(cut) == kept


def test_the_sentence_that_introduces_the_titles_system_wins():
    out = _tldr("FooGym: A Fast Multi-Drone Simulator for Control and Learning",
                "Simulators matter for drones. In this paper, we present FooGym, an open-source multi-drone "
                "environment built on a physics engine. We describe the environment design, the drone dynamics and "
                "the control and learning examples of the multi-drone simulator.")
    assert out.startswith("FooGym is an open-source multi-drone environment")


def test_a_question_is_not_the_contribution():
    out = _tldr("Dense Latent Messages Between Heterogeneous Agents",
                "Agents talk through text. We study a question: can heterogeneous agents exchange dense latent "
                "messages at all? We propose FooLink, a cache transformation that aligns heterogeneous agents.")
    assert "?" not in out and "FooLink" in out


def test_a_pronoun_from_an_unseen_sentence_gives_way():
    out = _tldr("The Cold Start Gap in Agents",
                "Are agents equally safe throughout a session? We discover they are not: agents are weakest at the "
                "start. We introduce FooBench, a benchmark that controls how many tasks precede a threat.")
    assert not out.startswith("Discovers they") and "FooBench" in out


def test_an_escaped_bar_is_a_bar():
    from agent.engines.rules.tldr import _delatex

    assert _delatex("a measure of confidence is \\|F\\|") == "a measure of confidence is |F|"


def test_a_name_followed_by_that_takes_the_verb_itself():
    out = _tldr("FooNAS: Direct Architecture Search on Target Hardware",
                "Architecture search is costly. In this paper, we present FooNAS that can directly learn the "
                "architectures for large target tasks. On ImageNet, our model is 1.2x faster than MobileNetV2.")
    assert out.startswith("FooNAS can directly learn") and "FooNAS that" not in out


@pytest.mark.parametrize(
    ("sentence", "trimmed"),
    [
        ("Specifically: 1) We develop FooPIP, a framework.", "We develop FooPIP, a framework."),
        ("(ii) we propose a cache.", "We propose a cache."),
        ("However, we show a bound.", "We show a bound."),
        ("In this paper, the cache is shared.", "The cache is shared."),
    ],
)
def test_a_leading_connective_or_list_marker_is_trimmed(sentence: str, trimmed: str) -> None:
    from agent.engines.rules.sentences import trim

    assert trim(sentence) == trimmed
