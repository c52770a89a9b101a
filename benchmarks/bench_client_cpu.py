"""Client CPU per paper, whole process included: `summarize run --engine llm` against a plain openai loop.

Both run as child processes of this script, against the same local test server (tests/openai_server.py, a
test double, in its own process) at a fixed latency, on the same JSONL of abstracts. The CPU of each child
(user + system, from its rusage) is divided by the number of papers, so interpreter start-up and imports
count, as they do for a user; the start-up alone is measured too (importing what `run --engine llm`
imports, doing nothing), and the per-paper CPU without it.

- ours: `python -m agent run papers.jsonl --engine llm --concurrency C` into a fresh store.
- plain loop: a script a user would write: `openai.OpenAI`, one `chat.completions.create` per abstract
  with `response_format={"type": "json_object"}`, `json.loads` of the answer, results written as JSONL.
  No validation, no grounding, no store, no re-asks, one request at a time.

    python benchmarks/bench_client_cpu.py                       # 300 papers, 100 ms, concurrency 32
    python benchmarks/bench_client_cpu.py --papers 300 --latency 0.1 --concurrency 32 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import corpus  # also puts the repo on sys.path
from bench_llm import KEY, MODEL, ServerProcess  # noqa: E402

PLAIN_LOOP = r'''
import json, sys
import openai

source, out, base_url, key, model = sys.argv[1:6]
client = openai.OpenAI(api_key=key, base_url=base_url, max_retries=2, timeout=30)
system = ("Extract from the abstract: problem, method, hardware, model_scale, claims (text, number, unit, "
          "baseline), tags and a one-line tldr. Answer with one JSON object.")
with open(source, encoding="utf-8") as fh, open(out, "w", encoding="utf-8") as results:
    for line in fh:
        paper = json.loads(line)
        user = f"<title>{paper['title']}</title>\n<abstract>{paper['abstract']}</abstract>"
        answer = client.chat.completions.create(
            model=model, temperature=0, max_tokens=1500, response_format={"type": "json_object"},
            messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
        )
        results.write(json.dumps({"title": paper["title"], **json.loads(answer.choices[0].message.content)}) + "\n")
'''

# What each loads before its first request, and nothing else: its start-up. Touching `.chat.completions`
# matters: the openai SDK imports its resource modules (about half its import time) on first use.
STARTUP = {
    "ours": "import agent.cli, agent.engines.llm, agent.sources.files, instructor, openai; "
            "openai.AsyncOpenAI(api_key='x').chat.completions",
    "plain openai loop": "import openai; openai.OpenAI(api_key='x').chat.completions",
}


def child(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=corpus.ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])}... exited {proc.returncode}: {proc.stderr.strip()[-400:]}")
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--papers", type=int, default=300)
    ap.add_argument("--latency", type=float, default=0.1)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--rounds", type=int, default=3, help="each command runs this many times; the best is kept")
    ap.add_argument("--skip-plain", action="store_true", help="only ours (the plain loop takes papers x latency)")
    args = ap.parse_args(argv)
    server = ServerProcess(args.latency, 0.0, "900,350")
    rows: dict[str, list[tuple[float, float]]] = {"ours": [], "plain openai loop": []}
    startups: dict[str, list[float]] = {"ours": [], "plain openai loop": []}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            source = corpus.write_jsonl(Path(tmp) / "papers.jsonl", args.papers)
            env = {**os.environ, "PYTHONPATH": str(corpus.ROOT), "OPENAI_BASE_URL": server.base_url,
                   "OPENAI_API_KEY": KEY, "SUMMARIZE_MODEL": MODEL, "HOME": tmp}
            plain = Path(tmp) / "plain_loop.py"
            plain.write_text(PLAIN_LOOP)
            for n in range(args.rounds):
                ours = [sys.executable, "-m", "agent", "run", str(source), "--engine", "llm", "--concurrency",
                        str(args.concurrency), "--db", f"{tmp}/s{n}.db", "--out", f"{tmp}/out{n}", "--json"]
                rows["ours"].append(child(ours, env))
                for name, code in STARTUP.items():
                    startups[name].append(child([sys.executable, "-c", code], env)[1])
                if not args.skip_plain:
                    rows["plain openai loop"].append(
                        child([sys.executable, str(plain), str(source), f"{tmp}/plain{n}.jsonl", server.base_url,
                               KEY, MODEL], env))
    finally:
        server.stop()
    print(f"{args.papers} papers, latency {args.latency * 1000:.0f} ms, ours at concurrency {args.concurrency}; "
          f"best of {args.rounds} (median CPU/paper in brackets)")
    print(f"{'':<20} {'wall':>8} {'CPU':>7} {'CPU/paper':>10}   {'start-up CPU':>12} {'CPU/paper after start-up':>25}")
    for name, runs in rows.items():
        if not runs:
            continue
        wall, cpu = min(w for w, _ in runs), min(c for _, c in runs)
        med = statistics.median(c for _, c in runs)
        startup = min(startups[name])
        print(f"{name:<20} {wall:>7.2f}s {cpu:>6.2f}s {cpu / args.papers * 1000:>8.2f}ms   {startup:>11.2f}s "
              f"{(cpu - startup) / args.papers * 1000:>23.2f}ms   ({med / args.papers * 1000:.2f} ms)")
    print(json.dumps({name: {"runs": [{"wall_s": round(w, 3), "cpu_s": round(c, 3)} for w, c in runs],
                             "startup_cpu_s": [round(c, 3) for c in startups[name]]} for name, runs in rows.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
