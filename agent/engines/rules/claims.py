"""Quantitative claims: the numbers an abstract reports about its own work.

A claim is found in three steps: candidate numbers with a unit are matched on the raw text (so every
span is an exact substring); candidates in sentences that only set the scene (before the paper says
what it does, with no "we"/"our"), in URLs or overlapping a longer candidate are dropped; the survivors
get a qualifier, a metric and a baseline from the words around them.

Units follow tests/data/devset/LABELLING.md: `x`, `%`, `pp` (only when the text says points), `ratio` for
dimensionless fractions, a score on a named metric takes the metric's name in lower case (`fid`, `bleu`,
`f1`, `recall@10`), time units are words (`minute`, `hour`, `day`, `week`; `ms` and `s` stay short), byte
units (`KB`..`TB`), `bit`, rates (`tokens/s`, `requests/s`, `images/s`, `FPS`), `dB`, `$`, `tokens`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from agent.models import Claim

from .names import title_name
from .numbers import DASH, NUM, NUM_START, TIMES, WORD_NUM, clean_float, parse_number, scaled
from .scan import ascii_twin, finditer_near
from .sentences import method_index, sentence_spans
from .tags import tokens

# --- candidate patterns -------------------------------------------------------------------------------

_N = rf"{NUM_START}({NUM})"
_PCT = r"(?:\s?\\?%(?!ile)|\s?(?:per\s?cent|percent)\b)"
# "1.4% points" is a loose "1.4 percentage points"
_PP_SURE = r"(?:\s?(?:percentage|pct\.?)[\s-]+points?\b|\s?(?:pp|p\.p\.)(?![\w.])|\s?\\?%[\s-]points?\b)"
_PP = rf"(?:{_PP_SURE}|\s(?:absolute\s+)?points?\b|-points?\b)"
_SEP = rf"\s*(?:{DASH}{{1,2}}|to|and)\s*"  # "9--52%": LaTeX writes a range dash as two hyphens

_RANGE_X = re.compile(rf"{_N}(?:{TIMES})?{_SEP}({NUM}){TIMES}")
_RANGE_PCT = re.compile(rf"{_N}(?:{_PCT})?{_SEP}({NUM}){_PCT}")
_RANGE_PP = re.compile(rf"{_N}(?:{_PP_SURE})?{_SEP}({NUM}){_PP_SURE}")
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+$", re.I)
# "from 23.2% to 71.3%", "from 10 hours to 2 hours": a before/after change, reported as the value after.
_FROM_PREFIX = re.compile(
    rf"\bfrom\s+{NUM}(?:\s?[^\s\d]{{1,12}})?\s+to\s+(?:over\s+|under\s+|about\s+|nearly\s+|almost\s+|"
    rf"just\s+|only\s+|less\s+than\s+|more\s+than\s+|~\s?)?$",
    re.I,
)
_X = re.compile(rf"{_N}{TIMES}")
_PCT_RE = re.compile(rf"{_N}{_PCT}")
_POINTS_AFTER = re.compile(r"[\s-]points?\b")
_PP_RE = re.compile(
    rf"{_N}(?:{_PP_SURE}|{_PP}(?=\s+(?:higher|lower|better|worse|more|less|improvement|gain|increase|drop|"
    rf"decrease|of|in|on|over|above|below|than|accuracy)\b|[,.;)]))"
)
_FACTOR_OF = re.compile(rf"\bfactor\s+of\s+(?:up\s+to\s+|about\s+|~\s?)?{_N}(?![\d.,]*\s*(?:[xX×%]|times|\\))", re.I)
_SPEEDUP_OF = re.compile(
    rf"\b(?:speed-?ups?|accelerations?)\s+of\s+(?:up\s+to\s+|about\s+|~\s?)?{_N}(?![\d.,]*\s*(?:[xX×%]|times|\\))"
)
_RATIO = re.compile(
    rf"\b(?:efficienc(?:y|ies)|utili[sz]ation|MFU|ratio|accuracy|(?:success|win|pass)\s+rates?)\s+(?:of\s+)?"
    rf"(?:up\s+to\s+|about\s+|~\s?)?"
    rf"{NUM_START}(0?\.\d+|1\.0+)\b(?!\s*(?:[xX×%]|times))"
)

_ABS_UNITS = [
    (r"ms|msec|milliseconds?", "ms"),
    (r"s|secs?|seconds?", "s"),
    (r"mins?|minutes?", "minute"),
    (r"h|hrs?|hours?", "hour"),
    (r"days?", "day"),
    (r"weeks?", "week"),
    (r"KB|kilobytes?", "KB"),
    (r"MB|megabytes?", "MB"),
    (r"GB|GiB|gigabytes?", "GB"),
    (r"TB|TiB|terabytes?", "TB"),
    (r"bits?\s?/\s?(?:weight|parameter|param)|bits?\s+per\s+(?:weight|parameter|param)", "bit/weight"),
    (r"bits?", "bit"),
    (r"tokens?\s?/\s?s(?:ec)?|tokens?\s+per\s+second|tok/s", "tokens/s"),
    (r"(?:requests?|reqs?|queries)\s?/\s?s(?:ec)?|(?:requests?|queries)\s+per\s+second|RPS|QPS", "requests/s"),
    (r"(?i:P-?FLOPs?(?:/s(?:ec)?)?|peta-?FLOPs?(?:/s(?:ec)?)?)", "PFLOP/s"),  # PFLOPS, PetaFLOPs, PFLOPs/s
    (r"(?i:T-?FLOPs?(?:/s(?:ec)?)?|tera-?FLOPs?(?:/s(?:ec)?)?)", "TFLOP/s"),
    (r"(?:images?|samples?|sequences?)\s?/\s?s(?:ec)?|(?:images?|samples?|sequences?)\s+per\s+second", "{0}/s"),
    (r"FPS|fps|frames?\s?/\s?s(?:ec)?|frames\s+per\s+second", "FPS"),
    (r"dB", "dB"),
    (r"W|watts?", "W"),
    (r"J|joules?", "J"),
]
_ABS_ALT = "|".join(f"(?P<u{i}>{pat})" for i, (pat, _) in enumerate(_ABS_UNITS))
_ABS = re.compile(rf"{_N}(?:\s?([KMB])(?![A-Za-z]))?\s?(?:{_ABS_ALT})(?![\w/])")
# Money, not LaTeX math: "$1.5M" but not "$9.3\%$" or "$3\times$".
_DOLLAR = re.compile(rf"(?<![\w\\])\$\s?({NUM})(?:\s?(K|M|B|million|billion|thousand)\b)?(?![\d.]|\s*(?:\\|%|\^|\$|_))")
_SEQ_LEN = re.compile(
    rf"{_N}\s?([KM])?(?:[\s-]?tokens?)?[\s-]+(?:sequence|context)(?:[\s-]+(?:lengths?|windows?))?\b", re.I
)

_MAGNITUDE = re.compile(
    r"\b(an?|one|two|three|four|\d+)[\s-]+orders?[\s-]+of[\s-]+magnitudes?\b|(?<=\()(order)[\s-]+of[\s-]+magnitude\)",
    re.I,
)
_DOUBLE = re.compile(
    r"\b(doubl|tripl|quadrupl)(?:es|ed|ing|e)\b(?![-\u2010](?!digit))(?!\s+(?:precision|buffer\w*|check\w*|descent|counting|blind|edged))",
    re.I,
)
_TWICE = re.compile(
    r"\b(twice|thrice)\s+(?:as\s+(?:fast|many|much|large|long|efficient|accurate|high)|faster|more|higher|"
    r"larger|longer|fewer|less|lower|the\s+(?:speed|throughput|accuracy|performance))\b",
    re.I,
)
_HALF = re.compile(r"\b(?:by|in)\s+half\b(?![\s-]+precision)|\bhalv(?:es|ed|ing|e)\b", re.I)
_WORD_TIMES = re.compile(
    rf"\b({WORD_NUM})[\s-]+(?:times|fold)\b(?=\s+(?:faster|higher|lower|less|more|fewer|smaller|larger|"
    rf"better|greater|cheaper|longer|shorter|speed|throughput|improvement|reduction|increase|"
    rf"as\s+(?:fast|many|much|large|efficient|high))\b)"
    rf"|\b(two|three|four|five|six|seven|eight|nine|ten|twenty|hundred)[\s-]?fold\b",
    re.I,
)
# "our contributions are twofold": a count of items, not a multiplier
_FOLD_IS = re.compile(r"\b(?:is|are|was|were)\s+(?:also\s+)?$", re.I)
_EVERY = re.compile(rf"\bevery\s+(?:(\d+(?:\.\d+)?)|({WORD_NUM}))\s+(day|week|month|year)s?\b", re.I)
_ZERO = re.compile(
    r"\b(?:with|achiev\w*|reach\w*)\s+(?:nearly\s+|almost\s+)?(zero)\s+(errors?|failures?|downtime|violations?)\b", re.I
)
_SCALE_COUNT = re.compile(
    rf"\b(?:solv|handl|process|complet|execut|scal|sustain|serv)\w*\b[^.;]{{0,30}}?\b(?:over\s+|more\s+than\s+|up\s+to\s+)?"
    rf"(?:({NUM})|({WORD_NUM}))\s+(thousand|million|billion|trillion)\s+(?:[A-Za-z-]+\s+)?"
    rf"(steps|requests|queries|tokens|users|sessions|calls|nodes|edges|vertices|images|documents|frames|records|rows)\b"
    rf"(?:\s+and\s+(?:({NUM})|({WORD_NUM}))\s+(thousand|million|billion|trillion)\s+"
    rf"(steps|requests|queries|tokens|users|sessions|calls|nodes|edges|vertices|images|documents|frames|records|rows)\b)?",
    re.I,
)
# Scores on a named metric ("an FID of 2.42", "28.4 BLEU", "+2--12 recall@10", "4.1 higher PSNR"): the unit
# is the metric's name in lower case. Case-sensitive names, so that "map" or "clip" as words never match.
_METRIC_NAME = (
    r"(?:[rgs]?FID|BLEU(?:-\d)?|ROUGE(?:-[12L])?|METEOR|CIDEr|PSNR|(?:MS-|CW-)?SSIM|LPIPS|mAP|mIoU|"
    r"Inception\s+[Ss]cores?|Fr[eé]chet\s+Inception\s+[Dd]istance|F1|AUC|AUROC|CLIP(?=[\s-]+score)|[Rr]ecall@\d+|R@\d+|NDCG@\d+|MRR|WER|CER|[Pp]erplexity|PPL|BPC|"
    r"bits?[\s-]per[\s-]character)"
)
_METRIC_AFTER = re.compile(
    rf"{_N}(?:\s?(?:{DASH}{{1,2}}|to)\s?({NUM}))?\s+(?:(?:points?|higher|lower|better|more|"
    rf"improvement\s+(?:in|on))\s+)?({_METRIC_NAME}|CLIP)(?![\w@-])"
)
_TO_NUMBER = re.compile(r"(?<!\bup)\sto\s*$")
_METRIC_BEFORE = re.compile(
    rf"(?<![\w@-])({_METRIC_NAME})(?:[\s-]+scores?)?\s*(?:of|=|:|by|to|reaches|at|from\s+{NUM}\s+to)?\s*"
    rf"(?:up\s+to\s+|only\s+|just\s+|about\s+|~\s?)?{_N}(?![\d.,]*\s*(?:[xX×%]|\\%|times|"
    rf"percent|points?|pp\b|[KMB]\b|-?(?:step|shot|bit)))"
)
# lower-case word (as `tags.tokens` splits the text) -> the case-sensitive literal to scan around
_METRIC_TOKENS = {
    "inception": "Inception",
    "frechet": "Frechet",
    "chet": "échet",  # "Fréchet": the accented letter splits the word
    "fid": "FID",
    "rfid": "FID",
    "gfid": "FID",
    "sfid": "FID",
    "bleu": "BLEU",
    "rouge": "ROUGE",
    "meteor": "METEOR",
    "cider": "CIDEr",
    "psnr": "PSNR",
    "ssim": "SSIM",
    "lpips": "LPIPS",
    "map": "mAP",
    "miou": "mIoU",
    "f1": "F1",
    "auc": "AUC",
    "auroc": "AUC",
    "clip": "CLIP",
    "recall": "ecall@",
    "r": "R@",
    "ndcg": "NDCG@",
    "mrr": "MRR",
    "wer": "WER",
    "cer": "CER",
    "perplexity": "erplexity",
    "ppl": "PPL",
    "bpc": "BPC",
    "character": "character",
}
_FRACTION_TOKENS = frozenset(("third", "thirds", "quarter", "quarters", "fourth", "fourths", "fifth", "fifths"))
# Percentages and fractions in words: "twenty percent", "nearly two-thirds" (a ratio, as the number is written).
_WORD_PCT = re.compile(rf"\b({WORD_NUM})\s+(?:per\s?cent|percent)\b", re.I)
_FRACTIONS = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fourth": 4,
    "fourths": 4,
    "fifth": 5,
    "fifths": 5,
}
_FRACTION = re.compile(
    r"\b(one|two|three|four)[\s-](thirds?|quarters?|fourths?|fifths?)\b(?!\s+(?:of\s+)?(?:the\s+)?"
    r"(?:parameters|layers|data|dataset|samples|training))",
    re.I,
)
# A correlation coefficient reported as a result: "r = 0.81", "(Pearson r=+0.64)".
_CORR = re.compile(r"(?<![\w])r\s?=\s?[+\u2212-]?(0?\.\d+|1\.0+)\b")
# A time in words: "takes only one minute", "within a day".
_WORD_TIME = re.compile(
    rf"\b(?:within|in|under|at|takes?|requires?|needs?|only|just)\s+(?P<q>only\s+|just\s+|about\s+|roughly\s+|"
    rf"around\s+|approximately\s+|less\s+than\s+|under\s+)?(an?|{WORD_NUM})\s+(second|minute|hour|day|week)s?\b"
    rf"(?![\s-]+(?:ago|old))",
    re.I,
)
# "a x1000 speed-up": the multiplication sign before the number
_X_BEFORE = re.compile(
    r"(?<![\w.])\u00d7\s?(\d[\d,]*(?:\.\d+)?)(?=[\s-]+(?:speed-?ups?|faster|acceleration|improvement|reduction|"
    r"fewer|less|smaller|larger|higher|lower|more)\b)",
    re.I,
)
# Context lengths reached: "context lengths of up to 1 million tokens", "a context window of 2M tokens".
_CONTEXT_TOKENS = re.compile(
    rf"\bcontext(?:\s+(?:lengths?|windows?))?\s+(?:of\s+)?(?:up\s+to\s+|over\s+|beyond\s+)?"
    rf"{_N}\s?(K|M|thousand|million)?\s+tokens\b",
    re.I,
)
# "at 1M context", "with 128K-token sequences": the length is the setting of another result, not a result.
_SETTING_BEFORE = re.compile(r"\b(?:at|under|with|for)\s+(?:a\s+|the\s+)?$", re.I)
# "trained ... for 16 hours": a training budget is setup.
_BUDGET_BEFORE = re.compile(r"\bfor\s+(?:only\s+|just\s+|about\s+|roughly\s+)?$", re.I)
_TIME_UNITS = frozenset(("ms", "s", "minute", "hour", "day", "week"))
_DIGIT = re.compile(r"\d")
_URL = re.compile(r"https?://\S+|www\.\S+|[\w.-]+\.(?:com|org|io|ai|net)/\S*")

# "8x A100", "4× H100 GPUs": a count of devices, not a speedup.
_DEVICE_AFTER = re.compile(
    r"\s*(?:NVIDIA|AMD|Intel|A100|H100|H200|V100|A800|H800|B200|MI\d+|RTX|TPU|GPUs?\b|CPUs?\b|"
    r"nodes?\b|servers?\b|machines?\b|cores?\b|devices?\b)"
)
# "32 × 32", "6\times 10^{11}", "3x3": a product or a dimension, not a multiplier.
_PRODUCT_AFTER = re.compile(r"\s*\$?\s*(?:\d|\{?10\^)|[-\u2212]\d+\^")  # "3 x 4", "10x-4^" (10^-4)
_TIMES_CONTEXT_BAD = re.compile(
    r"\b(?:repeated|run|ran|executed|called|sampled|queried|invoked|trained|tested|evaluated)\s*$", re.I
)
_TIMES_AFTER_BAD = re.compile(r"\s+(?:per|a\s+(?:day|week|second|minute)|each|in\s+a\s+row)\b", re.I)

# --- context ------------------------------------------------------------------------------------------

_OWN_WORDS = {"our", "ours", "proposed", "results", "result"}
# Prior work reported as such: "previous systems ... achieve", "the best baseline requires". Found as an
# anchor (tried only where its first word is, by `str.find`) and a verb after it in the same sentence (no "."
# between): one regex with "[^.]*" between them backtracks over the sentence at every position.
_PRIOR_PARTS = (
    (
        ("prior", "previous", "earlier", "existing", "recent"),
        None,
        re.compile(
            r"(?:prior|previous|earlier|existing|recent)\s+(?:work|studies|experiments|systems|methods|approaches|"
            r"research)\b",
            re.I,
        ),
        re.compile(r"\b(?:show|report|achiev|found|reach)", re.I),
    ),
    (
        ("best", "strongest", "existing", "prior"),
        "baseline",
        re.compile(r"(?:best[- ]performing|strongest|best|existing|prior)\s+baselines?\b", re.I),
        re.compile(r"\b(?:is|are|requires?|achiev\w*|reach\w*)\b", re.I),
    ),
)


def _prior(sent: str, low: str) -> bool:
    """`low` is `sent.lower()`."""
    for firsts, needs, anchor, verb in _PRIOR_PARTS:
        if needs and needs not in low:
            continue
        for w in firsts:
            i = low.find(w)
            while i >= 0:
                if i == 0 or not low[i - 1].isalnum():
                    m = anchor.match(sent, i)
                    if m:
                        dot = sent.find(".", m.end())
                        if verb.search(sent, m.end(), dot if dot >= 0 else len(sent)):
                            return True
                i = low.find(w, i + 1)
    return False


_RESULT_CUE = re.compile(
    r"\b(?:achiev\w*|reach\w*|attain\w*|deliver\w*|sustain\w*|obtain\w*|reduc\w*|lower\w*|increas\w*|decreas\w*|raises|raised|cut\w*|"
    r"improv\w*|faster|speed\w*|outperform\w*|enabl\w*|complet\w*|finish\w*|only|just|within|"
    r"result\w*|show\w*|demonstrat\w*|observ\w*|record\w*|peak|saving\w*|save\w*|serv\w*|generat\w*|"
    r"support\w*|process\w*|handl\w*|runs|running|scal\w*|sustain\w*|takes|costs|extend\w*|yield\w*|boost\w*|lifts?|lifted|gains?|(?:needs|requires)\s+(?:less|fewer|under|at\s+most|no\s+more))\b",
    re.I,
)
_HARDWARE_NEAR = re.compile(r"GPU|A100|H100|H200|V100|A800|H800|MI\d{3}|RTX|HBM|DRAM|VRAM|memory capacity", re.I)

# Qualifiers that can stand right before a number, longest first (matched with `endswith`, which is much
# cheaper than a regex anchored at the end of the text before every claim).
_QUALIFIERS = sorted(
    [
        "by up to",
        "up to",
        "on average",
        "an average of",
        "average of",
        "average:",
        "average",
        "approximately",
        "about",
        "around",
        "roughly",
        "nearly",
        "almost",
        "over",
        "more than",
        "at least",
        "at most",
        "less than",
        "fewer than",
        "under",
        "only",
        "just",
        "as much as",
        "as high as",
        "as low as",
        "as little as",
        "beyond",
        "exceeding",
        "above",
        "below",
        "~",
        "≈",
        "∼",
        "$\\sim$",
        "$\\approx$",
        "\\sim",
        ">=",
        "<=",
        "≥",
        "≤",
        ">",
        "<",
        "$>$",
        "$<$",
        "{approx}",
        "{sim}",
    ],
    key=len,
    reverse=True,
)


def _qualifier_before(before: str) -> tuple[str, int] | None:
    """(normalised qualifier, length of the text it spans up to the number) when one ends `before`."""
    tail = before[-40:]
    stripped = tail.rstrip()
    if stripped.endswith("$"):  # "up to $2.5\times$": the qualifier is outside the math
        stripped = stripped[:-1].rstrip()
    low = stripped.lower()
    for art in (" a", " an"):
        if low.endswith(art) and (low.endswith(" up to" + art) or low.endswith(" by up to" + art)):
            low = low[: -len(art)].rstrip()
            break
    for q in _QUALIFIERS:
        if low.endswith(q):
            i = len(low) - len(q)
            if q[0].isalpha() and i > 0 and low[i - 1].isalnum():
                continue  # "moreover", not "over"
            key = q
            if key.startswith("averag") and key != "average:":
                key = "an average of"
            return _QUAL_NORMAL.get(key, key), len(tail) - i
    return None


_QUAL_NORMAL = {
    "by up to": "up to",
    "an average of": "on average",
    "average of": "on average",
    "average:": "on average",
    "approximately": "~",
    "about": "~",
    "around": "~",
    "roughly": "~",
    "≈": "~",
    "∼": "~",
    "$\\sim$": "~",
    "\\sim": "~",
    "$\\approx$": "~",
    "more than": "over",
    "beyond": "over",
    "exceeding": "over",
    "above": "over",
    ">": "over",
    "$>$": "over",
    ">=": "at least",
    "≥": "at least",
    "fewer than": "less than",
    "under": "less than",
    "below": "less than",
    "<": "less than",
    "$<$": "less than",
    "<=": "at most",
    "≤": "at most",
    "almost": "nearly",
    "just": "only",
    "as much as": "up to",
    "as high as": "up to",
    "{approx}": "~",
    "{sim}": "~",
}
_TRAILING_AVG = re.compile(r"^[^,;]{0,40}?\b(?:on\s+average|in\s+average|on\s+avg\.?)(?!\w)", re.I)

_CLAUSE_END = re.compile(
    r"[;:]|(?<!\\)[()]|,(?!\d{3})|\s(?:and|while|when|but|which|whereas|respectively|as evidenced|thereby|thus)\b|\.(?:\s|$)"
)
_BASELINE = re.compile(
    r"\b(?:compared\s+(?:to|with|against)|in\s+comparison\s+(?:to|with)|relative\s+to|over|than|against|"
    r"versus|vs\.?|that\s+of)\s+(?:the\s+)?(?P<b>[^,;:()]+?)"
    r"(?=[,;:()]|\s(?:and|while|when|on|with|under|in|across|for|at|by|using|during|without|respectively|"
    r"up\s+to|as|which|through|to|if|whereas|but|via|from|of\s+\d)\b|\.(?:\s|$)|$)",
    re.I,
)
# A sentence-final ", compared to X" clause: it qualifies every result in the sentence.
_SENTENCE_BASELINE = re.compile(
    r",\s*(?:as\s+|when\s+|all\s+)?(?:compared\s+(?:to|with|against)|in\s+comparison\s+(?:to|with)|relative\s+to|versus|vs\.?)\s+"
    r"(?:the\s+)?(?P<b>[^,;:()]+?)(?=[,;:()]|\s(?:and|while|when|on|under|in|across|for|at|by|using|"
    r"during|without|respectively)\b|\.(?:\s|$)|$)",
    re.I,
)
_BASELINE_BEFORE = re.compile(
    r"\b(?:outperform\w*|surpass\w*|beat\w*|exceed\w*)\s+(?:the\s+)?(?P<b>[^;.]{2,90}?)\s*,?\s+(?:by|in)\b", re.I
)
_BAD_BASELINE = re.compile(r"^(?:\d|a\s|an\s|up\s|one\s|two\s|the\s+(?:course|past|years?)|time|years?|\W)", re.I)

# What a claim measures, by word stems near its number (substring search on a short window is much
# cheaper than a regex). Order breaks ties at equal distance.
_METRICS = [
    (
        "latency",
        (
            "latenc",
            "response time",
            "ttft",
            "tpot",
            "time-to-first-token",
            "time to first token",
            "delay",
            "deadline",
            "inference time",
            "decoding time",
            "generation time",
            "turnaround",
        ),
    ),
    (
        "throughput",
        (
            "throughput",
            "tokens/s",
            "requests/s",
            "tflops",
            "tflop/s",
            "pflop/s",
            "petaflop",
            "teraflop",
            "flops per",
            "qps",
            "goodput",
            "tokens per second",
            "samples per second",
            "images per second",
        ),
    ),
    ("speed", ("speedup", "speed-up", "speed up", "faster", "fast", "accelerat", "speed", "quicker", "sooner")),
    ("memory", ("memory", "footprint", "storage", "kv cache", "kv-cache", "vram")),
    ("communication", ("communicat", "bandwidth", "transmission", "traffic", "network overhead")),
    ("cost", ("cost", "saving", "cheaper", "price", "dollar", "expens", "budget")),
    ("energy", ("energy", "power", "watt", "joule", "carbon")),
    ("efficiency", ("ipw", "per watt", "intelligence per", "capacity density", "density", "efficienc")),
    (
        "accuracy",
        (
            "accura",
            "f1",
            "score",
            "win rate",
            "success",
            "performance",
            "quality",
            "exact match",
            "answer",
            "error",
            "bleu",
            "rouge",
            "fid",
            "recall",
            "precision",
            "pass@",
            "violation",
            "safety",
            "perplexity",
            "match",
            "hallucinat",
            "coverage",
            "benchmark",
            "fidelity",
            "reward",
            "rejection",
            "utility",
            "top-1",
            "top-5",
            "loss",
            "error rate",
            "mrr",
            "ndcg",
            "psnr",
            "ssim",
            "miou",
        ),
    ),
    ("utilization", ("utilization", "utilisation", "mfu", "cpu usage", "gpu usage", "usage", "of peak", "occupancy")),
    ("scaling efficiency", ("scaling efficienc", "weak scaling", "strong scaling", "parallel efficienc")),
    ("compute", ("compute", "computation", "flops", "flop", "operations", "multiply-add")),
    ("context length", ("context", "sequence length", "sequences")),
    ("time", ("time", "runtime", "hour", "day", "wall-clock", "month", "minute")),
    ("tokens", ("token",)),
    ("data", ("training examples", "training data", "examples", "samples", "labels", "annotations")),
    (
        "model size",
        (
            "model size",
            "parameters",
            "weights",
            "compression rate",
            "compression ratio",
            "compression factor",
            "pruning rate",
            "sparsit",
        ),
    ),
    (
        "workload size",
        ("steps", "requests", "queries", "users", "sessions", "batch size", "datasets", "larger", "workload"),
    ),
    ("correlation", ("correlat", "association")),
]


# every stem, longest first, in one pattern: one scan of a window instead of one `find` per stem
_STEM_NAME: dict[str, str] = {}
for _name, _stems in _METRICS:
    for _stem in _stems:
        _STEM_NAME.setdefault(_stem, _name)
_STEM_RE = re.compile(
    r"(?<![a-z])(?:" + "|".join(re.escape(s) for s in sorted(_STEM_NAME, key=len, reverse=True)) + ")"
)
# The same search without the regex alternation (which costs ~35 us per window): every stem starts a word,
# so try the stems that share a word's first two letters, longest first, at each word start.
_STEMS_BY3: dict[str, tuple[str, ...]] = {}
for _stem in sorted(_STEM_NAME, key=len, reverse=True):
    if len(_stem) >= 3:
        _STEMS_BY3[_stem[:3]] = _STEMS_BY3.get(_stem[:3], ()) + (_stem,)
_SHORT_STEMS = tuple(s for s in _STEM_NAME if len(s) < 3)
for _stem in _SHORT_STEMS:
    _STEMS_BY3[_stem] = (_stem,)
# the word starts that begin with a stem's first three letters, grouped by first letter (sre rejects the
# other words at their first character)
_BY_FIRST: dict[str, list[str]] = {}
for _key in sorted(_STEMS_BY3, key=len, reverse=True):
    _BY_FIRST.setdefault(_key[0], []).append(re.escape(_key[1:]))
_STEM_START = re.compile(
    r"(?<![a-z])(?=(" + "|".join(f"{re.escape(a)}(?:{'|'.join(v)})" for a, v in sorted(_BY_FIRST.items())) + "))"
)
_WORD_START = re.compile(r"(?<![a-z])[a-z]")


def _stems(window: str) -> list[tuple[int, int, str]]:
    """(start, end, metric) of every stem in the lower-case `window`, as `_STEM_RE.finditer` finds them."""
    out, after = [], 0
    for m in _STEM_START.finditer(window):
        i = m.start()
        if i < after:
            continue
        for stem in _STEMS_BY3[m.group(1)]:
            if window.startswith(stem, i):
                after = i + len(stem)
                out.append((i, after, _STEM_NAME[stem]))
                break
    return out


@dataclass
class _Cand:
    start: int  # span of the numeric core
    end: int
    number: float
    unit: str
    low: float | None = None
    from_to: bool = False  # "from 23.2% to 71.3%": the value after a change
    kind: str = "rel"  # "rel" (x, %, pp, word forms), "abs" (units, need a result verb), "count" (a scale
    #                     reached, matched with its verb), "aux" (only counted beside another claim)


def _num(s: str | None) -> float | None:
    return parse_number(s) if s else None


# a run of digits that does not continue a number ("14" in "3.14", "000" in "1,000")
_NUMBER_START = re.compile(r"\d(?<!\d\d)(?<!\d[.,]\d)")  # the digit first: lookbehinds only at digits
_NUMBER_START_ASCII = ascii_twin(_NUMBER_START)
_RANGE_CHARS = "-~\u2010\u2011\u2012\u2013\u2014\u2212"
_RANGE_SET = frozenset(_RANGE_CHARS)
_X_SET = frozenset("xX×\\$")


def _number_starts(text: str) -> list[int]:
    """Where numbers begin: the numeric patterns are only tried there (anchored), which is far cheaper
    than letting each of them scan the whole abstract."""
    return [m.start() for m in (_NUMBER_START_ASCII if text.isascii() else _NUMBER_START).finditer(text)]


def _candidates(text: str, words: set[str] | frozenset[str]) -> list[_Cand]:
    out: list[_Cand] = []
    add = out.append
    lower = text.lower()
    seq_words = "sequence" in lower or "context" in lower  # once: a test per number would be quadratic

    for p in _number_starts(text):
        before = text[max(0, p - 12) : p]
        # what follows the number decides which patterns can match there (cheap tests before regexes)
        nxt = text[p : p + 24]
        chars = set(nxt)  # one set, then C-level intersections instead of a generator per test
        may_range = not _RANGE_SET.isdisjoint(chars) or " to " in nxt or " and " in nxt
        may_x = not _X_SET.isdisjoint(chars) or "times" in nxt or "fold" in nxt
        may_pct = "%" in nxt or "ercent" in nxt
        may_pp = "point" in nxt or "pp" in nxt or "p.p" in nxt
        first_new = len(out)
        for rx, unit in ((_RANGE_X, "x"), (_RANGE_PCT, "%"), (_RANGE_PP, "pp")) if may_range else ():
            if unit == "pp" and not may_pp:
                continue
            m = rx.match(text, p)
            if not m:
                continue
            a, b = _num(m.group(1)), _num(m.group(2))
            if a is None or b is None or a >= b:
                continue
            between = _BETWEEN_BEFORE.search(before)
            sep = text[m.end(1) : m.start(2)]
            if not between and _AND.search(sep):
                continue  # "77.1% and 73.1%" is two claims, not a range; only "between a and b" is one
            add(_Cand(p - len(between.group(0)) if between else p, m.end(), b, unit, low=a))
        m = _X.match(text, p) if may_x else None
        if m:
            n = _num(m.group(1))
            sign = m.group(0)[len(m.group(1)) :]
            bad = (
                (sign.strip() in ("x", "X") and _DEVICE_AFTER.match(text, m.end()))
                or _PRODUCT_AFTER.match(text, m.end())
                or (
                    "times" in sign
                    and (_TIMES_CONTEXT_BAD.search(text, max(0, p - 25), p) or _TIMES_AFTER_BAD.match(text, m.end()))
                )
            )
            if n is not None and n > 0 and not bad:  # "0x" multiplies nothing (and grounding refuses it)
                add(_Cand(p, m.end(), n, "x"))
        m = _PCT_RE.match(text, p) if may_pct else None
        if m and may_pp and _POINTS_AFTER.match(text, m.end()):
            m = None  # "1.4% points": percentage points, below
        if m:
            n = _num(m.group(1))
            if n is not None:
                add(_Cand(p, m.end(), n, "%"))
        m = _PP_RE.match(text, p) if may_pp else None
        if m:
            n = _num(m.group(1))
            if n is not None and n <= 100:
                add(_Cand(p, m.end(), n, "pp"))
        m = _ABS.match(text, p)
        if m:
            n = _num(m.group(1))
            unit = next((_ABS_UNITS[i][1] for i in range(len(_ABS_UNITS)) if m.group(f"u{i}")), None)
            if unit == "{0}/s":  # "images/s", "samples per second"
                unit = _singular(m.group(0)[len(m.group(1)) :].split("/")[0].split()[0]) + "s/s"
            ok = n is not None and unit is not None
            if ok and unit in ("s", "hour", "W", "J", "bit") and m.group(2):
                ok = False  # "5 Ks", "2 MW": too odd to trust
            if ok and unit in ("KB", "MB", "GB", "TB") and _HARDWARE_NEAR.search(text, max(0, p - 20), m.end() + 20):
                ok = False  # "A100 80GB": a device spec
            if (
                ok
                and unit in _TIME_UNITS
                and "for" in before
                and _BUDGET_BEFORE.search(before)
                and "train" in lower[max(0, p - 120) : p]
            ):
                ok = False  # "training ... for 16 hours": the budget, not a result
            if ok:
                add(_Cand(p, m.end(), clean_float(scaled(n, m.group(2))), unit, kind="abs"))
        if seq_words:
            m = _SEQ_LEN.match(text, p)
            if m and not _SETTING_BEFORE.search(before):
                n = _num(m.group(1))
                if n is not None and (m.group(2) or n >= 1000):
                    add(_Cand(p, m.end(), clean_float(scaled(n, m.group(2))), "tokens", kind="abs"))

        if len(out) == first_new:
            # a bare number a change gives ("outperforming X by 0.28"): tried only at numbers nothing else took
            near_before = text[max(0, p - 24) : p]
            if "by " in near_before or "of " in near_before:
                lead = _BARE_LEAD.search(text, max(0, p - 40), p)
                m = _BARE_CHANGE.match(text, lead.start()) if lead else None
                if m and m.start(1) == p:
                    out.extend(_bare_change(text, m))
        if len(out) > first_new and "to " in text[max(0, p - 14) : p]:
            f = _FROM_PREFIX.search(text, max(0, p - 60), p)
            if f:
                for c in out[first_new:]:
                    c.start, c.low, c.from_to = f.start(), None, True

    def near(stems: tuple[str, ...], before: int, after: int, rx: re.Pattern[str]):
        return finditer_near(rx, text, lower, stems, before, after)

    for m in _X_BEFORE.finditer(text) if "\u00d7" in text else ():
        n = _num(m.group(1))
        if n is not None and n > 1:
            add(_Cand(m.start(), m.end(), n, "x"))
    for m in near(("speed", "accelerat"), 2, 40, _SPEEDUP_OF):
        n = _num(m.group(1))
        if n is not None and n > 1:
            add(_Cand(m.start(1), m.end(1), n, "x"))
    for m in near(("factor",), 2, 30, _FACTOR_OF) if "factor" in words else ():
        n = _num(m.group(1))
        if n is not None:
            add(_Cand(m.start(), m.end(), n, "x"))
    for m in near(("efficienc", "utili", "mfu", "ratio", "accuracy", "success", "win", "pass"), 2, 40, _RATIO):
        n = _num(m.group(1))
        if n is not None:
            add(_Cand(m.start(), m.end(), n, "ratio"))
    for m in near(("$",), 2, 30, _DOLLAR):
        n = _num(m.group(1))
        if n is not None:
            add(_Cand(m.start(), m.end(), clean_float(scaled(n, m.group(2))), "$", kind="abs"))
    for m in near(("magnitude",), 30, 12, _MAGNITUDE) if "magnitude" in words or "magnitudes" in words else ():
        w = (m.group(1) or "a").lower()  # "(order of magnitude)": one
        k = 1.0 if w in ("a", "an") else _num(w) or 1.0
        add(_Cand(m.start(), m.end(), clean_float(10.0**k), "x"))
    for m in near(("doubl", "tripl", "quadrupl"), 2, 40, _DOUBLE):
        add(_Cand(m.start(), m.end(), {"doubl": 2.0, "tripl": 3.0, "quadrupl": 4.0}[m.group(1).lower()], "x"))
    for m in near(("twice", "thrice"), 2, 40, _TWICE) if "twice" in words or "thrice" in words else ():
        add(_Cand(m.start(), m.end(), 2.0 if m.group(1).lower() == "twice" else 3.0, "x"))
    for m in near(("half", "halv"), 8, 16, _HALF):
        add(_Cand(m.start(), m.end(), 50.0, "%"))
    for m in near(("times", "fold"), 16, 24, _WORD_TIMES):
        n = _num(m.group(1) or m.group(2))
        if m.group(2) and _FOLD_IS.search(text, max(0, m.start() - 12), m.start()):
            continue
        if n is not None:
            add(_Cand(m.start(), m.end(), n, "x"))
    # the word-form patterns below are gated on the abstract's word set (one set intersection) rather than
    # on substring searches, which cost about a microsecond each
    metric_stems = tuple({_METRIC_TOKENS[w] for w in words.intersection(_METRIC_TOKENS)})
    for m in finditer_near(_METRIC_AFTER, text, text, metric_stems, 40, 8) if metric_stems else ():
        a, b = _num(m.group(1)), _num(m.group(2))
        unit = _metric_unit(m.group(3))
        if b is not None and a is not None and text.endswith("from ", 0, m.start()):
            add(_Cand(m.start(), m.end(), b, unit, kind="abs"))  # "from 27.1 to 29.4 BLEU": the value after
        elif b is not None and a is not None and a < b:
            add(_Cand(m.start(), m.end(), b, unit, low=a, kind="abs"))
        elif a is not None:
            add(_Cand(m.start(), m.end(), a, unit, kind="abs"))
    for m in finditer_near(_METRIC_BEFORE, text, text, metric_stems, 2, 40) if metric_stems else ():
        n = _num(m.group(2))
        if n is not None:
            # "the FID to 13.75", "BLEU from 27.1 to 29.4": the value reached
            reached = bool(_TO_NUMBER.search(text, m.start(), m.start(2)))
            add(_Cand(m.start(), m.end(), n, _metric_unit(m.group(1)), kind="abs", from_to=reached))
    for m in near(("percent", "per cent"), 12, 2, _WORD_PCT) if "percent" in words or "cent" in words else ():
        n = _num(m.group(1))
        if n is not None:
            add(_Cand(m.start(), m.end(), n, "%"))
    for m in (
        near(("third", "quarter", "fourth", "fifth"), 8, 40, _FRACTION)
        if not words.isdisjoint(_FRACTION_TOKENS)
        else ()
    ):
        n, d = _num(m.group(1)), _FRACTIONS[m.group(2).lower()]
        if n is not None and n < d:
            add(_Cand(m.start(), m.end(), round(n / d, 3), "ratio", kind="abs"))
    for m in finditer_near(_CORR, text, text, ("r =", "r=", "r\u2009="), 2, 12) if "r" in words else ():
        n = _num(m.group(1))
        if n is not None:
            add(_Cand(m.start(), m.end(), n, "r", kind="abs"))
    time_stems = tuple(w for w in ("minute", "hour", "day", "week", "second") if w in words or w + "s" in words)
    for m in near(time_stems, 40, 8, _WORD_TIME) if time_stems else ():
        w, unit = m.group(2).lower(), m.group(3).lower()
        n = 1.0 if w in ("a", "an") else _num(w)
        if unit == "second":
            if not m.group(0).lower().endswith("seconds") and not m.group("q"):
                continue  # "in a second stage", "one second-order term": the ordinal ("roughly a second" is time)
            unit = "s"
        if n is not None:
            add(_Cand(m.start(2), m.end(), n, unit, kind="abs"))
    for m in near(("context",), 2, 60, _CONTEXT_TOKENS) if "tokens" in words else ():
        n = _num(m.group(1))
        if n is not None and (m.group(2) or n >= 1000):
            add(_Cand(m.start(), m.end(), clean_float(scaled(n, m.group(2))), "tokens", kind="abs"))
    for m in near(("every",), 2, 30, _EVERY) if "every" in words else ():
        n = _num(m.group(1) or m.group(2))
        if n is not None:
            add(_Cand(m.start(1) if m.group(1) else m.start(2), m.end(), n, m.group(3).lower(), kind="aux"))
    for m in near(("zero",), 20, 20, _ZERO) if "zero" in words else ():
        add(_Cand(m.start(1), m.end(), 0.0, _singular(m.group(2)), kind="aux"))
    for m in (
        near(("thousand", "million", "billion", "trillion"), 60, 40, _SCALE_COUNT)
        if not words.isdisjoint(("thousand", "million", "billion", "trillion"))
        else ()
    ):
        for g in (1, 5) if m.group(8) else (1,):  # "9 million nodes and 40 million edges": both counts
            n = _num(m.group(g) or m.group(g + 1))
            if n is not None:
                start = m.start(g) if m.group(g) else m.start(g + 1)
                noun = m.group(g + 3)
                unit = "tokens" if noun.lower() == "tokens" else _singular(noun)  # `tokens` is canonical
                end = m.end(g + 3)
                add(_Cand(start, end, clean_float(scaled(n, m.group(g + 2))), unit, kind="count"))
    return out


# A bare number a change gives: "outperforming the previous best method by 0.28" (rFID, named before it), "reduces
# rejection rates by 0.10-0.22", "average gains of 1.98 and 7.50". Its unit is the score the sentence names before
# it, else "ratio" for a fraction of a rate, else "point"; an integer with no score named is left alone ("by 2").
_BARE_CHANGE = re.compile(
    rf"\b(?:by|(?:gains?|improvements?|increases?|boosts?)\s+of)\s+(?:up\s+to\s+|about\s+|nearly\s+|~\s?)?"
    rf"{NUM_START}({NUM})(?:\s?(?:-|\u2013|--|to)\s?({NUM}))?(?:,?\s+and\s+({NUM}))?"
)
_BARE_LEAD = re.compile(
    r"\b(?:by|(?:gains?|improvements?|increases?|boosts?)\s+of)\s+(?:up\s+to\s+|about\s+|nearly\s+|~\s?)?$"
)
_UNIT_AFTER = re.compile(r"[\d.,]*\s*(?:[xX×%]|\\%|\$|times|fold|percent|per\s?cent|points?|pp\b|[KMBT]\b|-)")
_WORD_AFTER = re.compile(r"\s+([A-Za-z]+)")
_FUNCTION_AFTER = frozenset(
    ("on", "in", "at", "over", "and", "for", "with", "compared", "relative", "across", "when", "while", "from", "to",
     "than", "respectively", "against", "versus", "vs", "per", "as")
)  # fmt: skip
_METRIC_NAME_RE = re.compile(rf"(?<![\w@-])({_METRIC_NAME})(?![\w@-])")


def _bare_change(text: str, m: re.Match[str]) -> list[_Cand]:
    end = m.end()
    if _UNIT_AFTER.match(text, end):
        return []
    w = _WORD_AFTER.match(text, end)
    if w and w.group(1).lower() not in _FUNCTION_AFTER:
        return []  # "by 2 layers": the number has a unit of its own
    dot = max(text.rfind(". ", 0, m.start()), text.rfind("; ", 0, m.start()))
    lo = max(dot + 2, m.start() - 200)
    if m.group(0).startswith("by") and not _CHANGE_VERB.search(text, max(lo, m.start() - 80), m.start()):
        return []
    a, b, c = _num(m.group(1)), _num(m.group(2)), _num(m.group(3))
    if a is None:
        return []
    n, low = (b, a) if b is not None and a < b else (a, None)
    names = list(_METRIC_NAME_RE.finditer(text, lo, m.start()))
    if names:
        unit = _metric_unit(names[-1].group(1))
    elif "." not in m.group(1):
        return []  # an integer, and no score named: "by 2" may count anything
    elif n < 1 and "rate" in text[max(lo, m.start() - 60) : m.start()].lower():
        unit = "ratio"
    else:
        unit = "point"
    if c is None:
        return [_Cand(m.start(1), end, n, unit, low=low, kind="abs")]
    # "gains of 1.98 and 7.50": two results, not a range
    return [_Cand(m.start(1), m.end(1), a, unit, kind="abs"), _Cand(m.start(3), end, c, unit, kind="abs")]


def _metric_unit(name: str) -> str:
    """'CW-SSIM' -> 'cw-ssim', 'Recall@10' -> 'recall@10', 'PPL' -> 'perplexity'."""
    low = name.lower()
    if low.startswith("inception"):
        return "inception score"
    if low.startswith("fr") and low.endswith("distance"):
        return "fid"  # Frechet Inception Distance
    if low.startswith("bit"):
        return "bpc"  # bits per character
    if low.startswith("bleu-"):
        return "bleu"  # BLEU-4 is the usual BLEU
    return "perplexity" if low == "ppl" else low


def _singular(word: str) -> str:
    w = word.lower()
    if w.endswith("ies"):
        return w[:-3] + "y"
    return w[:-1] if w.endswith("s") and not w.endswith("ss") else w


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Keep the longest of overlapping candidates, in text order."""
    cands.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[_Cand] = []
    for c in cands:
        if kept and c.start < kept[-1].end:
            if c.end - c.start > kept[-1].end - kept[-1].start and c.start == kept[-1].start:
                kept[-1] = c
            continue
        kept.append(c)
    return kept


