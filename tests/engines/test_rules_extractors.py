"""Hardware, model scale, tags, problem/method and TL;DR on invented abstracts."""

import pytest

from agent.engines.rules import RulesEngine, extract_hardware, extract_scale
from agent.models import Paper


@pytest.mark.parametrize(
    "text, expected",
    [
        ("We evaluate on 8 NVIDIA H100 GPUs.", ["NVIDIA H100"]),
        ("Runs on a Tesla V100 and an A800.", ["NVIDIA V100", "NVIDIA A800"]),
        ("A GeForce RTX 4090 suffices.", ["NVIDIA RTX 4090"]),
        ("We train on TPUv4 pods.", ["TPU v4"]),
        ("We train on Google TPU v5e.", ["TPU v5e"]),
        ("Nodes with AMD Instinct MI300X accelerators.", ["AMD MI300X"]),
        ("It runs on an Apple M2 chip and a Jetson Orin board.", ["Apple M2", "Jetson Orin"]),
        ("Hosts use Intel Xeon processors and Ascend 910B NPUs.", ["Intel Xeon", "Ascend 910B"]),
        ("We scale to the Aurora supercomputer.", ["Aurora"]),
        ("Nodes are linked by InfiniBand and NVLink.", ["NVLink", "InfiniBand"]),
        ("Our system scales to large GPU clusters.", ["GPU"]),
        ("It reduces CPU usage of the service.", ["CPU"]),
        ("It offloads weights to CPU memory on a single H100.", ["NVIDIA H100"]),
        ("It offloads optimizer states to CPU and trains on GPUs.", ["GPU"]),
        ("Inference runs on commodity CPUs.", ["CPU"]),
        ("We deploy it on mobile phones and IoT devices.", ["edge devices", "mobile devices"]),
        ("We use an FPGA prototype.", ["FPGA"]),
        ("Frontier models are strong at coding.", []),
        ("It trains on a single Titan X GPU.", ["NVIDIA Titan X"]),
        ("It runs on a Jetson AGX Orin and Intel Gaudi2 accelerators.", ["Jetson Orin", "Intel Gaudi2"]),
        ("We fine-tune on a single 8xH800 node.", ["NVIDIA H800"]),
        ("We fine-tune on a single 4timesA800 GPU server.", ["NVIDIA A800"]),
        ("All runs use a 32 CPU-core Amazon EC2 instance.", ["CPU", "Amazon EC2"]),
        ("Jobs run on AWS EC2 spot instances.", ["Amazon EC2"]),
        ("Inference runs on a 16-core CPU.", ["CPU"]),
        ("We train on 256 H100s.", ["NVIDIA H100"]),
        ("Each run uses one Tesla K40 GPU.", ["NVIDIA K40"]),
        ("Each run uses two GTX 1080Ti cards.", ["NVIDIA GTX 1080 Ti"]),
        ("Timings are measured on an Intel i7-9700K CPU.", ["Intel Core i7"]),
        ("We time the solver on a workstation, using CPUs.", ["CPU"]),
        ("The indexer runs using 32 CPUs.", ["CPU"]),
        ("We move optimizer states to CPUs.", []),
        ("Inference runs on 16 CPU cores.", ["CPU"]),
    ],
)
def test_hardware(text, expected):
    assert sorted(extract_hardware(text)) == sorted(expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("We train 3B and 13B models.", ["3B", "13B"]),
        ("a 34B-parameter model", ["34B"]),
        ("We fine-tune Mistral-7B and Qwen2.5 14B.", ["7B", "14B"]),
        ("models with 2.7 billion and 6 billion parameters", ["2.7B", "6B"]),
        ("from 125M to 1.3B parameters", ["1.3B"]),
        ("models of 350M-2B parameters", ["350M", "2B"]),
        ("trained on 2T tokens with 1.5M queries", []),
        ("models below 10B parameters (<=10B)", []),
        ("a 540 billion parameter model", ["540B"]),
        ("We fine-tune Llama-2-7B and a 13-billion-parameter model on a 1.5-trillion-token corpus.", ["7B", "13B"]),
        ("We train with only 0.5B data and 2B training tokens.", []),
        # a count in M said as parameters before or after it
        ("With a parameter budget of 25M we reach 2.9% error; with 50M total parameters, 2.7%.", ["25M", "50M"]),
        ("The index holds 25M entries.", []),
    ],
)
def test_scale(text, expected):
    assert extract_scale(text) == expected


