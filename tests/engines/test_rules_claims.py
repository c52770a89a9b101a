"""Claim patterns, each on invented sentences (none is taken from the dev-set abstracts)."""

import pytest

from agent.engines.rules import extract_claims

INTRO = "Serving models is costly. We present FooServe, a new system. "


def nums(text):
    return [(c.number, c.low, c.unit) for c in extract_claims(INTRO + text)]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("FooServe is 4.2x faster than Bar.", [(4.2, None, "x")]),
        ("FooServe is 4.2X faster than Bar.", [(4.2, None, "x")]),
        ("FooServe is 4.2× faster than Bar.", [(4.2, None, "x")]),
        ("FooServe is 4.2 × faster than Bar.", [(4.2, None, "x")]),
        ("FooServe is 6 times faster than Bar.", [(6, None, "x")]),
        ("FooServe cuts cost 12-fold.", [(12, None, "x")]),
        ("FooServe cuts cost 12 fold.", [(12, None, "x")]),
        (r"FooServe is 3\(\times\) faster.", [(3, None, "x")]),
        (r"FooServe is $3\times$ faster.", [(3, None, "x")]),
        (r"FooServe is 3$\times$ faster.", [(3, None, "x")]),
        (r"FooServe is 3 $ \times $ faster.", [(3, None, "x")]),
        ("FooServe reduces latency by 41%.", [(41, None, "%")]),
        (r"FooServe reduces latency by 41\%.", [(41, None, "%")]),
        ("FooServe reduces latency by 41 percent.", [(41, None, "%")]),
        ("FooServe improves accuracy by 2.5 percentage points.", [(2.5, None, "pp")]),
        ("FooServe gives 1.2-3.4x higher throughput.", [(3.4, 1.2, "x")]),
        ("FooServe gives 1.2x-3.4x higher throughput.", [(3.4, 1.2, "x")]),
        ("FooServe gives 1.2x\u20133.4x higher throughput.", [(3.4, 1.2, "x")]),
        ("FooServe gives between 2 and 3 times higher throughput.", [(3, 2, "x")]),
        ("FooServe saves 20%\u201330% of memory.", [(30, 20, "%")]),
        ("FooServe lifts hit rate from 40% to 65%.", [(65, None, "%")]),
        ("FooServe is ~7x faster.", [(7, None, "x")]),
        ("FooServe cuts latency from 120 ms to 45 ms.", [(45, None, "ms")]),
        ("FooServe cuts training from 10 hours to 2 hours.", [(2, None, "hour")]),
        ("FooServe cuts latency by a factor of 3.", [(3, None, "x")]),
        ("FooServe is 3-times cheaper.", [(3, None, "x")]),
        ("FooServe is 2.3×–4.1× faster.", [(4.1, 2.3, "x")]),
        ("FooServe has speedups of 1.8x and 2.6x.", [(1.8, None, "x"), (2.6, None, "x")]),
        ("FooServe loses less than 1% accuracy.", [(1, None, "%")]),
        ("FooServe is \u22487x faster.", [(7, None, "x")]),
        ("FooServe serves 1,200 requests/s.", [(1200, None, "requests/s")]),
        ("FooServe generates at 29ms per token.", [(29, None, "ms")]),
        ("FooServe reaches 502 petaFLOP/s on 3072 GPUs.", [(502, None, "PFLOP/s")]),
        ("FooServe sustains 180 TFLOPS per device.", [(180, None, "TFLOP/s")]),
        ("FooServe supports a 500K sequence length on a single H100.", [(500000, None, "tokens")]),
        ("FooServe reaches 3,400 tokens/s.", [(3400, None, "tokens/s")]),
        ("FooServe saves $1.5M per year.", [(1500000, None, "$")]),
        ("FooServe uses only 12 GB of memory.", [(12, None, "GB")]),
        ("FooServe cuts tail latency by an order of magnitude.", [(10, None, "x")]),
        ("FooServe cuts tail latency by two orders of magnitude.", [(100, None, "x")]),
        ("FooServe cuts memory by half.", [(50, None, "%")]),
        ("FooServe doubles the throughput of Bar.", [(2, None, "x")]),
        ("FooServe is three times faster than Bar.", [(3, None, "x")]),
        ("FooServe achieves a speedup of 2.7 over Bar.", [(2.7, None, "x")]),
        ("FooServe keeps a scaling efficiency of 0.91 on 512 nodes.", [(0.91, None, "ratio")]),
        (r"FooServe reaches $4.5\%$ WER.", [(4.5, None, "%")]),
        ("FooServe completes over two million agent steps with zero errors.", [(2000000, None, "step"), (0, None, "error")]),
        ("Its hit rate doubles every six weeks.", [(2, None, "x"), (6, None, "week")]),
        # scores on a named metric take the metric's name as unit
        ("FooGen achieves an FID of 3.17 on LSUN.", [(3.17, None, "fid")]),
        ("FooGen reaches 0.44 rFID and a gFID of 2.05.", [(0.44, None, "rfid"), (2.05, None, "gfid")]),
        ("FooTrans obtains 27.6 BLEU on the news test set.", [(27.6, None, "bleu")]),
        ("FooTrans achieves a BLEU-4 of 36.1 on captions.", [(36.1, None, "bleu")]),
        ("FooLM reaches 1.21 bits per character on the character corpus.", [(1.21, None, "bpc")]),
        ("FooTrans reaches a BLEU score of 41.3 on the dialogue task.", [(41.3, None, "bleu")]),
        ("FooSeg improves mIoU by 2.8 on the street scenes.", [(2.8, None, "miou")]),
        ("FooGen achieves 1.9 higher PSNR and 0.031 higher SSIM than Bar.", [(1.9, None, "psnr"), (0.031, None, "ssim")]),
        ("FooIndex yields +3--9 recall@5 at equal cost.", [(9, 3, "recall@5")]),
        ("FooTag reaches an F1 score of 0.88 on the test split.", [(0.88, None, "f1")]),
        ("FooTag reaches an F1 of 77.5 on the test split.", [(77.5, None, "f1")]),
        ("FooLM lowers perplexity to 11.2 on the held-out corpus.", [(11.2, None, "perplexity")]),
        # points
        ("FooServe improves accuracy by +6 points over Bar.", [(6, None, "pp")]),
        ("FooServe yields a 17-point gain in exact match.", [(17, None, "pp")]),
        ("FooServe improves recall by 4-11 percentage points when tools are hidden.", [(11, 4, "pp")]),
        ("FooServe shows up to 5.50 pp (percentage points) higher pass rate.", [(5.5, None, "pp")]),
        # words and flattened LaTeX
        ("FooServe cuts the error by thirty percent.", [(30, None, "%")]),
        ("FooServe cuts nearly two-thirds of the redundant calls.", [(0.667, None, "ratio")]),
        ("FooServe is up to {approx}6{times} cheaper than Bar.", [(6, None, "x")]),
        ("FooScore shows a strong agreement with human ratings (r = 0.83).", [(0.83, None, "r")]),
        # time in words, with the unit as a word
        ("FooServe needs only one minute to index a repository.", [(1, None, "minute")]),
        ("FooSearch finds the architecture within a day.", [(1, None, "day")]),
        ("FooSearch finishes in only 9 hours.", [(9, None, "hour")]),
        ("FooLM extends accurate retrieval to context lengths of up to 2 million tokens.", [(2000000, None, "tokens")]),
        ("FooServe reduces the end-to-end time from 6 days to 30 hours.", [(30, None, "hour")]),
        ("FooServe cuts the queue time from 40 minutes to under 3 minutes.", [(3, None, "minute")]),
        ("FooQuant stores the weights in 1.7 bits per parameter on average, which reduces memory.", [(1.7, None, "bit/weight")]),
        ("FooTrans improves BLEU from 30.2 to 32.6 on the speech task.", [(32.6, None, "bleu")]),
        ("FooTrans lifts the score from 30.2 to 32.6 BLEU.", [(32.6, None, "bleu")]),
        ("FooDet runs twice as fast as Bar.", [(2, None, "x")]),
        ("FooDet is three times as fast as Bar.", [(3, None, "x")]),
        ("FooDet improves throughput ten-fold.", [(10, None, "x")]),
        ("FooDet runs at 45 FPS on a laptop, which enables live use.", [(45, None, "FPS")]),
        ("FooDet processes 870 frames per second on one board.", [(870, None, "FPS")]),
        ("FooTrain processes 3,100 samples/s on one node.", [(3100, None, "samples/s")]),
        ("FooGen achieves a 2.4 dB gain over Bar.", [(2.4, None, "dB")]),
        ("FooCls reaches an accuracy of 0.91 on the test split.", [(0.91, None, "ratio")]),
        ("FooNet needs less than 300KB of memory on the board.", [(300, None, "KB")]),
    ],
)
def test_pattern(sentence, expected):
    assert nums(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "We evaluate FooServe with LLaMA-2 and GPT-4 on 8 benchmarks.",
        "We train a 7B model on 64 GPUs in 2023.",
        "FooServe v4 builds on Section 3 and prior work [12].",
        "We run 8x A100 GPUs per node.",
        "Each query is repeated 5 times.",
        "Code: https://github.com/foo/serve-2x.",
        "We use 1M real-world queries and 128 GPUs.",
        "Latency at the 99\\%ile is reported.",
        "We use double buffering and half-precision weights.",
        "We crop images to 32 × 32 pixels and use 3x3 kernels.",
        r"We pre-train on $6\times 10^{11}$ tokens.",
        "The best performing baseline requires 40 GB and achieves 9% accuracy.",
        "Our contributions are twofold.",
        "The benefit of FooDet is also threefold: it is simple, fast and exact.",
        "FooServe achieves lower attention compute at 1M context.",
        "By training on one 8-GPU machine for 20 hours, FooLM achieves strong recall.",
        "We score answers on a 5-point scale.",
        "FooGen is trained with the CLIP 2 encoder and improves results.",
        "A dense 70B model requires 140 GB of weights in half precision.",
        "FooNet achieves this by freezing two-thirds of the parameters.",
        "FooNet then refines the draft in a second stage, which improves it.",
    ],
)
def test_not_a_claim(sentence):
    assert nums(sentence) == []