# --- the public function ------------------------------------------------------------------------------


def extract_claims(
    text: str,
    title: str = "",
    spans: list[tuple[int, int]] | None = None,
    first_method: int | None | bool = False,
    background: list[tuple[int, int]] | None = None,
    words: set[str] | frozenset[str] | None = None,
) -> list[Claim]:
    """Every quantitative result `text` reports about its own work, in order. Never raises on strings.

    `spans` (sentence offsets), `first_method` (index of the method sentence), `background` (the spans
    of scene-setting sentences, from `background_spans`) and `words` (the set of `tags.tokens(text)`) may
    be passed in by a caller that has them.

    The work is linear in the length of `text` and the number of candidates: every candidate looks at a
    window of at most `WINDOW` characters around itself, and per-sentence facts (a result verb, a sentence
    baseline) are computed once per sentence."""
    if not text or not _has_digit(text) and not _has_word_forms(text):
        return []
    if spans is None:
        spans = sentence_spans(text)
    sents = [text[s:e] for s, e in spans]
    if first_method is False:
        first_method = method_index(sents)
    name = title_name(title)
    urls = [(m.start(), m.end()) for m in finditer_near(_URL, text, text, _URL_STEMS, 80, 200)]
    url_starts = [u[0] for u in urls]

    if words is None:
        words = set(tokens(text))
    cands = []
    for c in _select(_candidates(text, words)):
        k = bisect_right(url_starts, c.start) - 1
        if k < 0 or not urls[k][0] <= c.start < urls[k][1]:
            cands.append(c)
    starts = [s for s, _ in spans]
    background_set = set(background) if background is not None else None
    result_cue: dict[int, bool] = {}
    baseline_sentence: dict[int, bool] = {}
    items: list[_Item] = []
    for n, c in enumerate(cands):
        si = bisect_right(starts, c.start) - 1
        if si < 0 or not spans[si][0] <= c.start < spans[si][1]:
            continue
        s_start, s_end = spans[si]
        if (
            (spans[si] in background_set)
            if background_set is not None
            else _is_background(sents[si], si, first_method, name)
        ):
            continue
        if c.kind != "count" and _is_setting(text, c, s_start):
            continue
        if si not in baseline_sentence:
            baseline_sentence[si] = _a_baselines_sentence(sents, si, name)
        if baseline_sentence[si]:
            continue
        if c.kind == "abs":
            if si not in result_cue:
                result_cue[si] = bool(_RESULT_CUE.search(sents[si]))
            if not result_cue[si]:
                continue
        nxt = cands[n + 1].start if n + 1 < len(cands) else s_end
        fields, a, b = _describe(text, c, s_start, s_end, min(nxt, s_end))
        items.append(_Item(c, si, fields, a, b))
    # "aux" claims ("every three months", "zero errors") only count beside another claim in their sentence.
    with_other = {it.si for it in items if it.c.kind != "aux"}
    items = [it for it in items if it.c.kind != "aux" or it.si in with_other]
    _inherit(text, items)
    _pair_lists(text, spans, items)
    _share_baselines(items)
    return [Claim(**it.f) for it in items]


