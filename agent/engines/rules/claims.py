"""Quantitative claims: the numbers an abstract reports about its own work.

A claim is found in three steps: candidate numbers with a unit are matched on the raw text (so every
span is an exact substring); candidates in sentences that only set the scene (before the paper says
what it does, with no "we"/"our"), in URLs or overlapping a longer candidate are dropped; the survivors
get a qualifier, a metric and a baseline from the words around them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.models import Claim

from .numbers import DASH, NUM, NUM_START, TIMES, WORD_NUM, clean_float, parse_number, scaled
from .sentences import method_index, sentence_spans

# --- candidate patterns -------------------------------------------------------------------------------

_N = rf"{NUM_START}({NUM})"
_PCT = r"(?:\s?\\?%(?!ile)|\s?(?:per\s?cent|percent)\b)"
_PP = r"(?:\s?(?:percentage|pct\.?)\s+points?\b|\s?(?:pp|p\.p\.)(?![\w.])|\s(?:absolute\s+)?points?\b)"
_SEP = rf"\s*(?:{DASH}|to|and)\s*"

_RANGE_X = re.compile(rf"(between\s+)?{_N}(?:{TIMES})?{_SEP}({NUM}){TIMES}")
_RANGE_PCT = re.compile(rf"(between\s+)?{_N}(?:{_PCT})?{_SEP}({NUM}){_PCT}")
_FROM_TO = re.compile(
    rf"\bfrom\s+{_N}\s*(%|\\%|[xX×]|ms|s|GB|MB)?\s+to\s+({NUM})\s*(\\?%|[xX×](?![A-Za-z0-9])|ms\b|s\b|GB\b|MB\b)"
)
_X = re.compile(rf"{_N}{TIMES}")
_PCT_RE = re.compile(rf"{_N}{_PCT}")
_PP_RE = re.compile(rf"{_N}{_PP}(?=\s+(?:higher|lower|better|worse|more|less|improvement|gain|increase|drop|"
                    rf"decrease|of|in|on|over|above|below|than|accuracy)\b|[,.;)])")
_SPEEDUP_OF = re.compile(rf"\b(?:speed-?ups?|accelerations?)\s+of\s+(?:up\s+to\s+|about\s+|~\s?)?{_N}(?![\d.,]*\s*(?:[xX×%]|times|\\))")
_RATIO = re.compile(rf"\b(?:efficienc(?:y|ies)|utili[sz]ation|F1(?:\s+score)?|MFU|AUC|ratio)\s+(?:of\s+)?(?:up\s+to\s+|about\s+|~\s?)?"
                    rf"{NUM_START}(0?\.\d+|1\.0+)\b(?!\s*(?:[xX×%]|times))")

_ABS_UNITS = [
    (r"ms|msec|milliseconds?", "ms"),
    (r"s|secs?|seconds?", "s"),
    (r"mins?|minutes?", "min"),
    (r"h|hrs?|hours?", "h"),
    (r"days?", "days"),
    (r"weeks?", "week"),
    (r"KB|kilobytes?", "KB"),
    (r"MB|megabytes?", "MB"),
    (r"GB|GiB|gigabytes?", "GB"),
    (r"TB|TiB|terabytes?", "TB"),
    (r"tokens?\s?/\s?s(?:ec)?|tokens?\s+per\s+second|tok/s", "tokens/s"),
    (r"(?:requests?|reqs?|queries)\s?/\s?s(?:ec)?|(?:requests?|queries)\s+per\s+second|RPS|QPS", "requests/s"),
    (r"PFLOP/?s|PFLOPS|peta-?FLOP/?s|peta-?flops", "PFLOP/s"),
    (r"TFLOP/?s|TFLOPS|tera-?FLOP/?s|tera-?flops", "TFLOP/s"),
    (r"W|watts?", "W"),
    (r"J|joules?", "J"),
]
_ABS_ALT = "|".join(f"(?P<u{i}>{pat})" for i, (pat, _) in enumerate(_ABS_UNITS))
_ABS = re.compile(rf"{_N}(?:\s?([KMB])(?![A-Za-z]))?\s?(?:{_ABS_ALT})(?![\w/])")
_DOLLAR = re.compile(rf"(?<![\w\\])\$\s?({NUM})(?:\s?(K|M|B|million|billion|thousand)\b)?(?!\s*\\times|\s*\$)")
_SEQ_LEN = re.compile(rf"{_N}\s?([KM])?(?:[\s-]?tokens?)?[\s-]+(?:sequence|context)(?:[\s-]+(?:lengths?|windows?))?\b", re.I)

_MAGNITUDE = re.compile(r"\b(an?|one|two|three|four|\d+)[\s-]+orders?[\s-]+of[\s-]+magnitudes?\b", re.I)
_DOUBLE = re.compile(r"\b(doubl|tripl|quadrupl)(?:es|ed|ing|e)\b(?![-\u2010](?!digit))(?!\s+(?:precision|buffer\w*|check\w*|descent|counting|blind|edged))", re.I)
_HALF = re.compile(r"\b(?:by|in)\s+half\b|\bhalv(?:es|ed|ing|e)\b", re.I)
_WORD_TIMES = re.compile(rf"\b({WORD_NUM})[\s-]+(?:times|fold)\b(?=\s+(?:faster|higher|lower|less|more|fewer|smaller|larger|"
                         rf"better|greater|cheaper|longer|shorter|speed|throughput|improvement|reduction|increase))"
                         rf"|\b(two|three|four|five|six|seven|eight|nine|ten|twenty|hundred)fold\b", re.I)
_EVERY = re.compile(rf"\bevery\s+(?:(\d+(?:\.\d+)?)|({WORD_NUM}))\s+(day|week|month|year)s?\b", re.I)
_ZERO = re.compile(r"\b(?:with|achiev\w*|reach\w*)\s+(?:nearly\s+|almost\s+)?(zero)\s+(errors?|failures?|downtime|violations?)\b", re.I)
_SCALE_COUNT = re.compile(
    rf"\b(?:solv|handl|process|complet|execut|scal|sustain|serv)\w*\b[^.;]{{0,30}}?\b(?:over\s+|more\s+than\s+|up\s+to\s+)?"
    rf"(?:({NUM})|({WORD_NUM}))\s+(thousand|million|billion|trillion)\s+(?:[A-Za-z-]+\s+)?"
    rf"(steps|requests|queries|tokens|users|sessions|calls)\b",
    re.I,
)
_URL = re.compile(r"https?://\S+|www\.\S+|\S+\.(?:com|org|io|ai|net)/\S*")

# "8x A100", "4× H100 GPUs": a count of devices, not a speedup.
_DEVICE_AFTER = re.compile(r"\s*(?:NVIDIA|AMD|Intel|A100|H100|H200|V100|A800|H800|B200|MI\d+|RTX|TPU|GPUs?\b|CPUs?\b|"
                           r"nodes?\b|servers?\b|machines?\b|cores?\b|devices?\b)")
_TIMES_CONTEXT_BAD = re.compile(r"\b(?:repeated|run|ran|executed|called|sampled|queried|invoked|trained|tested|evaluated)\s*$", re.I)
_TIMES_AFTER_BAD = re.compile(r"\s+(?:per|a\s+(?:day|week|second|minute)|each|in\s+a\s+row)\b", re.I)

# --- context ------------------------------------------------------------------------------------------

_OWN_WORK = re.compile(r"\b(?:we|our|ours|us)\b|\bthis\s+(?:paper|work|study|approach|method|system|framework)\b|"
                       r"\bproposed\b|\bexperiment\w*|\bevaluation\w*|\bresults?\b", re.I)
_PRIOR = re.compile(r"\b(?:prior|previous|earlier|existing|recent)\s+(?:work|studies|experiments|systems|methods|approaches|research)\b"
                    r"[^.]*\b(?:show|report|achiev|found|reach)", re.I)
_RESULT_CUE = re.compile(r"\b(?:achiev\w*|reach\w*|attain\w*|deliver\w*|sustain\w*|obtain\w*|reduc\w*|lower\w*|cut\w*|"
                         r"improv\w*|faster|speed\w*|outperform\w*|enabl\w*|complet\w*|finish\w*|only|just|within|"
                         r"result\w*|show\w*|demonstrat\w*|observ\w*|record\w*|peak|saving\w*|save\w*|serv\w*|generat\w*|"
                         r"support\w*|process\w*|handl\w*|runs|running|scal\w*|sustain\w*|takes|costs)\b", re.I)
_HARDWARE_NEAR = re.compile(r"GPU|A100|H100|H200|V100|A800|H800|MI\d{3}|RTX|HBM|DRAM|VRAM|memory capacity", re.I)

_QUALIFIER = re.compile(
    r"(?:\b(?P<w>(?:by\s+)?up\s+to|on\s+average|an\s+average\s+of|average\s+of|average:|averag\w*|approximately|about|around|"
    r"roughly|nearly|almost|over|more\s+than|at\s+least|at\s+most|less\s+than|fewer\s+than|under|only|just|as\s+much\s+as|"
    r"as\s+high\s+as|as\s+low\s+as|as\s+little\s+as|beyond|exceeding|above|below)(?:\s+(?:a|an))?\s*"
    r"|(?P<s>~|≈|∼|\$\\sim\$|\$\\approx\$|\\sim|>=|<=|≥|≤|>|<|\$>\$|\$<\$)\s*)$",
    re.I,
)
_QUAL_NORMAL = {
    "by up to": "up to", "an average of": "on average", "average of": "on average", "average:": "on average",
    "approximately": "~", "about": "~", "around": "~", "roughly": "~", "≈": "~", "∼": "~", "$\\sim$": "~",
    "\\sim": "~", "$\\approx$": "~", "more than": "over", "beyond": "over", "exceeding": "over", "above": "over",
    ">": "over", "$>$": "over", ">=": "at least", "≥": "at least", "fewer than": "less than", "under": "less than",
    "below": "less than", "<": "less than", "$<$": "less than", "<=": "at most", "≤": "at most", "almost": "nearly",
    "just": "only", "as much as": "up to", "as high as": "up to",
}
_TRAILING_AVG = re.compile(r"^[^,;]{0,40}?\b(?:on\s+average|in\s+average|on\s+avg\.?)(?!\w)", re.I)

_CLAUSE_END = re.compile(r"[,;:()]|\s(?:and|while|when|but|which|whereas|respectively|as evidenced|thereby|thus)\b|\.(?:\s|$)")
_BASELINE = re.compile(r"\b(?:compared\s+(?:to|with|against)|in\s+comparison\s+(?:to|with)|relative\s+to|over|than|against|"
                       r"versus|vs\.?|that\s+of)\s+(?:the\s+)?(?P<b>[^,;:()]+?)"
                       r"(?=[,;:()]|\s(?:and|while|when|on|with|under|in|across|for|at|by|using|during|without|respectively|"
                       r"up\s+to|as|which|through|to|if|whereas|but|via|from|of\s+\d)\b|\.(?:\s|$)|$)", re.I)
_BASELINE_BEFORE = re.compile(r"\b(?:outperform\w*|surpass\w*|beat\w*|exceed\w*)\s+(?:the\s+)?(?P<b>[^;.]{2,90}?)\s*,?\s+(?:by|in)\b", re.I)
_BAD_BASELINE = re.compile(r"^(?:\d|a\s|an\s|up\s|one\s|two\s|the\s+(?:course|past|years?)|time|years?|\W)", re.I)

_METRICS = [
    ("latency", r"latenc\w*|response\s+times?|TTFT|TPOT|time[\s-]to[\s-]first[\s-]token|delays?|deadlines?"),
    ("throughput", r"throughput\w*|tokens?/s|requests?/s|TFLOPS|TFLOP/s|PFLOP/s|FLOPS|QPS|goodput"),
    ("speed", r"speed[\s-]?ups?|faster|accelerat\w*|speed"),
    ("memory", r"memory|footprint|storage|KV\s+cache"),
    ("cost", r"costs?|savings?|cheaper|price|dollars?|expens\w*"),
    ("accuracy", r"accura\w*|F1|scores?|win\s+rate|success|performance|quality|exact\s+match|answer\w*"),
    ("energy", r"energy|power|watts?|IPW"),
    ("communication", r"communicat\w*|bandwidth|transmission|traffic"),
    ("scaling efficiency", r"scaling\s+efficienc\w*|utili[sz]ation|efficienc\w*"),
    ("context length", r"context|sequence\s+lengths?"),
    ("time", r"time|runtime|hours?|days?"),
    ("tokens", r"tokens?"),
]
_METRIC_RE = re.compile("|".join(f"(?P<m{i}>\\b(?:{p})(?!\\w))" for i, (_, p) in enumerate(_METRICS)), re.I)


@dataclass
class _Cand:
    start: int          # span of the numeric core
    end: int
    number: float
    unit: str
    low: float | None = None
    kind: str = "rel"   # "rel" (x, %, pp, word forms), "abs" (units, need a result verb), "count" (a scale
    #                     reached, matched with its verb), "aux" (only counted beside another claim)


def _num(s: str | None) -> float | None:
    return parse_number(s) if s else None


def _candidates(text: str) -> list[_Cand]:
    out: list[_Cand] = []
    add = out.append

    for m in _FROM_TO.finditer(text):
        b = _num(m.group(3))
        unit = _unit_of(m.group(4))
        if b is not None:
            add(_Cand(m.start(), m.end(), b, unit))
    for rx, unit in ((_RANGE_X, "x"), (_RANGE_PCT, "%")):
        for m in rx.finditer(text):
            a, b = _num(m.group(2)), _num(m.group(3))
            if a is None or b is None or a >= b:
                continue
            sep = m.group(0)[m.group(0).find(m.group(2)) + len(m.group(2)):]
            if m.group(1) is None and re.search(r"\band\b", sep):
                continue  # "77.1% and 73.1%" is two claims, not a range; only "between a and b" is one
            add(_Cand(m.start(), m.end(), b, unit, low=a))
    for m in _X.finditer(text):
        n = _num(m.group(1))
        if n is None:
            continue
        sign = m.group(0)[len(m.group(1)):]
        if sign.strip() in ("x", "X") and _DEVICE_AFTER.match(text, m.end()):
            continue
        if "times" in sign and (_TIMES_CONTEXT_BAD.search(text, max(0, m.start() - 25), m.start())
                                or _TIMES_AFTER_BAD.match(text, m.end())):
            continue
        add(_Cand(m.start(), m.end(), n, "x"))
    for m in _PCT_RE.finditer(text):
        n = _num(m.group(1))
        if n is not None:
            add(_Cand(m.start(), m.end(), n, "%"))
    for m in _PP_RE.finditer(text):
        n = _num(m.group(1))
        if n is not None and n <= 100:
            add(_Cand(m.start(), m.end(), n, "pp"))
    for m in _SPEEDUP_OF.finditer(text):
        n = _num(m.group(1))
        if n is not None and n > 1:
            add(_Cand(m.start(1), m.end(1), n, "x"))
    for m in _RATIO.finditer(text):
        n = _num(m.group(1))
        if n is not None:
            add(_Cand(m.start(), m.end(), n, "ratio"))
    for m in _ABS.finditer(text):
        n = _num(m.group(1))
        unit = next((_ABS_UNITS[i][1] for i in range(len(_ABS_UNITS)) if m.group(f"u{i}")), None)
        if n is None or unit is None:
            continue
        if unit in ("s", "h", "W", "J") and m.group(2):
            continue  # "5 Ks", "2 MW": too odd to trust
        if unit in ("KB", "MB", "GB", "TB") and _HARDWARE_NEAR.search(text, max(0, m.start() - 20), m.end() + 20):
            continue  # "A100 80GB": a device spec
        add(_Cand(m.start(), m.end(), clean_float(scaled(n, m.group(2))), unit, kind="abs"))
    for m in _DOLLAR.finditer(text):
        n = _num(m.group(1))
        if n is not None:
            add(_Cand(m.start(), m.end(), clean_float(scaled(n, m.group(2))), "$", kind="abs"))
    for m in _SEQ_LEN.finditer(text):
        n = _num(m.group(1))
        if n is not None and (m.group(2) or n >= 1000):
            add(_Cand(m.start(), m.end(), clean_float(scaled(n, m.group(2))), "tokens", kind="abs"))
    for m in _MAGNITUDE.finditer(text):
        w = m.group(1).lower()
        k = 1.0 if w in ("a", "an") else _num(w) or 1.0
        add(_Cand(m.start(), m.end(), clean_float(10.0 ** k), "x"))
    for m in _DOUBLE.finditer(text):
        add(_Cand(m.start(), m.end(), {"doubl": 2.0, "tripl": 3.0, "quadrupl": 4.0}[m.group(1).lower()], "x"))
    for m in _HALF.finditer(text):
        add(_Cand(m.start(), m.end(), 50.0, "%"))
    for m in _WORD_TIMES.finditer(text):
        n = _num(m.group(1) or m.group(2))
        if n is not None:
            add(_Cand(m.start(), m.end(), n, "x"))
    for m in _EVERY.finditer(text):
        n = _num(m.group(1) or m.group(2))
        if n is not None:
            add(_Cand(m.start(1) if m.group(1) else m.start(2), m.end(), n, m.group(3).lower(), kind="aux"))
    for m in _ZERO.finditer(text):
        add(_Cand(m.start(1), m.end(), 0.0, _singular(m.group(2)), kind="aux"))
    for m in _SCALE_COUNT.finditer(text):
        n = _num(m.group(1) or m.group(2))
        if n is not None:
            start = m.start(1) if m.group(1) else m.start(2)
            add(_Cand(start, m.end(), clean_float(scaled(n, m.group(3))), _singular(m.group(4)), kind="count"))
    return out


def _singular(word: str) -> str:
    w = word.lower()
    if w.endswith("ies"):
        return w[:-3] + "y"
    return w[:-1] if w.endswith("s") and not w.endswith("ss") else w


def _unit_of(sign: str) -> str:
    s = sign.strip().lower()
    if s.endswith("%"):
        return "%"
    if s in ("x", "×"):
        return "x"
    return s


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


def extract_claims(text: str, title: str = "") -> list[Claim]:
    """Every quantitative result `text` reports about its own work, in order. Never raises on strings."""
    if not text or not any(ch.isdigit() for ch in text) and not _has_word_forms(text):
        return []
    spans = sentence_spans(text)
    sents = [text[s:e] for s, e in spans]
    first_method = method_index(sents)
    name = _system_name(title)
    urls = [(m.start(), m.end()) for m in _URL.finditer(text)]

    cands = [c for c in _select(_candidates(text)) if not any(a <= c.start < b for a, b in urls)]
    claims: list[tuple[_Cand, Claim]] = []
    for c in cands:
        si = next((i for i, (s, e) in enumerate(spans) if s <= c.start < e), None)
        if si is None:
            continue
        s_start, s_end = spans[si]
        sent = sents[si]
        if _is_background(sent, si, first_method, name):
            continue
        if c.kind == "abs" and not _RESULT_CUE.search(sent):
            continue
        claims.append((c, _describe(text, c, s_start, s_end)))
    # "aux" claims ("every three months", "zero errors") only count beside another claim in their sentence.
    keep = []
    for c, claim in claims:
        if c.kind == "aux":
            si = next(i for i, (s, e) in enumerate(spans) if s <= c.start < e)
            s, e = spans[si]
            if not any(o is not c and o.kind != "aux" and s <= o.start < e for o, _ in claims):
                continue
        keep.append(claim)
    return keep


_WORDY = re.compile(r"magnitude|doubl|tripl|quadrupl|halv|\bhalf\b|fold\b|times\b|\bevery\b|\bzero\b|"
                    r"thousand|million|billion|trillion", re.I)


def _has_word_forms(text: str) -> bool:
    return bool(_WORDY.search(text))


def _system_name(title: str) -> str | None:
    m = re.match(r"\s*([^:]{2,40}):", title or "")
    return m.group(1).strip() if m else None


def _is_background(sent: str, index: int, first_method: int | None, name: str | None) -> bool:
    """A sentence that sets the scene: it comes before the paper says what it does and is not about it."""
    if _PRIOR.search(sent) and not re.search(r"\b(?:we|our)\b", sent, re.I):
        return True
    boundary = first_method if first_method is not None else 1
    if index >= boundary:
        return False
    if name and name.lower() in sent.lower():
        return False
    return not _OWN_WORK.search(sent)


def _describe(text: str, c: _Cand, s_start: int, s_end: int) -> Claim:
    sent_before = text[s_start:c.start]
    start = c.start
    qualifier = None
    q = _QUALIFIER.search(sent_before[-40:])
    if q:
        raw = (q.group("w") or q.group("s") or "").strip()
        key = " ".join(raw.lower().split())
        if key.startswith("averag"):
            key = "average:" if key.endswith(":") else "an average of"
        qualifier = _QUAL_NORMAL.get(key, key)
        start = c.start - (len(sent_before[-40:]) - q.start())
    after = text[c.end:s_end]
    if _TRAILING_AVG.match(after):
        qualifier = qualifier or "on average"

    # the span: the number with what it measures, up to the end of its clause
    m = _CLAUSE_END.search(after)
    tail = after[: m.start()] if m else after
    if len(tail) > 90:
        cut = tail.rfind(" ", 0, 90)
        tail = tail[: cut if cut > 0 else 90]
    end = c.end + len(tail.rstrip())
    if not tail.strip() and re.search(r"\bby\s+$", text[s_start:start]):
        clause_start = max(text.rfind(sep, s_start, start) for sep in (",", ";", ":", " and ", "("))
        lo = clause_start + 1 if clause_start >= s_start else s_start
        if start - lo <= 80:
            start = lo
    while start < end and text[start].isspace():
        start += 1
    span = text[start:end]

    baseline = _baseline(text[c.end:s_end]) or _baseline_before(text[s_start:c.start])
    metric = _metric(text, c, s_start, s_end)
    return Claim(text=span, number=c.number, low=c.low, unit=c.unit, qualifier=qualifier, metric=metric,
                 baseline=baseline)


def _clean_baseline(b: str) -> str | None:
    b = " ".join(b.split()).strip(" ,.")
    b = re.sub(r"^(?:the|a|an)\s+", "", b, flags=re.I)
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


def _metric(text: str, c: _Cand, s_start: int, s_end: int) -> str | None:
    lo, hi = max(s_start, c.start - 70), min(s_end, c.end + 70)
    best, best_d = None, None
    for m in _METRIC_RE.finditer(text, lo, hi):
        d = c.start - m.end() if m.end() <= c.start else max(0, m.start() - c.end)
        if m.end() <= c.start:
            d += 5  # prefer what follows the number ("10x speedup") over what precedes it
        if best_d is None or d < best_d:
            best = next(_METRICS[i][0] for i in range(len(_METRICS)) if m.group(f"m{i}"))
            best_d = d
    return best