def test_context_length_as_the_setting_of_another_result():
    assert nums("FooServe reduces attention compute by 9.5x at 1M context.") == [(9.5, None, "x")]


def test_metric_score_is_not_taken_from_a_percentage():
    assert nums("FooTag lifts the F1 score to 91.5% on the test split.") == [(91.5, None, "%")]


def test_we_observe_motivation_before_the_method_is_skipped():
    text = ("Serving is slow. We observe that existing engines waste up to 40% of GPU memory. "
            "We propose FooServe. FooServe cuts waste by 3x.")
    assert [(c.number, c.unit) for c in extract_claims(text)] == [(3, "x")]


def test_background_numbers_before_the_method_are_skipped():
    text = ("Prior systems waste 40% of GPU memory. Existing engines are 3x slower on long prompts. "
            "We propose FooServe. FooServe is 2x faster than Bar.")
    assert [(c.number, c.unit) for c in extract_claims(text)] == [(2, "x")]


def test_coordinated_numbers_give_one_claim_each():
    got = nums("FooServe cuts latency and cost by 31% and 45%, respectively.")
    assert [(n, u) for n, _, u in got] == [(31, "%"), (45, "%")]


def test_qualifier_baseline_and_metric():
    (c,) = extract_claims(INTRO + "FooServe achieves up to 5.5x higher throughput compared to vLLM on long prompts.")
    assert (c.qualifier, c.baseline, c.metric) == ("up to", "vLLM", "throughput")