# A number that sets the experiment up rather than reports its outcome: a level the method is run at ("with
# a sparsity of 90%, ...", "for pruning rates above 80%") or a share of the data used ("on 100% of the
# dataset"; "only 20% of the training examples" is a result: how little data was needed).
_SETTING_NOUN_TAIL = re.compile(
    r"\b(?:sparsit(?:y|ies)|densit(?:y|ies)|(?:pruning|dropout|masking|compression|noise)\s+(?:rates?|ratios?|levels?)|"
    r"bit[- ]?widths?|batch\s+sizes?|learning\s+rates?|thresholds?|noise\s+levels?|temperatures?)\s+(?:levels?\s+)?"
    r"(?:of\s+|above\s+|over\s+|beyond\s+|below\s+|under\s+|at\s+|up\s+to\s+|exceeding\s+|as\s+high\s+as\s+|=\s*)?"
    r"(?:about\s+|around\s+|approximately\s+)?$",
    re.I,
)
_SETTING_PREP = re.compile(r"\b(?:at|under|with|for|when|given|using)\b", re.I)
_DATA_SHARE_AFTER = re.compile(
    r"\s+of\s+(?:the\s+|all\s+(?:the\s+)?)?(?:[\w-]+\s+){0,2}?(?:data|datasets?|examples|samples|labels|"
    r"annotations|training\s+set|corpus)\b",
    re.I,
)
_SCARCE_BEFORE = re.compile(
    r"\b(?:only|just|merely|mere|less\s+than|fewer\s+than|as\s+(?:few|little)\s+as|under|at\s+most)\s+$", re.I
)
_CONDITION_BEFORE = re.compile(
    r"\b(?:when|whenever|if|once|provided(?:\s+that)?|as\s+long\s+as)\s+(?:only\s+|just\s+|about\s+|at\s+least\s+)?$",
    re.I,
)
_PRIOR_VALUE_BEFORE = re.compile(
    r"\b(?:the\s+)?(?:best|previous(?:ly)?|prior|published|reported)\b(?:(?!\bby\b)[^.;,]){0,40}?\b(?:of|at|is|was)\s+"
    r"(?:only\s+|about\s+)?$",
    re.I,
)