ABSTRACT = (
    "Large models are expensive to serve. However, existing engines waste memory on long prompts and "
    "suffer from high tail latency. In this paper, we present QuillServe, a serving engine that pages the "
    "KV cache across GPU and host memory and schedules requests by deadline. QuillServe reduces tail "
    "latency by up to 4.1x compared to vLLM and serves 2.3x more requests on NVIDIA A100 GPUs."
)
TITLE = "QuillServe: Deadline-Aware Serving of Large Language Models"


@pytest.fixture(scope="module")
def summary():
    return RulesEngine().extract(Paper(id="t1", title=TITLE, abstract=ABSTRACT, source="file"))


def test_problem_sentence(summary):
    assert summary.problem.startswith("Existing engines waste memory")


def test_method_sentence(summary):
    assert summary.method.startswith("We present QuillServe")


def test_tags_ranked_and_bounded(summary):
    assert summary.tags[0] == "inference" and 1 <= len(summary.tags) <= 4


def test_tldr_names_system_and_result(summary):
    assert "QuillServe" in summary.tldr and "4.1x" in summary.tldr and "vLLM" in summary.tldr


def test_tldr_is_short_single_line_and_not_first_sentence(summary):
    assert len(summary.tldr.split()) <= 30 and "\n" not in summary.tldr
    assert not summary.tldr.startswith("Large models are expensive")


def test_scale_of_prior_work_is_left_out():
    p = Paper(id="p", title="Foo: Small Models", source="file",
              abstract="Prior systems such as a 175B model are costly. We propose Foo, a 1.3B model. Foo is 2x faster.")
    assert RulesEngine().extract(p).model_scale == ["1.3B"]


def test_a_class_only_in_the_title_is_not_the_platform():
    engine = RulesEngine()
    paper = Paper(id="x", title="FooSim: A GPU-Accelerated Simulator for Drone Swarms",
                  abstract="We present FooSim, a simulator for drone swarms. FooSim supports 40 vehicles.", source="file")
    assert engine.extract(paper).hardware == []
    paper = Paper(id="y", title="Training FooNet on 1024 H100s",
                  abstract="We present FooNet, a training recipe. FooNet scales well.", source="file")
    assert engine.extract(paper).hardware == ["NVIDIA H100"]


def test_survey_lists_no_hardware():
    p = Paper(id="s", title="A Survey of Efficient Inference", source="file",
              abstract="This survey reviews methods for NVIDIA H100 GPUs and 70B models. We review 200 papers.")
    s = RulesEngine().extract(p)
    assert s.hardware == [] and s.model_scale == [] and s.tags[0] == "survey"


def test_method_sentence_of_a_survey():
    from agent.engines.rules.sentences import method_index

    sents = ["Models are everywhere.", "In this survey, we comprehensively review serving systems.", "We close."]
    assert method_index(sents) == 1


def test_method_falls_back_to_the_system_name():
    from agent.engines.rules.sentences import method_index

    sents = ["Serving is slow.", "Quill batches requests by deadline.", "It is fast."]
    assert method_index(sents, "Quill") == 1


def test_problem_falls_back_to_the_sentence_before_the_method():
    from agent.engines.rules.sentences import problem_index

    sents = ["Models are popular.", "Many teams deploy them.", "We present Quill, a server."]
    assert problem_index(sents, 2) == 1


# --- a platform class named only while setting the scene (issue 14: no regression on hardware) -----------

def _hardware_of(title, abstract):
    return RulesEngine().extract(Paper(id="x", title=title, abstract=abstract, source="file")).hardware


MOTIVATION = ("Deep networks are hard to deploy on mobile devices and are slow even on a GPU. "
              "We propose FooQuant, a quantization method. FooQuant cuts model size by 4x.")


def test_a_class_named_only_as_motivation_is_not_the_platform():
    assert _hardware_of("FooQuant: Low-bit Networks", MOTIVATION) == []


def test_a_class_the_title_names_stays():
    assert _hardware_of("FooQuant: Low-bit Networks for Mobile Devices", MOTIVATION) == ["mobile devices"]


def test_a_class_the_paper_runs_on_stays():
    text = MOTIVATION + " On a GPU, FooQuant runs 3x faster than Bar."
    assert _hardware_of("FooQuant: Low-bit Networks", text) == ["GPU"]