def test_each_number_gets_its_own_baseline():
    claims = extract_claims(INTRO + "FooServe reaches 400 TFLOPS, 1.3x more than Bar, and cuts cost by 20% compared to Baz.")
    assert [(c.number, c.baseline, c.metric) for c in claims] == [(400, None, "throughput"), (1.3, "Bar", "throughput"),
                                                                 (20, "Baz", "cost")]


def test_a_metric_word_in_the_next_clause_belongs_to_the_next_result():
    claims = extract_claims(INTRO + "FooServe accelerates urgent requests by up to 1.5x and delivers up to 36% cost savings.")
    assert [(c.number, c.metric) for c in claims] == [(1.5, "speed"), (36, "cost")]


def test_a_break_after_a_value_still_ends_its_clause():
    claims = extract_claims(INTRO + "FooServe cuts latency by 40% and serves 3x more concurrent users per GPU at a lower cost.")
    # the 3x counts users served: a size reached, not the cost the clause ends on
    assert [(c.number, c.metric, c.kind) for c in claims] == [(40, "latency", "reduction"), (3, "workload size", "scale")]


def test_values_listed_with_respectively_keep_the_metric_before_them():
    claims = extract_claims(INTRO + "The throughput and latency of FooServe are improved by 1.6x and 1.5x respectively, "
                                    "with no loss in accuracy.")
    assert [(c.number, c.metric) for c in claims][-1] == (1.5, "latency")