_OTHERS_CLAUSE = re.compile(
    r"\b(?:whereas|while|but)\s+(?:the\s+|most\s+|many\s+|all\s+)?(?:conventional|existing|prior|previous|standard|"
    r"traditional|baseline|current|competing|other)\b"
)


def _others_clause(low: str, text: str, c: _Cand) -> bool:
    """Does `low` (the lower-case text before `c`) end in a clause about other systems, ours named neither
    there nor right after the number ("... run 3x slower than ours" is our result)?"""
    last = None
    for m in _OTHERS_CLAUSE.finditer(low):
        last = m
    if last is None or _WE_OUR.search(low, last.end()) or any(ch in low[last.end() :] for ch in ".;"):
        return False
    after = text[c.end : c.end + 60]
    stop = min((i for i in (after.find(","), after.find(";"), after.find(". ")) if i >= 0), default=len(after))
    return not _WE_OUR.search(after, 0, stop)


# "For the same parameter budget, DenseNet-BC has an error rate of 3.46%": a sentence whose subject is a model the
# abstract named before as what it builds on or compares with, and that says nothing of ours
_LEAD_PHRASE = re.compile(r"(?:(?:for|on|in|with|at|under)\b[^,]{0,60},\s*)?(?:the\s+)?", re.I)
_SUBJECT_NAME = re.compile(
    r"([A-Z][\w.+-]*[A-Z0-9][\w.+-]*)\s+(?:has|have|had|achieves?|achieved|reaches|reached|gets|obtains?|scores?)\b"
)
_OURS_WORDS = re.compile(r"\b(?:we|our|ours|proposed|this\s+(?:method|approach|model|framework|system))\b", re.I)


