"""Score an engine against hand labels: claims, hardware, model scale and tags.

    python -m agent.evaluation [LABELS] [--input FILE ...] [--verbose] [--json]

LABELS is a JSON-lines file, one object per paper with an optional `id`, `title`, `claims` (number, low,
unit, text, and optionally kind and metric), `hardware`, `model_scale` and `tags`. A claim's `kind` and
`metric` are scored on the claims matched by (number, unit): the share whose kind, and whose metric, agree. A label is matched to a paper by id when both have one
(the reader keeps arXiv ids), else by normalised title. The papers come from the caller
(`evaluate(labels_path, papers)`), or for the command line from the input files, read by the project's
own reader `agent.sources.files.iter_source` (any format it supports: a saved Daily Papers page, HF API
JSON, JSONL/JSON/CSV with title and abstract). The default is the dev set and its saved page.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.models import Paper, Summary, normalise_title, paper_id_for

DEFAULT_LABELS = Path("tests/data/devset/labels.jsonl")
DEFAULT_PAGE = Path("tests/data/hf_page_sample.txt")


def load_papers(*paths: Path | str) -> list[Paper]:
    """Every paper of the input files, read by `iter_source`; an unreadable record is an error here,
    because an evaluation that silently drops a paper would report a wrong score."""
    from agent.errors import InputError
    from agent.sources.files import iter_source

    papers: list[Paper] = []
    for path in paths:
        for item in iter_source(str(path)):
            if isinstance(item, InputError):
                raise item
            papers.append(item)
    return papers


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class Report:
    claims: PRF = field(default_factory=PRF)
    hardware: PRF = field(default_factory=PRF)
    model_scale: PRF = field(default_factory=PRF)
    tag_jaccard: list[float] = field(default_factory=list)
    tag_exact: list[bool] = field(default_factory=list)
    tag_first: list[bool] = field(default_factory=list)
    papers: list[dict[str, Any]] = field(default_factory=list)
    unmatched_labels: list[str] = field(default_factory=list)
    kind_right: int = 0  # of matched claims whose label has a kind: how many agree
    kind_total: int = 0
    metric_right: int = 0
    metric_total: int = 0

    def as_dict(self) -> dict[str, Any]:
        n = len(self.tag_jaccard) or 1
        return {
            "papers": len(self.papers),
            "claims": self.claims.as_dict(),
            "hardware": self.hardware.as_dict(),
            "model_scale": self.model_scale.as_dict(),
            "tags": {
                "jaccard_mean": round(sum(self.tag_jaccard) / n, 4),
                "exact_set_rate": round(sum(self.tag_exact) / n, 4),
                "first_tag_rate": round(sum(self.tag_first) / n, 4),
            },
            "kind": {
                "accuracy": round(self.kind_right / self.kind_total, 4) if self.kind_total else None,
                "right": self.kind_right,
                "labelled": self.kind_total,
            },
            "metric": {
                "accuracy": round(self.metric_right / self.metric_total, 4) if self.metric_total else None,
                "right": self.metric_right,
                "labelled": self.metric_total,
            },
            "unmatched_labels": self.unmatched_labels,
        }


def _same_number(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def match_claims(predicted: list[tuple[float, str]], gold: list[tuple[float, str]]):
    """Multiset matching on (number, unit): returns (matched, false positives, misses)."""
    left = list(gold)
    matched, fps = [], []
    for num, unit in predicted:
        hit = next((i for i, (g, u) in enumerate(left) if u.lower() == unit.lower() and _same_number(g, num)), None)
        if hit is None:
            fps.append((num, unit))
        else:
            matched.append(left.pop(hit))
    return matched, fps, left


def match_claim_pairs(predicted: list[Any], gold: list[dict[str, Any]]) -> list[tuple[Any, dict[str, Any]]]:
    """(predicted claim, gold label) pairs matched on (number, unit), in the same greedy order as `match_claims`."""
    left = list(gold)
    pairs = []
    for c in predicted:
        hit = next(
            (
                i
                for i, g in enumerate(left)
                if str(g["unit"]).lower() == c.unit.lower() and _same_number(float(g["number"]), c.number)
            ),
            None,
        )
        if hit is not None:
            pairs.append((c, left.pop(hit)))
    return pairs


def norm_hw(name: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", name.lower()).split())


def _set_prf(pred: Iterable[str], gold: Iterable[str], norm=lambda s: s) -> tuple[int, int, int, list, list]:
    p, g = Counter(norm(x) for x in pred), Counter(norm(x) for x in gold)
    tp = sum((p & g).values())
    return tp, sum((p - g).values()), sum((g - p).values()), sorted((p - g).elements()), sorted((g - p).elements())


def _paper_id(paper: Paper | tuple[str, str]) -> str | None:
    """The paper's own id (an arXiv id), never the title hash `paper_id_for` falls back to."""
    if isinstance(paper, Paper) and not paper.id.startswith("title:"):
        return paper.id
    return None