def test_trailing_comparison_covers_the_sentence():
    claims = extract_claims(INTRO + "FooServe is 2x faster and 30% cheaper, compared with vLLM.")
    assert [c.baseline for c in claims] == ["vLLM", "vLLM"]


def test_baseline_before_the_number():
    (c,) = extract_claims(INTRO + "FooServe outperforms TGI by 37% on average.")
    assert (c.baseline, c.qualifier) == ("TGI", "on average")


def test_qualifier_outside_latex_math():
    (c,) = extract_claims(INTRO + "FooServe is up to $2.5\\times$ faster.")
    assert (c.qualifier, c.number) == ("up to", 2.5)


@pytest.mark.parametrize("qualifier, expected", [("over", "over"), ("more than", "over"), ("at least", "at least"),
                                                  ("nearly", "nearly"), ("~", "~"), ("on average", "on average")])
def test_qualifiers(qualifier, expected):
    if qualifier == "on average":
        text = INTRO + "FooServe is 2.1x faster on average."
    else:
        text = INTRO + f"FooServe is {qualifier} 2.1x faster."
    (c,) = extract_claims(text)
    assert c.qualifier == expected


def test_claim_text_is_an_exact_substring():
    text = INTRO + "FooServe is up to 3$\\times$ faster and uses 21\\% less memory than Bar, with 1,024 GPUs."
    claims = extract_claims(text)
    assert claims and all(c.text in text for c in claims)


# --- kind, metric, lists, shared baselines, evidence (issue 14) -----------------------------------------

def km(text):
    return [(c.number, c.kind, c.metric) for c in extract_claims(INTRO + text)]


@pytest.mark.parametrize("text, expected", [
    ("FooServe is 3.2x faster than Bar.", [(3.2, "speedup", "speed")]),
    ("FooServe has 2.5x lower p99 latency than Bar.", [(2.5, "speedup", "latency")]),
    ("FooServe supports 2-19x longer context than Bar.", [(19, "scale", "context length")]),
    ("FooServe needs 28.4x less attention compute than Bar.", [(28.4, "reduction", "compute")]),
    ("FooServe reduces memory usage by 40%.", [(40, "reduction", "memory")]),
    ("FooServe improves accuracy by 3.1% over Bar.", [(3.1, "gain", "accuracy")]),
    ("FooServe cuts serving cost by 2x.", [(2, "reduction", "cost")]),
    ("With FooServe, quality per watt doubles every six months.", [(2, "gain", "efficiency"), (6, "absolute", "time")]),
    ("Edge chips reach 1.6x lower intelligence per watt than FooServe on servers.", [(1.6, "reduction", "efficiency")]),
    ("FooServe sustains 15.1 PetaFLOPs on 4096 GPUs.", [(15.1, "absolute", "throughput")]),
    ("FooServe reaches 225 TFLOPs/s per A100.", [(225, "absolute", "throughput")]),
    ("FooServe reaches a 500K sequence length on one node.", [(500000, "scale", "context length")]),
    ("FooServe reaches a model FLOPs utilization of 52% on 512 GPUs.", [(52, "absolute", "utilization")]),
])
def test_kind_and_metric_follow_the_words(text, expected):
    assert km(text) == expected