def _a_baselines_sentence(sents: list[str], si: int, name: str | None) -> bool:
    sent = sents[si]
    lead = _LEAD_PHRASE.match(sent)
    m = _SUBJECT_NAME.match(sent, lead.end() if lead else 0)
    if not m or _OURS_WORDS.search(sent) or (name and m.group(1) == name):
        return False
    base = m.group(1)
    before = " ".join(sents[:si])
    # named before as a baseline or a base ("than X", "over X", "of X"), never as what the paper makes
    compared = False
    at = before.find(base)
    while at >= 0:
        end = at + len(base)
        if end == len(before) or not before[end].isalnum():
            lead_words = before[max(0, at - 60) : at].lower().split()
            if lead_words and lead_words[-1] in _COMPARING:
                compared = True  # "than X", "a reconfiguration of X"
            elif any(w.startswith(_MAKING) for w in lead_words[-4:]):
                return False  # "we propose X", "we call it X": ours
        at = before.find(base, at + 1)
    return compared


_MAKING = ("propos", "present", "introduc", "call", "name", "dub", "term")
_COMPARING = frozenset(("than", "over", "of", "to", "with", "versus", "vs", "vs.", "baseline", "baselines", "like",
                        "including"))  # fmt: skip


def _first_digit(text: str, c: _Cand) -> int:
    """Where the number of `c` starts: "F1 score of 81.8" begins with the metric's name."""
    m = _FREE_DIGIT.search(text, c.start, c.end)
    return m.start() if m else c.start


_FREE_DIGIT = re.compile(r"(?<![A-Za-z\d])\d")  # not the 1 of "F1"
_OUTCOME_VERB = re.compile(
    r"\b(?:achiev|obtain|reach|attain|yield|deliver|show|report|get|gets|gives?|results?\s+in|lead|leads|led)\w*", re.I
)


def _is_setting(text: str, c: _Cand, s_start: int) -> bool:
    lo = max(s_start, c.start - 90)
    low = text[lo : c.start].lower()
    near = low[-24:]
    if ("when" in near or "if " in near or "once" in near or "provided" in near or "as long" in near) and (
        _CONDITION_BEFORE.search(near)
    ):
        return True  # "when 95% of in-distribution samples are detected", "even if only 10% of the synapses"
    if ("best" in low or "previous" in low or "prior" in low or "published" in low or "reported" in low) and (
        _PRIOR_VALUE_BEFORE.search(text, lo, _first_digit(text, c))
    ):
        return True  # "better than the best published F1 score of 81.8": the baseline's own value
    wide = text[max(s_start, c.start - 160) : c.start].lower()
    if ("whereas" in wide or "while" in wide or "but " in wide) and _others_clause(wide, text, c):
        return True  # "..., whereas the conventional models require 8 to 32 bits/weight": theirs, not ours
    if c.unit not in ("%", "x", "pp"):
        return False
    tail = low[-48:]
    m = (
        _SETTING_NOUN_TAIL.search(text, max(lo, c.start - 48), c.start)
        if "rat" in tail
        or "sit" in tail
        or "level" in tail
        or "width" in tail
        or "batch" in tail
        or "thresh" in tail
        or "temperat" in tail
        else None
    )
    if m:
        # the level is set by a preposition before it ("with a sparsity of 90%"), not reported by a verb ("for
        # VGG-16, PFA achieves a compression rate of 8x")
        head = text[max(lo, m.start() - 60) : m.start()]
        cut = max(head.rfind("."), head.rfind(";"), head.rfind(":"))
        head = head[cut + 1 :]
        preps = list(_SETTING_PREP.finditer(head))
        if preps and not _OUTCOME_VERB.search(head, preps[0].start()):
            return True
    if c.unit == "%" and _DATA_SHARE_AFTER.match(text, c.end, c.end + 60):
        return not _SCARCE_BEFORE.search(text, max(s_start, c.start - 24), c.start)
    return False


_WORDY = (
    "magnitude",
    "doubl",
    "tripl",
    "quadrupl",
    "halv",
    "half",
    "fold",
    "times",
    "every",
    "zero",
    "thousand",
    "million",
    "billion",
    "trillion",
    "percent",
    "per cent",
    "third",
    "quarter",
    "fourth",
    "fifth",
    "minute",
    "hour",
    "day",
    "week",
    "second",
    "twice",
    "thrice",
)


_URL_STEMS = ("http", "www.", ".com/", ".org/", ".io/", ".ai/", ".net/")


def _has_digit(text: str) -> bool:
    """`_DIGIT.search(text)`, by a substring test per ASCII digit (each a fast scan) on ASCII text."""
    return any(d in text for d in "0123456789") if text.isascii() else _DIGIT.search(text) is not None


def _has_word_forms(text: str) -> bool:
    lower = text.lower()
    return any(w in lower for w in _WORDY)


_WE_OUR = re.compile(r"\b(?:we|our|ours)\b", re.I)
_AND = re.compile(r"\band\b")
_BY_END = re.compile(r"\bby\s+$")
_ARTICLE_START = re.compile(r"^(?:the|a|an)\s+", re.I)


def background_spans(
    text: str, spans: list[tuple[int, int]], first_method: int | None, title: str = ""
) -> list[tuple[int, int]]:
    """The sentences that only set the scene or speak of prior work (see `_is_background`)."""
    name = title_name(title)
    return [(s, e) for i, (s, e) in enumerate(spans) if _is_background(text[s:e], i, first_method, name)]


def _is_background(sent: str, index: int, first_method: int | None, name: str | None) -> bool:
    """A sentence that sets the scene: it comes before the paper says what it does and is not about it."""
    low = sent.lower()
    if (
        (
            "prior" in low
            or "previous" in low
            or "earlier" in low
            or "existing" in low
            or "recent" in low
            or "baseline" in low
        )
        and _prior(sent, low)
        and not _WE_OUR.search(sent)
        and not (name and name.lower() in low)
    ):
        return True
    boundary = first_method if first_method is not None else 1
    if index >= boundary:
        return False
    if name and name.lower() in low:
        return False
    # Before the method sentence, "we" alone is motivation ("we observe that existing systems waste 40%");
    # "our", the system's name or a results word mark the paper's own work.
    if not _OWN_WORDS.isdisjoint(low.replace(",", " ").replace(".", " ").split()):
        return False
    return not (
        "this paper" in low or "this work" in low or "this study" in low or "experiment" in low or "evaluation" in low
    )


# How far around its number a claim looks (for its span, qualifier, baseline and metric): a bound on the
# work per claim, so that an abstract with thousands of numbers in one sentence stays linear.
WINDOW = 240