def evaluate(labels_path: Path | str, papers: list[Paper] | list[tuple[str, str]], engine=None) -> Report:
    """Run `engine` (the rules engine by default) over `papers` and score it against the labels.

    A label with an `id` is matched to the paper with that id when the paper has one (an arXiv id);
    otherwise by normalised title (a paper whose record id is not an arXiv id has a title-hash id)."""
    if engine is None:
        from agent.engines.rules import RulesEngine

        engine = RulesEngine()
    labels = [json.loads(line) for line in Path(labels_path).read_text(encoding="utf-8").splitlines() if line.strip()]
    by_title = {normalise_title(p.title if isinstance(p, Paper) else p[0]): p for p in papers}
    by_id = {pid: p for p in papers if (pid := _paper_id(p))}
    report = Report()
    for lab in labels:
        lab_id = lab.get("id")
        paper = by_id.get(lab_id) if lab_id else None
        if paper is None:
            paper = by_title.get(normalise_title(lab["title"]))
        if paper is None:
            report.unmatched_labels.append(lab["title"])
            continue
        if not isinstance(paper, Paper):
            paper = Paper(id=paper_id_for(paper[0]), title=paper[0], abstract=paper[1], source="file")
        summary: Summary = engine.extract(paper)
        pred = [(c.number, c.unit) for c in summary.claims]
        gold = [(float(c["number"]), str(c["unit"])) for c in lab.get("claims", [])]
        matched, fps, misses = match_claims(pred, gold)
        report.claims.tp += len(matched)
        report.claims.fp += len(fps)
        report.claims.fn += len(misses)
        wrong = []
        for c, g in match_claim_pairs(summary.claims, lab.get("claims", [])):
            if g.get("kind"):
                report.kind_total += 1
                report.kind_right += c.kind == g["kind"]
            if g.get("metric"):
                report.metric_total += 1
                report.metric_right += (c.metric or "").lower() == g["metric"].lower()
            if (g.get("kind") and c.kind != g["kind"]) or (
                g.get("metric") and (c.metric or "").lower() != g["metric"].lower()
            ):
                wrong.append(f"{c.number:g}{c.unit}: {c.kind}/{c.metric} (label {g.get('kind')}/{g.get('metric')})")

        tp, fp, fn, hw_fp, hw_fn = _set_prf(summary.hardware, lab.get("hardware", []), norm_hw)
        report.hardware.tp += tp
        report.hardware.fp += fp
        report.hardware.fn += fn
        tp, fp, fn, ms_fp, ms_fn = _set_prf(summary.model_scale, lab.get("model_scale", []), lambda s: s.upper())
        report.model_scale.tp += tp
        report.model_scale.fp += fp
        report.model_scale.fn += fn

        pt, gt = set(summary.tags), set(lab.get("tags", []))
        report.tag_jaccard.append(len(pt & gt) / len(pt | gt) if pt | gt else 1.0)
        report.tag_exact.append(pt == gt)
        report.tag_first.append(bool(summary.tags) and bool(lab.get("tags")) and summary.tags[0] == lab["tags"][0])
        report.papers.append(
            {
                "title": lab["title"],
                "claim_fp": fps,
                "claim_miss": misses,
                "hardware_fp": hw_fp,
                "kind_metric_wrong": wrong,
                "hardware_miss": hw_fn,
                "scale_fp": ms_fp,
                "scale_miss": ms_fn,
                "tags": summary.tags,
                "gold_tags": lab.get("tags", []),
            }
        )
    return report


def _print(report: Report, verbose: bool, out=sys.stdout) -> None:
    d = report.as_dict()
    print(f"papers: {d['papers']}", file=out)
    for key in ("claims", "hardware", "model_scale"):
        r = d[key]
        print(
            f"{key:12s} P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f} "
            f"(tp={r['tp']} fp={r['fp']} fn={r['fn']})",
            file=out,
        )
    for key in ("kind", "metric"):
        k = d[key]
        if k["labelled"]:
            print(f"{key:12s} accuracy={k['accuracy']:.3f} ({k['right']} of {k['labelled']} matched claims)", file=out)
    t = d["tags"]
    print(
        f"{'tags':12s} jaccard={t['jaccard_mean']:.3f} exact={t['exact_set_rate']:.3f} first={t['first_tag_rate']:.3f}",
        file=out,
    )
    if d["unmatched_labels"]:
        print(f"labels with no paper: {d['unmatched_labels']}", file=out)
    if not verbose:
        return
    for p in report.papers:
        issues = {k: v for k, v in p.items() if k not in ("title", "tags", "gold_tags") and v}
        tags_off = set(p["tags"]) != set(p["gold_tags"])
        if not issues and not tags_off:
            continue
        print(f"\n* {p['title'][:90]}", file=out)
        for k, v in issues.items():
            print(f"    {k}: {v}", file=out)
        if tags_off:
            print(f"    tags: {p['tags']} gold: {p['gold_tags']}", file=out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m agent.evaluation", description=__doc__.splitlines()[0])
    ap.add_argument("labels", nargs="?", default=str(DEFAULT_LABELS))
    ap.add_argument(
        "--input",
        "-i",
        action="append",
        metavar="FILE",
        help=f"file holding the abstracts, any format the reader supports (repeatable; default {DEFAULT_PAGE})",
    )
    ap.add_argument("--verbose", "-v", action="store_true", help="list misses and false positives per paper")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    args = ap.parse_args(argv)
    inputs = args.input or [str(DEFAULT_PAGE)]
    try:
        papers = load_papers(*inputs)
    except Exception as e:  # an InputError naming the file and record
        print(f"error: {e}", file=sys.stderr)
        return 2
    report = evaluate(args.labels, papers)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        _print(report, args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