def test_respectively_pairs_numbers_with_the_metrics_listed_after_them():
    claims = extract_claims(INTRO + "FooServe uses 61.5% and 42.0% less GPU memory and network bandwidth respectively.")
    assert [(c.number, c.metric, c.kind) for c in claims] == [(61.5, "memory", "reduction"),
                                                             (42.0, "communication", "reduction")]
    # both rows carry the list with what it measures, not a bare number
    assert claims[0].text == claims[1].text == "61.5% and 42.0% less GPU memory and network bandwidth respectively"


def test_respectively_pairs_numbers_with_the_metrics_listed_before_them():
    claims = extract_claims(INTRO + "FooServe beats Bar in tail latency and GPU utilization by 12.5% and 30.2%, respectively.")
    assert [(c.number, c.metric, c.kind, c.baseline) for c in claims] == [
        (12.5, "latency", "reduction", "Bar"), (30.2, "utilization", "gain", "Bar")]
    assert "tail latency and GPU utilization by 12.5% and 30.2%, respectively" in claims[0].text


def test_a_list_that_is_not_of_metrics_leaves_each_number_its_own_metric():
    claims = extract_claims(INTRO + "For 7B, 13B and 70B models, FooServe reaches MFU of 41%, 39% and 35%, respectively.")
    assert [(c.number, c.metric) for c in claims] == [(41, "utilization"), (39, "utilization"), (35, "utilization")]


def test_a_baseline_named_once_is_attached_to_every_result_of_the_sentence():
    claims = extract_claims(INTRO + "We observe a latency speedup of up to 2.1x, cost savings of up to 4.4x, and an "
                                    "accuracy gain of 3% as compared to Bar.")
    assert [(c.number, c.baseline) for c in claims] == [(2.1, "Bar"), (4.4, "Bar"), (3, "Bar")]
    assert [c.metric for c in claims] == ["latency", "cost", "accuracy"]


def test_an_average_in_parentheses_takes_the_metric_of_the_number_before_it():
    claims = extract_claims(INTRO + "FooServe cuts queueing delay by up to 1.9x (average: 1.3x) and raises goodput by "
                                    "up to 1.4x (average: 1.2x) compared to Bar.")
    assert [(c.number, c.metric) for c in claims] == [(1.9, "latency"), (1.3, "latency"), (1.4, "throughput"),
                                                     (1.2, "throughput")]
    assert claims[1].text.endswith("(average: 1.3x)")


def test_evidence_reaches_back_to_what_improved():
    claims = extract_claims(INTRO + "From 2022 to 2024, tokens per joule improved 4.2x.")
    assert claims[0].text == "tokens per joule improved 4.2x"


def test_a_latex_double_dash_range_keeps_its_low_end():
    assert nums("FooServe improves recall by 9--52% across tasks.") == [(52, 9, "%")]