def _describe(text: str, c: _Cand, s_start: int, s_end: int, next_claim: int | None = None) -> tuple[dict, int, int]:
    """The fields of the claim for candidate `c` in the sentence [s_start, s_end), with where its span starts and ends;
    `next_claim` is where the next candidate starts, so that "X than A, and Y than B" gives each number its
    own baseline."""
    lo, hi = max(s_start, c.start - WINDOW), min(s_end, c.end + WINDOW)
    sent_before = text[lo : c.start]
    start = c.start
    qualifier = None
    q = _qualifier_before(sent_before)
    if q:
        qualifier, length = q
        start = c.start - length
    after = text[c.end : hi]
    if _TRAILING_AVG.match(after):
        qualifier = qualifier or "on average"

    # the span: the number with what it measures, up to the end of its clause
    m = _CLAUSE_END.search(after)
    tail = after[: m.start()] if m else after
    pw = _PREP_WORD_END.search(tail) if m and m.group(0) == " and" else None
    if pw and _same_shape(pw.group(1), after[m.end() : m.end() + 40].split(" ", 2)[1:2]):
        # "for popular and practical use cases": the "and" joins two words, not two clauses
        m2 = _CLAUSE_END.search(after, m.end())
        tail = after[: m2.start()] if m2 else after
    if len(tail) > 90:
        cut = tail.rfind(" ", 0, 90)
        tail = tail[: cut if cut > 0 else 90]
    end = c.end + len(tail.rstrip())
    if _BY_END.search(text, max(s_start, start - 12), start) or (
        text[start : start + 2] == "by" and text[start + 2 : start + 3].isspace()
    ):
        floor = max(s_start, start - WINDOW)
        lo = _clause_start(text, floor, start)
        if (lo > floor or floor == s_start) and start - lo <= 80:
            start = lo  # "IPW improved by 5.3x": the clause that says what improved, when it is short
    while start < end and text[start].isspace():
        start += 1
    while end > c.end and text[end - 1] in " \\":  # never end on a dangling LaTeX backslash
        end -= 1
    if text.count("(", start, end) > text.count(")", start, end) and text.startswith(")", end):
        end += 1  # "memory saving (1.7-4.5x)": close the bracket the span opened
    gap = _LIST_GAP.match(text, c.end, hi)
    in_list = gap is not None and text[gap.end() : gap.end() + 1].isdigit()
    if _bare(text[start:end]) and not in_list:
        # "5.3x", "up to 3.7x": reach back for the words that say what improved ("IPW improved 5.3x")
        start = _reach_back(text, max(s_start, start - 100), start)
    span = text[start:end]

    own_end = min(next_claim if next_claim is not None else s_end, hi)
    baseline = _baseline(text[c.end : own_end])
    if baseline is None and own_end < s_end:
        # a trailing "compared to X" covers every claim
        m = _SENTENCE_BASELINE.search(text, own_end, min(s_end, own_end + WINDOW))
        if m:
            baseline = _clean_baseline(m.group("b"))
    if baseline is None:
        low_before = sent_before.lower()
        if "outperform" in low_before or "surpass" in low_before or "beat" in low_before or "exceed" in low_before:
            baseline = _baseline_before(sent_before)
    if (
        baseline is None
        and c.start - s_start < WINDOW
        and text[s_start : s_start + 2].lower() in _LEADING_BASELINE_START
    ):
        m = _LEADING_BASELINE.match(text, s_start, c.start)  # "Compared to vLLM, X achieves ..."
        if m:
            baseline = _clean_baseline(m.group("b"))
    metric = _unit_metric(c.unit) or _metric(text, c, s_start, s_end)
    change_dir = None
    if metric is None and c.unit in ("x", "%"):
        metric, change_dir = _object_of_change(text, c, s_start)
    head = _CHANGE_IN.match(text, c.end, hi)
    if head and c.unit in ("x", "%", "pp"):
        # "an 85% average reduction in training time": what changed is named right after the change
        metric = _metric_of_phrase(head.group(1)) or metric
    if c.unit == "ms":
        metric = "latency"  # "completions within 16 ms": a time this short is the time one request or step takes
    elif c.unit in _TIME_UNITS:
        metric = "latency" if metric == "latency" else "time"
    elif c.unit in _BYTE_UNITS:
        metric = "communication" if metric == "communication" else "memory"
    if c.unit in ("month", "year"):
        metric = "time"
    if (
        c.kind in ("count", "aux")
        or c.from_to
        or c.unit == "tokens"
        or (c.unit == "x" and metric in _SPEED_METRICS and metric != "throughput")
    ):
        clause, direction = start, None  # the kind does not depend on a direction word (a faster or
        #                                  lower-latency multiplier is a speedup whatever the verb)
    else:
        clause = _clause_start(text, max(s_start, c.start - 100), start, _DIRECTION_SEPS)
        direction = _direction(text, c, clause, max(end, c.end)) or change_dir
        if baseline and direction in ("up", "down") and _OWN_BASELINE.match(baseline):
            # "the conventional model requires 4x more storage than our proposed model": ours needs 4x less
            direction, baseline = ("down" if direction == "up" else "up"), None
    kind = _kind(text, c, metric, clause, max(end, c.end), direction)
    if kind in ("gain", "reduction") and c.unit != "x" and _reached_level(text, c, clause):
        kind = "absolute"  # "improving the Inception Score to 76.08", "drops down to 0.10": the level reached
    if kind == "gain" and metric == "accuracy" and _has_error_word(text, clause, max(end, c.end)):
        kind = "reduction"  # "improves the validation error by 0.9%": an error made smaller
    if c.unit == "x" and metric in _WEAK_X_METRICS and direction == "fast":
        metric, kind = "speed", "speedup"  # "accelerates requests by 1.5x": the requests are not what grew
    if metric == "throughput" and c.unit == "%" and kind == "absolute":
        metric = "utilization"  # "GPU throughput of 38%": a share of the peak
    if metric is None and not (c.unit == "%" and _KEPT.search(text, c.end, min(s_end, c.end + 60))):
        metric = _FALLBACK_METRIC.get(c.unit)  # not "accuracy" for "90% fewer features with little accuracy loss"
    return (
        {
            "text": span,
            "number": c.number,
            "low": c.low,
            "unit": c.unit,
            "qualifier": qualifier,
            "metric": metric,
            "baseline": baseline,
            "kind": kind,
        },
        start,
        end,
    )


_ERROR_WORD = re.compile(
    r"(?<!no )(?<!without )(?<!negligible )\b(?:error|errors|error\s+rates?|loss|perplexity|WER|CER)\b(?!\s+(?:reduction|rate\s+reduction))"
    r"(?![^.;]{0,30}\b(?:higher|increase\w*|more)\b)"
)


def _has_error_word(text: str, lo: int, hi: int) -> bool:
    part = text[lo:hi]
    if "rror" not in part and "loss" not in part and "erplex" not in part and "ER" not in part:
        return False
    return _ERROR_WORD.search(part) is not None


_CHANGE_IN = re.compile(
    r"\s*(?:average\s+|overall\s+|relative\s+|absolute\s+|total\s+)?(?:reduction|improvement|increase|decrease|"
    r"gain|speed-?up|saving|boost|drop|decline|lift)s?\s+(?:in|of|on)\s+(?:the\s+|terms\s+of\s+)?"
    r"([A-Za-z][^,;.()\d]{2,40}?)(?=\s+(?:while|with|without|and|or|but|compared|over|than|for|on|at|to|by|when|"
    r"from|under|across|relative|versus|vs)\b|\s*[,;.()]|\s*$)",
    re.I,
)
_LEADING_BASELINE_START = frozenset(("co", "in", "re", "ag"))
_LEADING_BASELINE = re.compile(
    r"(?:compared\s+(?:to|with)|in\s+comparison\s+(?:to|with)|relative\s+to|against)\s+"
    r"(?:the\s+)?(?P<b>[^,;:()]{2,80}?)\s*,",
    re.I,
)
# "to" right before the number, after a word that does not make it a bound or a comparison ("up to")
_LEVEL_TO = re.compile(
    r"(?<![\w-])(?!(?:up|close|compared|relative|equal|similar|comparable|due|leads?|led|amounts?|contributes?|"
    r"translates?|according)\s)[a-z]+\s+to\s+(?:about\s+|around\s+|roughly\s+|~\s?|only\s+|just\s+)?$",
    re.I,
)


def _reached_level(text: str, c: _Cand, clause: int) -> bool:
    m = _LEVEL_TO.search(text, max(clause, c.start - 40), c.start)
    if not m:
        return False
    word = m.group(0).split(None, 1)[0].lower()
    return word == "down" or _CHANGE_VERB.search(text, clause, m.end()) is not None


_OWN_BASELINE = re.compile(r"(?:our|ours|the\s+proposed|this)\b", re.I)
# a verb of change: what follows it is what changed ("reduce the memory requirements ... by 60x"), and a number
# after it with "by" is by how much
_CHANGE_VERB = re.compile(
    r"\b(?:reduc|improv|increas|decreas|lower|cut|boost|shrink|compress|accelerat|outperform|surpass|beat|exceed|"
    r"rais|gain)\w*\s+",
    re.I,
)


def _object_of_change(text: str, c: _Cand, s_start: int) -> tuple[str | None, str | None]:
    """ "reduce the memory requirements both in the convolutional and fully connected layers by up to 60x": the
    metric is the object of the change verb, however far back, when the number is its "by" phrase; with the
    verb's direction."""
    if not _BY_BEFORE.search(text, max(s_start, c.start - 24), c.start):
        return None, None
    verb = None
    for m in _CHANGE_VERB.finditer(text, max(s_start, c.start - 200), c.start):
        verb = m  # the last one before the number
    if verb is None or ";" in text[verb.end() : c.start]:
        return None, None
    found = _stems(text[verb.end() : c.start].lower())
    if not found or found[0][0] >= 40:
        return None, None
    return found[0][2], _word_direction(verb.group(0).strip(), "", 0)


_FALLBACK_METRIC = {
    "x": "speed",
    "%": "accuracy",
    "pp": "accuracy",
    "ratio": "accuracy",
    "month": "time",
    "year": "time",
}
_CLAUSE_SEPS = (",", ";", ":", "(", " and ", " that ", " which ", " while ")
# where the words that give a number its direction stop: "2.8x gain with less than 10% tokens"
_DIRECTION_SEPS = _CLAUSE_SEPS + (" with ", " while ", " whereas ")
_PREP_WORD_END = re.compile(r"\b(?:for|of|in|on|to|with|across|between)\s+(\w[\w-]*)$")


def _same_shape(word: str, nxt: list[str]) -> bool:
    """ "popular" and "practical", "1024" and "3072": words of one kind, joined by "and" inside a phrase."""
    if not nxt or not nxt[0]:
        return False
    other = nxt[0]
    if word.isdigit() or other[:1].isdigit():
        return word.isdigit() and other.isdigit()
    return word.islower() and other.islower() and other not in ("and", "the", "a", "an")


_WEAK_X_METRICS = frozenset((None, "workload size", "data", "tokens", "model size", "accuracy"))
_WE_VERB = re.compile(r"(?:we|it|they|this|our\s+\w+)\s+[a-z]+\s+", re.I)
_SPAN_STOP = frozenset(
    (
        "up",
        "to",
        "over",
        "than",
        "about",
        "nearly",
        "almost",
        "average",
        "and",
        "the",
        "only",
        "with",
        "for",
        "by",
        "from",
        "of",
        "on",
        "in",
        "at",
        "more",
        "less",
        "least",
        "most",
        "around",
        "approximately",
        "roughly",
        "just",
        "times",
        "fold",
        "an",
        "additional",
        "respectively",
        "times",
        "further",
        "also",
        "under",
        "below",
        "above",
        "within",
        "percent",
        "compared",
        "as",
        "relative",
        "versus",
        "baseline",
        "baselines",
        "that",
        "those",
        "this",
        "these",
        "when",
        "all",
        "both",
        "each",
        "its",
        "their",
        "our",
    )
)
_ALPHA_WORD = re.compile(r"[A-Za-z][A-Za-z-]{2,}")


def _unit_metric(unit: str) -> str | None:
    if unit in _UNIT_METRIC:
        return _UNIT_METRIC[unit]
    if unit.endswith("s/s"):
        return "throughput"  # images/s, samples/s
    return "accuracy" if unit in _SCORE_UNITS or "@" in unit else None


def _clause_start(text: str, lo: int, start: int, seps: tuple[str, ...] = _CLAUSE_SEPS) -> int:
    """Where the clause holding `start` begins, looking back no further than `lo`."""
    best = lo
    for sep in seps:
        i = text.rfind(sep, lo, start)
        if i >= 0:
            best = max(best, i + len(sep))
    return best


def _bare(span: str) -> bool:
    """A span that is only a number and its qualifier: it does not say what the number measures."""
    return not any(w.lower() not in _SPAN_STOP and not w[0].isupper() for w in _ALPHA_WORD.findall(span))


_OF_END = re.compile(r"\b(?:of|by|(?<!\bup\s)to|at|reach\w*|achiev\w*)\s+$", re.I)  # not "up to": a qualifier


def _reach_back(text: str, lo: int, start: int, force: bool = False) -> int:
    """Move `start` back, clause by clause (no further than `lo`), until the span holds a word that says what
    the number measures; drop a leading "we observe"."""
    new = start
    while new > lo:
        b = _clause_start(text, lo, max(lo, new - 2))  # a separator right before `new` is the one we are at
        while b < start and text[b].isspace():
            b += 1
        new = b if b < new else lo
        if not _bare(text[new:start]):
            break
    if new == lo and lo > 0 and text[lo - 1].isalnum():
        sp = text.find(" ", lo, start)  # never start inside a word
        new = sp + 1 if sp >= 0 else start
    while new < start and not text[new].isalnum():
        new += 1
    m = _WE_VERB.match(text, new, start)
    if m and not _bare(text[m.end() : start]):
        new = m.end()
    return new if force or not _bare(text[new:start]) else start


# Words that say which way a number moved, by what they say: a cost made smaller, something made faster,
# something made larger or better. A qualifier ("less than 10%") is a bound, not a direction.
_RIGHT_AFTER = re.compile(r"\s?(more|less|fewer)\b(?!\s+than)", re.I)
# metrics where lower is better: "improves latency by 30%" is a reduction of it
_LOWER_BETTER = frozenset(
    ("latency", "time", "memory", "cost", "energy", "communication", "compute", "tokens", "data", "model size")
)
_SIZE_AFTER = re.compile(r"\s*(?:the\s+size|larger|bigger|more\s+parameters)\b", re.I)
_SPEED_METRICS = frozenset(("latency", "time", "speed", "throughput"))
_SCALE_METRICS = frozenset(("context length", "workload size"))


def _direction(text: str, c: _Cand, lo: int, hi: int) -> str | None:
    """ "down", "fast" or "up": the direction word nearest the number within [lo, hi), else None."""
    if c.start > 0 and text[c.start - 1] == "+" or text[max(0, c.start - 2) : c.start] == "+ ":
        return "up"
    m = _RIGHT_AFTER.match(text, c.end, hi)
    if m:
        return "up" if m.group(1).lower() == "more" else "down"  # "73.1% less memory", "2x more requests"
    # the nearest direction word before the number and after it, by walking out from it word by word
    before, before_d = None, None
    d = 0
    for w in reversed(text[lo : c.start].split(" ")):
        core = w.strip(_PUNCT)
        name = _word_direction(core, "", 0) if w else None
        if name is not None:
            before, before_d = name, d
            break
        if core[:5].lower() in _LEVEL_VERBS:
            break  # "outperforms the baseline, achieving 100% success rate": a level reached, not a change
        d += len(w) + 1
    after, after_d = None, None
    d = 0
    words = text[c.end : hi].split(" ")
    for k, w in enumerate(words):
        core = w.strip(_PUNCT)
        name = _word_direction(core, " " + words[k + 1] if k + 1 < len(words) else "", 0) if core else None
        if name is not None:
            after, after_d = name, d + (len(w) - len(w.lstrip(_PUNCT)))
            break
        d += len(w) + 1
        if before_d is not None and d > before_d:
            break
    if after is None or (before is not None and before_d <= after_d):
        return before
    return after


# verbs of a level reached: a direction word before them is not the number's
_LEVEL_VERBS = frozenset(("achie", "reach", "attai", "obtai"))

# The direction words, by what they say (a dict and a few prefixes on the window's words: a regex alternation
# of them took ~70 us per window).
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")
_PUNCT = ",.;:()[]{}\"'!?/\\$~"
_DIR_EXACT = {
    **dict.fromkeys(
        (
            "lower",
            "lowers",
            "lowered",
            "lowering",
            "save",
            "saves",
            "saved",
            "saving",
            "savings",
            "cut",
            "cuts",
            "cutting",
            "smaller",
            "cheaper",
            "shorter",
            "worse",
            "drop",
            "drops",
            "dropped",
        ),
        "down",
    ),
    **dict.fromkeys(("faster", "quicker", "sooner", "speedup", "speedups", "speed-up", "speed-ups"), "fast"),
    **dict.fromkeys(
        (
            "higher",
            "better",
            "gain",
            "gains",
            "larger",
            "longer",
            "greater",
            "raise",
            "raises",
            "raised",
            "lift",
            "lifts",
            "beat",
            "beats",
            "advantage",
            "superior",
        ),
        "up",
    ),
}
_DIR_PREFIX = (
    ("reduc", "down"),
    ("decreas", "down"),
    ("shrink", "down"),
    ("minimi", "down"),
    ("compress", "down"),
    ("eliminat", "down"),
    ("collaps", "down"),
    ("declin", "down"),
    ("accelerat", "fast"),
    ("improv", "up"),
    ("increas", "up"),
    ("boost", "up"),
    ("outperform", "up"),
    ("surpass", "up"),
    ("exceed", "up"),
    ("doubl", "up"),
    ("tripl", "up"),
    ("extend", "up"),
)
_DIR_FIRST = frozenset(p[:3] for p, _ in _DIR_PREFIX)
_DIR_KEYS = _DIR_FIRST | {w[:3] for w in _DIR_EXACT} | {"spe"}


def _word_direction(word: str, text: str, end: int) -> str | None:
    w = word.lower()
    if w[:3] not in _DIR_KEYS and "-" not in w:
        return None  # most words: one set lookup
    name = _DIR_EXACT.get(w)
    if name is not None:
        return name
    if w[:3] in _DIR_FIRST:
        for prefix, name in _DIR_PREFIX:
            if w.startswith(prefix):
                return name
    if (w == "speed" or w == "speeds") and text.startswith(" up", end):
        return "fast"
    if "-" in w:  # "lower-latency", "faster-than-light"
        return _word_direction(w.split("-", 1)[0], "", 0) if w[0] != "-" else None
    return None


def _kind(text: str, c: _Cand, metric: str | None, lo: int, hi: int, direction: str | bool | None = False) -> str:
    """What the number is: speedup, reduction, gain, scale or absolute (see docs/claims.md)."""
    if c.kind == "count" or c.unit == "tokens":
        return "scale"
    if metric in _SCALE_METRICS:
        # "reduce the number of training steps needed by 10-30%" is not a size reached
        d = _direction(text, c, lo, hi) if direction is False else direction
        return "reduction" if d == "down" else "scale"
    if c.kind == "aux" or c.from_to:
        return "absolute"
    d = _direction(text, c, lo, hi) if direction is False else direction
    if c.unit == "x":
        if metric in _SPEED_METRICS:
            return "reduction" if d == "down" and metric == "throughput" else "speedup"
        if d == "down":
            return "reduction"
        if metric == "model size" and d is None:
            # "34x pruning rate", "compression factor of 3.7x" make a model smaller; "5x the size" is a size
            return "scale" if _SIZE_AFTER.match(text, c.end) else "reduction"
        if d == "fast" or metric is None:
            return "speedup"
        return "gain"
    if d is None:
        return "absolute"
    if d == "fast":
        return "speedup"
    if d == "down":
        return "reduction"
    return "reduction" if metric in _LOWER_BETTER else "gain"


# --- lists: "A and B by X and Y, respectively"; one baseline named for several numbers -------------------

_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*)(?:an?\s+additional\s+|\+\s?|~\s?)?")
_RESPECTIVELY = re.compile(r"[^.;]{0,120}?\brespectively\b", re.I)
_ITEM_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*/\s*")
_ITEM_LEAD = re.compile(
    r"^(?:(?:less|lower|fewer|higher|more|better|greater|reduc\w*|improv\w*|gains?|savings?)"
    r"(?:\s+(?:in|of|on))?\s+)+",
    re.I,
)
_ITEM_TRAIL = re.compile(r"\s*(?:by|of|to|at|is|are|were|was|with|:|reach\w*|achiev\w*|improv\w*|reduc\w*)\s*$", re.I)
_BARE_NUMBER = re.compile(r"(?<![\w.])\d[\d.,]*(?![\w%\\])")
_ITEM_PREP = re.compile(r".*\b(?:in|of|on|for|across|at|with|both)\s+", re.I | re.S)


def _metric_of_phrase(phrase: str) -> str | None:
    """The vocabulary metric a short noun phrase names ("95 percentile latency" -> latency), else None."""
    low = phrase.lower()
    best, best_i = None, None
    for i, _, name in _stems(low):
        best, best_i = name, i  # the head noun is the last metric word: "communication cost"
    if best == "efficiency" and best_i is not None and low.endswith(_SCALING_BEFORE, 0, best_i):
        return "scaling efficiency"
    if best in ("cost", "efficiency", "utilization") and best_i is not None:
        head = _metric_of_phrase(phrase[:best_i]) if best_i > 2 else None
        if head in ("communication", "memory", "energy", "time", "latency") and best == "cost":
            return head
    return best


@dataclass
class _Item:
    c: _Cand
    si: int  # sentence index
    f: dict  # the claim's fields (a Claim is made once, at the end: pydantic copies cost microseconds)
    start: int  # where claim.text starts and ends in the abstract
    end: int


def _groups(text: str, items: list[_Item]) -> list[list[int]]:
    """Runs of candidates in one sentence joined only by commas and "and": "77.1% and 73.1%", "1.98 and 7.50"."""
    groups, run = [], [0] if items else []
    for k in range(1, len(items)):
        prev, cur = items[k - 1], items[k]
        joined = (
            cur.si == prev.si
            and (prev.c.unit == cur.c.unit or {prev.c.unit, cur.c.unit} == {"%", "pp"})  # "0.4%, 1.4% points"
            and cur.c.start - prev.c.end < 24
            and _LIST_GAP.fullmatch(text, prev.c.end, cur.c.start) is not None
        )
        if joined:
            run.append(k)
        else:
            if len(run) > 1:
                groups.append(run)
            run = [k]
    if len(run) > 1:
        groups.append(run)
    return groups


def _pair_lists(text: str, spans: list[tuple[int, int]], items: list[_Item]) -> None:
    """Give every number of a coordinated list the same span (the list with what it measures), and pair the
    numbers of a "respectively" list with the metrics listed beside them, in order."""
    for group in _groups(text, items):
        first, last = items[group[0]], items[group[-1]]
        s_start, s_end = spans[first.si]
        n = len(group)
        start, end = first.start, max(last.end, last.c.end)
        resp = _RESPECTIVELY.match(text, last.c.end, min(s_end, last.c.end + 130))
        metrics: list[str | None] = []
        if resp:
            end = max(end, resp.end())
            after = text[last.c.end : resp.end() - len("respectively")].strip(" ,")
            parts = [p for p in _ITEM_SPLIT.split(_ITEM_LEAD.sub("", after)) if p.strip()]
            if len(parts) == n:
                metrics = [_metric_of_phrase(p) for p in parts]
            else:
                before_lo = max(s_start, first.c.start - 160)
                before = _ITEM_TRAIL.sub("", text[before_lo : first.c.start])
                seps = list(_ITEM_SPLIT.finditer(before))
                parts = _ITEM_SPLIT.split(before)
                # a list "A, B and C" right before the numbers: the last join is "and"
                if len(parts) >= n and "and" in seps[-1].group(0):
                    parts = parts[-n:]
                    lead = _ITEM_PREP.match(parts[0])
                    parts[0] = parts[0][lead.end() :] if lead else parts[0]
                    if all(p.strip() and len(p.split()) <= 5 and not _BARE_NUMBER.search(p) for p in parts):
                        metrics = [_metric_of_phrase(p) for p in parts]
                        at = text.rfind(parts[0], before_lo, first.c.start)
                        if all(metrics) and at >= 0:
                            start = min(start, at)
        if _bare(text[start:end]) or _OF_END.search(text, max(s_start, start - 16), start):
            # "strong scaling efficiencies of 89% and 87%": the list with what it measures, never reaching back
            # over the number of the claim before it ("8x, 3x, and 1.4x with an accuracy gain of 0.4%, ...")
            before = items[group[0] - 1] if group[0] > 0 and items[group[0] - 1].si == first.si else None
            floor = max(s_start, start - 100, before.c.end if before else 0)
            start = _reach_back(text, floor, start, force=True)
        span = text[start:end].strip()
        paired = len(metrics) == n and all(metrics)
        # "77.1% and 73.1% less memory": the word after the last number gives every number its direction
        right = _RIGHT_AFTER.match(text, last.c.end, end)
        shared = ("up" if right.group(1).lower() == "more" else "down") if right else False
        if not paired and not shared:
            # "a compression rate of 8x, 3x, and 1.4x with an accuracy gain": numbers listed together measure
            # one thing, named before the list ("of") or after it ("5.8x and 10x reductions in ...")
            lead = items[group[0]] if _OF_END.search(text, max(s_start, first.c.start - 16), first.c.start) else last
            for k in group:
                items[k].f["metric"], items[k].f["kind"] = lead.f["metric"], lead.f["kind"]
        for pos, k in enumerate(group):
            it = items[k]
            it.f["text"] = span
            if paired and metrics[pos]:
                it.f["metric"] = metrics[pos]
            if (paired and metrics[pos]) or shared:
                it.f["kind"] = _kind(text, it.c, it.f["metric"], max(s_start, start - 60), end, shared)
            it.start, it.end = start, end