@pytest.mark.parametrize("text, expected", [
    # what changed is named right after the change word, whatever stands nearer before the number
    ("FooServe keeps the performance levels with a 64% average reduction in training time.",
     [(64, "reduction", "time")]),
    # ...and the phrase ends where the clause goes on ("while keeping comparable speed")
    ("FooServe gives a 12x reduction in memory while keeping comparable speed.", [(12, "reduction", "memory")]),
    # upper-case score names say what a percentage measures
    ("FooServe achieves 7.1% WER on the two speech datasets.", [(7.1, "absolute", "accuracy")]),
    # a word form carries its own metric
    ("With FooServe we fit very large datasets about twice as fast.", [(2, "speedup", "speed")]),
    # pruning and compression rates make a model smaller
    ("FooServe reaches up to 21x pruning rate on the vision models.", [(21, "reduction", "model size")]),
    ("FooServe gets a compression factor of 4.5x on the small models.", [(4.5, "reduction", "model size")]),
    # a plain "efficiency" is output per resource; "scaling efficiency" stays itself
    ("FooServe offers an efficiency gain of 22% over manual tuning.", [(22, "gain", "efficiency")]),
    ("FooServe reaches strong scaling efficiencies of 91% and 85% for the two models.",
     [(91, "absolute", "scaling efficiency"), (85, "absolute", "scaling efficiency")]),
    # a workload word in another clause says nothing of what an improvement measures
    ("We test FooServe on six datasets, obtaining improvements of up to 33% over the baselines.",
     [(33, "gain", "accuracy")]),
    # "faster" with the quantity it was measured in named after it, in the same clause
    ("FooServe is 1.7x faster with measured end-to-end latency on phones.", [(1.7, "speedup", "latency")]),
    ("FooServe is 1.7x faster, and its serving throughput is stable.", [(1.7, "speedup", "speed")]),
    # a metric word that says what a dataset is about is not what was measured
    ("We run FooServe on two road traffic datasets and observe an improvement of 14% over the baselines.",
     [(14, "gain", "accuracy")]),
    # a level reached after a comparison is a level, not the change
    ("FooServe outperforms Bar without any tuning achieving 97% success rate on the hard tasks.",
     [(97, "absolute", "accuracy")]),
    ("FooServe outperforms Bar, achieving 7% higher accuracy on the hard tasks.", [(7, "gain", "accuracy")]),
    # what a result kept ("without", "with little") is not what changed, nor a reason to call it accuracy
    ("FooServe cuts the weights by 12x without affecting the test accuracy on images.", [(12, "reduction", "model size")]),
    ("FooServe needs 80% fewer input features with little accuracy degradation.", [(80, "reduction", None)]),
    # what was saved, when "saving" stands before the number
    ("FooServe learns compact filters, saving 10x to 40x parameters during training.", [(40, "reduction", "model size")]),
    # the object of the change verb, when the number is its "by" phrase far after it
    ("FooServe can reduce the memory requirements both in the convolutional and the recurrent layers by up to 30x.",
     [(30, "reduction", "memory")]),
    # a comparison told from the baseline's side
    ("The dense baseline requires 4x more storage for weights than our proposed model.", [(4, "reduction", "memory")]),
    # the level a change reached is absolute; a named score keeps its name as the unit
    ("FooServe lowers the error rate to 3.1% on the vision benchmark.", [(3.1, "absolute", "accuracy")]),
    ("FooServe raises the Inception Score from 52.5 to 61.2 on the image benchmark.", [(61.2, "absolute", "accuracy")]),
    ("FooServe improves accuracy by up to 3.1% on the vision benchmark.", [(3.1, "gain", "accuracy")]),
    # a time this short is how long one request takes
    ("FooServe answers each query in real time, within 9 ms on a laptop.", [(9, "absolute", "latency")]),
])
def test_metric_from_the_words_of_the_claim(text, expected):
    assert km(text) == expected


def test_a_list_after_up_to_takes_the_direction_named_after_it():
    # "up to" is a qualifier, not the "of" of a head named before the list
    claims = extract_claims(INTRO + "FooServe runs with up to 5.8x and 10x reductions in activations and weights, respectively.")
    assert [(c.number, c.kind) for c in claims] == [(5.8, "reduction"), (10, "reduction")]


def test_numbers_listed_after_their_head_share_its_metric():
    claims = extract_claims(INTRO + "FooServe achieves a compression rate of 6x, 4x, and 1.5x with an accuracy gain "
                                    "of 0.3%, 0.2% and 0.9% respectively.")
    assert [(c.number, c.kind, c.metric) for c in claims[:3]] == [
        (6, "reduction", "model size"), (4, "reduction", "model size"), (1.5, "reduction", "model size")]