def _inherit(text: str, items: list[_Item]) -> None:
    """A number that names nothing of its own continues the one before it in its sentence: "by up to 10x over
    A and up to 5x over B", "accelerations of 65% ..., an additional 12.6% ...", "1.67x (average: 1.41x)"
    take the first one's metric and kind."""
    for k in range(1, len(items)):
        prev, cur = items[k - 1], items[k]
        if cur.si != prev.si or cur.c.unit != prev.c.unit or cur.c.start - prev.c.end > 120 or cur.c.kind == "aux":
            continue
        gap = text[prev.c.end : cur.c.start]
        own = text[cur.c.end : cur.end]
        if (
            cur.f["kind"] == "absolute"
            and prev.f["kind"] in ("speedup", "reduction", "gain")
            and _BY_BEFORE.search(text, max(0, cur.c.start - 24), cur.c.start)
        ):
            # "reduces inference time by 13.81% and cloud costs by up to 84.55%": the verb covers both
            if prev.f["kind"] == "speedup":
                cur.f["kind"] = "speedup"
            else:
                cur.f["kind"] = (
                    "reduction" if prev.f["kind"] == "reduction" or cur.f["metric"] in _LOWER_BETTER else "gain"
                )
        if cur.f["metric"] == prev.f["metric"] and cur.f["kind"] == prev.f["kind"] and "(" not in gap:
            continue  # nothing to take from the one before
        if _any_direction(gap) or _any_direction(own) or _metric_of_phrase(gap) or _metric_of_phrase(own):
            continue
        cur.f["metric"], cur.f["kind"] = prev.f["metric"], prev.f["kind"]
        if gap.lstrip().startswith("(") and ")" not in gap:
            close = text.find(")", cur.c.end, cur.c.end + 40)
            if close >= 0:
                # "(average: 1.41times)": the parenthesis with the number it qualifies
                cur.f["text"] = text[prev.start : close + 1]
                cur.start, cur.end = prev.start, close + 1


_BY_BEFORE = re.compile(r"\bby\s+(?:up\s+to\s+|about\s+|nearly\s+|over\s+|more\s+than\s+|almost\s+|~\s?)?$", re.I)


def _any_direction(s: str) -> bool:
    return any(_word_direction(m.group(0), s, m.end()) for m in _WORD.finditer(s))


_COMPARATIVE_KINDS = frozenset(("speedup", "reduction", "gain", "scale"))


def _share_baselines(items: list[_Item]) -> None:
    """A baseline named once in a sentence for several results ("3.7x, 6.7x and 9% ... compared to ReAct")
    belongs to each of them: when a sentence's comparative claims name exactly one baseline, the others
    without one get it."""
    by_sentence: dict[int, list[_Item]] = {}
    for it in items:
        if it.f["kind"] in _COMPARATIVE_KINDS:
            by_sentence.setdefault(it.si, []).append(it)
    for its in by_sentence.values():
        named = {it.f["baseline"] for it in its if it.f["baseline"]}
        if len(named) != 1:
            continue
        base = named.pop()
        for it in its:
            if not it.f["baseline"]:
                it.f["baseline"] = base


def _clean_baseline(b: str) -> str | None:
    b = " ".join(b.split()).strip(" ,.")
    b = _ARTICLE_START.sub("", b)
    if not b or _BAD_BASELINE.match(b) or len(b.split()) > 10:
        return None
    return b


def _baseline(after: str) -> str | None:
    for m in _BASELINE.finditer(after):
        b = _clean_baseline(m.group("b"))
        if b:
            return b
    return None


def _baseline_before(before: str) -> str | None:
    found = None
    for m in _BASELINE_BEFORE.finditer(before):
        found = m
    return _clean_baseline(found.group("b")) if found else None


# Units that say what they measure.
_UNIT_METRIC = {
    "bit/weight": "memory",
    "PFLOP/s": "throughput",
    "TFLOP/s": "throughput",
    "tokens/s": "throughput",
    "requests/s": "throughput",
    "FPS": "throughput",
    "$": "cost",
    "tokens": "context length",
    "W": "energy",
    "J": "energy",
    "r": "correlation",
    "error": "accuracy",
    "point": "accuracy",
    "step": "workload size",
    "request": "workload size",
    "query": "workload size",
    "user": "workload size",
    "session": "workload size",
    "call": "workload size",
    "sample": "workload size",
    **dict.fromkeys(("node", "edge", "vertice", "image", "document", "frame", "record", "row"), "workload size"),
}
_SCORE_UNITS = frozenset(
    (
        "inception score",
        "fid",
        "rfid",
        "gfid",
        "sfid",
        "bleu",
        "rouge",
        "rouge-1",
        "rouge-2",
        "rouge-l",
        "meteor",
        "cider",
        "psnr",
        "ssim",
        "ms-ssim",
        "cw-ssim",
        "lpips",
        "map",
        "miou",
        "f1",
        "auc",
        "auroc",
        "clip",
        "mrr",
        "wer",
        "cer",
        "perplexity",
        "bpc",
        "dB",
    )
)
_BYTE_UNITS = frozenset(("KB", "MB", "GB", "TB", "bit"))
_WEAK_METRICS = {
    "tokens": 25,
    "time": 10,
    "data": 20,
    "model size": 25,
    "workload size": 20,
    "context length": 5,
    "scaling efficiency": 5,
}  # often a denominator ("per token"), a setting, or too generic
# Between a number and a metric word, a clause break makes the word more likely another result's metric:
# "accelerates requests by up to 1.5x and delivers up to 36% cost savings".
_CLAUSE_BREAK = re.compile(r",|;|:|\band\b|\bwhile\b|\bwhereas\b|\bbut\b")
_CLAUSE_PENALTY = 30
# ...unless it only separates values in a list: "throughput and latency improve by 1.6X and 1.5X respectively".
_VALUE_BEFORE = re.compile(r"\d\s?(?:x|×|%)?\s*$")
_VALUE_AFTER = re.compile(r"\s*\d")


def _clause_break(window: str, start: int, end: int) -> bool:
    return any(
        not (_VALUE_BEFORE.search(window, start, m.start()) and _VALUE_AFTER.match(window, m.end()))
        for m in _CLAUSE_BREAK.finditer(window, start, end)
    )


def _metric(text: str, c: _Cand, s_start: int, s_end: int) -> str | None:
    """The metric word nearest the number, preferring one that follows it ("10x speedup") and one in the
    same clause."""
    lo, hi = max(s_start, c.start - 70), min(s_end, c.end + 70)
    window = text[lo:hi].lower()
    a, b = c.start - lo, c.end - lo
    best, best_d, best_i, best_cross = None, None, 0, False
    found = _stems(window)
    for m in _ACRONYM_METRIC.finditer(text, lo, hi):  # "9.3% WER": score names are upper case
        if m.start() == 0 or not text[m.start() - 1].isalpha():
            found.append((m.start() - lo, m.end() - lo, "accuracy"))
    for i, j, name in found:
        if a <= i < b and name == "time":  # "3 times" is not a time; "twice as fast" is a speed
            continue
        if _names_data(window, j):
            continue  # "road network traffic datasets": what the data is about, not what was measured
        if i >= b and _KEPT.search(window, b, i):
            continue  # "by up to 60x without affecting their test accuracy": what stayed, not what changed
        d = (a - j + 5) if j <= a else max(0, i - b)
        # "compression factor of 3.7x" names what changed: not weak like the "parameters" of a setting
        if name != "model size" or not window.startswith(_SIZE_CHANGE_STEMS, i):
            d += _WEAK_METRICS.get(name, 0) if name != "tokens" or window.endswith(("per ", "/"), 0, i) else 5
        cross = False
        if (best_d is None or d < best_d) and (_clause_break(window, j, a) if j <= a else _clause_break(window, b, i)):
            d += _CLAUSE_PENALTY
            cross = True
        if best_d is None or d < best_d:
            best, best_d, best_i, best_cross = name, d, i, cross
    if best == "speed" or (best == "cost" and window.startswith("sav", best_i)):
        # "1.2x faster with measured GPU latency": the quantity named after it in its clause says which speed;
        # "saving 10x to 50x parameters": what was saved
        wanted = _PRECISE_SPEED if best == "speed" else _SAVED
        for i, _, name in found:
            if (
                name in wanted
                and b <= i <= b + 40
                and not _clause_break(window, b, i)
                and not _KEPT.search(window, b, i)
            ):
                return name
    if best_cross and best in _WEAK_CROSS:
        return None  # "datasets" in another clause says nothing of what "improvements of up to 71%" measure
    if best == "efficiency" and window.endswith(_SCALING_BEFORE, 0, best_i):
        return "scaling efficiency"  # "strong scaling efficiencies of 89%"
    if (best in ("cost", "speed") or window.startswith("usage", best_i)) and best_d is not None:
        # "communication costs", "latency speedup": the word before the head says what it is about
        m = _HEAD_MODIFIER.search(window, max(0, best_i - 16), best_i)
        if m:
            return _MODIFIERS[m.group(1)[:5]]
    return best


# no look-behind: sre tries a leading one at every position (2-3x slower); the start is checked on the match
_ACRONYM_METRIC = re.compile(r"(?:WER|CER|MRR|NDCG|nDCG|PSNR|SSIM|mIoU|IoU|AUC|AUROC|mAP|BPC|RMSE|MAE|EM)(?![A-Za-z])")


_SIZE_CHANGE_STEMS = ("compression", "pruning", "sparsit")
_PRECISE_SPEED = frozenset(("latency", "throughput"))
_SAVED = frozenset(("memory", "model size", "compute", "energy", "time", "communication", "data", "tokens"))
# what a result kept as it was: a metric named after these is not the one that changed
_KEPT = re.compile(
    r"\b(?:without|while\s+(?:maintaining|preserving|keeping|retaining)|with\s+(?:little|negligible|no|minimal|minor|"
    r"marginal|small|slight|comparable|similar|the\s+same))\b"
)
_DATA_NOUNS = (" dataset", " benchmark", " corpus", " corpora", " forecasting", " prediction")


def _names_data(window: str, end: int) -> bool:
    """Is the word ending at or after `end` a modifier of a data or task noun ("traffic datasets")?"""
    sp = window.find(" ", end)
    if sp < 0:
        return False
    while end < sp and window[end].isalpha():
        end += 1
    return end == sp and window.startswith(_DATA_NOUNS, end)


_WEAK_CROSS = frozenset(("workload size", "data", "model size", "context length", "tokens"))
_SCALING_BEFORE = ("scaling ", "parallel ", "parallelization ", "parallelisation ")
_HEAD_MODIFIER = re.compile(r"\b(communicat\w*|memory|energy|latency|throughput|time|bandwidth|power|parameter)\s+$")
_MODIFIERS = {
    "commu": "communication",
    "memor": "memory",
    "energ": "energy",
    "laten": "latency",
    "throu": "throughput",
    "time": "time",
    "bandw": "communication",
    "power": "energy",
    "param": "model size",
}