@pytest.mark.parametrize("text", [
    "For sparsity above 80% FooServe keeps its accuracy.",
    "With a pruning rate of 60%, FooServe keeps its accuracy.",
    "FooServe runs with batch size of 4 and a density of 25%.",
    "FooServe is trained on 100% of the ImageNet dataset.",
])
def test_a_level_the_method_is_run_at_is_not_a_result(text):
    assert extract_claims(INTRO + text) == []


@pytest.mark.parametrize("text, number", [
    ("FooServe achieves a sparsity of 80% with no loss.", 80),
    ("FooServe needs only 15% of the training examples to match Bar.", 15),
])
def test_a_level_reached_and_a_small_share_of_data_are_results(text, number):
    assert [c.number for c in extract_claims(INTRO + text)] == [number]


def test_scientific_notation_is_not_a_multiplier():
    assert extract_claims(INTRO + "FooServe detects rates as low as 10x-4^ in the samples.") == []


@pytest.mark.parametrize("text", [
    "FooServe keeps its recall when 90% of the queries are answered from the cache.",
    "FooServe still learns even if only 5% of the weights are trained.",
    "FooServe reaches 71.2 F1, better than the best published F1 score of 69.4.",
])
def test_a_condition_and_a_prior_best_value_are_not_results(text):
    assert [c.number for c in extract_claims(INTRO + text)] == ([71.2] if "71.2" in text else [])


def test_a_difference_from_the_second_best_is_a_result():
    claims = extract_claims(INTRO + "FooServe beats the second best result by an absolute difference of 4-9%.")
    assert [(c.number, c.low) for c in claims] == [(9, 4)]


def test_an_order_of_magnitude_in_brackets_is_ten_times():
    claims = extract_claims(INTRO + "FooServe boosts the speed (order of magnitude) of graph embedding.")
    assert [(c.number, c.unit, c.kind) for c in claims] == [(10, "x", "speedup")]


def test_two_coordinated_counts_reached_are_both_claims():
    claims = extract_claims(INTRO + "FooServe scales to a graph with 8 million nodes and 30 million edges.")
    assert [(c.number, c.unit, c.kind, c.metric) for c in claims] == [
        (8e6, "node", "scale", "workload size"), (3e7, "edge", "scale", "workload size")]


@pytest.mark.parametrize("text, expected", [
    ("FooServe improves the validation error by 0.7%.", [(0.7, "reduction", "accuracy")]),
    ("FooServe improves accuracy by 0.7% with no loss in speed.", [(0.7, "gain", "accuracy")]),
    ("FooServe reduces the number of training steps needed by 20%.", [(20, "reduction", "workload size")]),
    # "to 4% of the original" is the level reached (what is left), not the share removed
    ("FooServe cuts the parameter cost to around 4% of the original.", [(4, "absolute", "model size")]),
])
def test_direction_of_errors_steps_and_parameter_cost(text, expected):
    assert km(text) == expected


def test_a_multiplication_sign_before_the_number():
    claims = extract_claims(INTRO + "FooServe renders a frame in roughly a second, a \u00d7500 speed-up over prior work.")
    assert [(c.number, c.unit, c.kind) for c in claims] == [(1, "s", "absolute"), (500, "x", "speedup")]


def test_a_second_stage_is_not_a_time():
    assert extract_claims(INTRO + "FooServe refines its answer in a second stage, reaching 12% higher accuracy.") != []
    assert all(c.unit != "s" for c in extract_claims(INTRO + "FooServe refines it in a second stage, 12% better."))


def test_a_compression_factor_is_model_size_even_beside_a_loss():
    claims = extract_claims(INTRO + "Weights shrink by 70% (compression factor of 3.3x) without more than 4% loss in "
                                    "top-5 accuracy.")
    assert [(c.number, c.metric) for c in claims][:2] == [(70, "model size"), (3.3, "model size")]


def test_a_zero_multiplier_is_not_a_claim():
    # found by the grounding property test: "0x" was extracted, then refused by grounding
    assert extract_claims("outperforms \u00d70x. up to We propose ") == []


def test_percent_points_are_percentage_points_and_stay_in_their_list():
    claims = extract_claims(INTRO + "FooServe reaches a compression rate of 6x and 2x with an accuracy gain of 0.3%, "
                                    "1.2% points, and 2.5% respectively.")
    assert [(c.number, c.unit, c.kind) for c in claims[2:]] == [(0.3, "%", "gain"), (1.2, "pp", "gain"), (2.5, "%", "gain")]
    # the list's span reaches back to what it measures, not over the list before it
    assert claims[2].text == "with an accuracy gain of 0.3%, 1.2% points, and 2.5% respectively"


def test_a_success_rate_as_a_fraction_is_a_ratio():
    assert [(c.number, c.unit, c.kind, c.metric) for c in extract_claims(
        INTRO + "FooServe's targeted attack reaches a success rate of 0.97 on the whole graph.")] == [
        (0.97, "ratio", "absolute", "accuracy")]


def test_bits_per_weight_is_a_memory_level():
    assert km("FooServe achieves as little as 3 bits/weight of storage on the small models.") == [(3, "absolute", "memory")]
    assert km("FooServe reaches 2.5 bits per parameter with no accuracy loss.") == [(2.5, "absolute", "memory")]


@pytest.mark.parametrize("text, expected", [
    # a contrast clause about other systems gives their numbers, not ours
    ("FooServe achieves 2 bits/weight, whereas the conventional models require 8 to 32 bits/weight.",
     [(2, "absolute", "memory")]),
    # ...unless ours is named in it
    ("FooServe is fast, while the existing systems run 3x slower than ours.", [(3, "speedup", "speed")]),
    ("FooServe is 3x faster, while using 20% less memory.", [(3, "speedup", "speed"), (20, "reduction", "memory")]),
])
def test_numbers_of_other_systems_in_a_contrast_clause(text, expected):
    assert km(text) == expected


def test_a_sentence_of_the_baselines_own_numbers_is_not_ours():
    text = ("Serving is costly. We propose a reconfiguration of ResNet-X into branches. With branches of ResNet-X, we "
            "obtain error rates of 2.9% and 1.5% respectively. For the same budget, ResNet-X has an error rate of 3.5% "
            "and 1.8% respectively.")
    assert [c.number for c in extract_claims(text)] == [2.9, 1.5]


def test_a_sentence_of_our_named_systems_numbers_stays():
    text = ("Serving is costly. We propose FooNet, which is faster than BarNet. On ImageNet, FooNet achieves an error "
            "rate of 3.5% on the hard split.")
    assert [c.number for c in extract_claims(text, title="FooNet: Fast Nets")] == [3.5]
    # ...and so does one whose subject was never compared with
    text = "Serving is costly. We propose a new cache. On ImageNet, ResNet-X achieves 3x higher throughput with it."
    assert [c.number for c in extract_claims(text)] == [3]


@pytest.mark.parametrize("text, expected", [
    # a bare number a change gives takes the score the sentence names before it
    ("FooServe reaches 0.61 rFID on ImageNet, outperforming the previous best method by 0.28.",
     [(0.61, "rfid"), (0.28, "rfid")]),
    ("FooServe improves BLEU over Bar by 1.2 on the German task.", [(1.2, "bleu")]),
    # ...a fraction of a rate is a ratio, two listed gains are two results
    ("FooServe reduces rejection rates by 0.10-0.22 on five benchmarks.", [(0.22, "ratio")]),
    ("FooServe gives average gains of 1.98 and 7.50 at the two levels, respectively.", [(1.98, "point"), (7.5, "point")]),
    # an integer with no score named, or a number with a unit of its own, is not one
    ("FooServe increases the batch size by 2 on each node.", []),
    ("FooServe improves the depth by 0.5 layers per block.", []),
])
def test_a_bare_number_a_change_gives(text, expected):
    assert [(c.number, c.unit) for c in extract_claims(INTRO + text)] == expected
