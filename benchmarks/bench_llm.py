"""How close the llm engine comes to the endpoint's own speed, against the local test server.

The server (tests/openai_server.py, a test double) runs in its own process, so client and server do not
share a GIL, and answers every request after `latency` + uniform(0, `jitter`) seconds with fixed token
counts. Papers go through the real Pipeline + LLMEngine + a fresh SQLite store per point.

    python benchmarks/bench_llm.py                      # 500 papers at concurrency 1, 8, 32, 64
    python benchmarks/bench_llm.py --slow-papers 100    # the sequential points (c=1, baseline) on 100

Figures per point: wall time; ideal = papers x mean latency / concurrency (what the endpoint allows);
overhead = wall / ideal. The baseline is what simple digest scripts do: a synchronous openai.OpenAI +
instructor loop, one abstract after another. Last, a rerun over the warm store must make zero requests.
"""

from __future__ import annotations

import argparse
import heapq
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import corpus  # also puts the repo on sys.path

import instructor  # noqa: E402
import openai  # noqa: E402

from agent.engines.llm import LLMEngine  # noqa: E402
from agent.engines.llm_config import LLMSettings  # noqa: E402
from agent.engines.llm_prompt import load_prompt, prompt_context  # noqa: E402
from agent.engines.llm_schema import LLMSummary  # noqa: E402
from agent.models import Paper  # noqa: E402
from agent.pipeline import Pipeline  # noqa: E402
from agent.resources import load_taxonomy  # noqa: E402
from agent.store import Store  # noqa: E402

KEY = "sk-bench-local-not-a-key"
MODEL = "gpt-4o-mini"


class ServerProcess:
    """`python -m tests.openai_server` in a child process, on a free loopback port."""

    def __init__(self, latency: float, jitter: float, usage: str, seed: int = 0):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        tags = ",".join(load_taxonomy().names)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.openai_server", "--port", str(self.port), "--latency", str(latency),
             "--jitter", str(jitter), "--usage", usage, "--seed", str(seed), "--tags", tags],
            cwd=corpus.ROOT, stdout=subprocess.PIPE, text=True,
        )
        line = self.proc.stdout.readline()  # "serving ..." once it listens
        if "serving" not in line:
            raise SystemExit(f"the test server did not start: {line!r}")
        self.base_url = f"http://127.0.0.1:{self.port}/v1"

    def counts(self) -> dict:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_test/requests") as r:
            return json.load(r)

    def chat_requests(self) -> int:
        return self.counts()["chat_requests"]

    def answer_seconds(self) -> list[float]:
        """The server's own measure of each answer, request arrival to sending, in order of arrival."""
        return self.counts()["answer_seconds"]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def endpoint_bound(answer_seconds: list[float], concurrency: int) -> float:
    """The wall time of a client with no overhead of its own facing exactly these answer times: each
    request starts the moment one of `concurrency` slots frees up, in the order the server saw them.
    Unlike the ideal, it counts the last round, which is only partly full, and the jitter."""
    slots = [0.0] * concurrency
    for seconds in answer_seconds:
        heapq.heappush(slots, heapq.heappop(slots) + seconds)
    return max(slots)


def run_pipeline(server: ServerProcess, papers: list[Paper], concurrency: int, db: Path) -> tuple[float, int, dict]:
    """Seconds, server requests and run stats for one Pipeline run (engine start-up included)."""
    before = server.chat_requests()
    t0 = time.perf_counter()
    engine = LLMEngine(LLMSettings(api_key=KEY, base_url=server.base_url, model=MODEL, concurrency=concurrency,
                                   timeout=30))
    with Store(db) as store:
        stats = Pipeline(engine=engine, store=store, concurrency=concurrency).run(papers)
    seconds = time.perf_counter() - t0
    return seconds, server.chat_requests() - before, stats.as_dict()


def run_baseline(server: ServerProcess, papers: list[Paper], out: Path) -> tuple[float, int]:
    """The simple digest script: synchronous client, one abstract after another, results dumped at the end."""
    before = server.chat_requests()
    t0 = time.perf_counter()
    client = instructor.from_openai(openai.OpenAI(api_key=KEY, base_url=server.base_url))
    prompt, taxonomy = load_prompt(), load_taxonomy()
    results = []
    for paper in papers:
        summary = client.chat.completions.create(
            model=MODEL, response_model=LLMSummary, messages=prompt.messages(),
            context=prompt_context(paper.title, paper.abstract, taxonomy), temperature=0, max_tokens=1500,
        )
        results.append({"id": paper.id, **summary.model_dump()})
    out.write_text(json.dumps(results))
    return time.perf_counter() - t0, server.chat_requests() - before


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--papers", type=int, default=500)
    ap.add_argument("--slow-papers", type=int, default=None,
                    help="papers for the sequential points (concurrency 1 and the baseline); default --papers")
    ap.add_argument("--concurrency", default="1,8,32,64")
    ap.add_argument("--latency", type=float, default=0.25, help="server latency, seconds")
    ap.add_argument("--jitter", type=float, default=0.1, help="plus uniform(0, jitter) seconds")
    ap.add_argument("--usage", default="900,350", help="prompt,completion tokens per answer")
    ap.add_argument("--seed", type=int, default=0, help="seed of the server's jitter (the same seed, the same draws)")
    args = ap.parse_args(argv)
    slow_n = args.slow_papers or args.papers
    mean_latency = args.latency + args.jitter / 2
    all_papers = list(corpus.papers(max(args.papers, slow_n)))
    levels = [int(c) for c in args.concurrency.split(",")]

    print(f"server: latency {args.latency * 1000:.0f} ms + uniform(0, {args.jitter * 1000:.0f}) ms "
          f"(mean {mean_latency * 1000:.0f} ms, seed {args.seed}), usage {args.usage} tokens, separate process")
    server = ServerProcess(args.latency, args.jitter, args.usage, args.seed)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            tmp_path = Path(tmp)
            # Warm-up (imports, first connection) so the first point is not charged for them.
            run_pipeline(server, all_papers[:4], 4, tmp_path / "warmup.db")
            rows = []
            for c in levels:
                n = slow_n if c == 1 else args.papers
                db = tmp_path / f"c{c}.db"
                answered = len(server.answer_seconds())
                seconds, requests, stats = run_pipeline(server, all_papers[:n], c, db)
                answers = server.answer_seconds()[answered:]
                ideal = n * mean_latency / c
                bound = endpoint_bound(answers, c)
                rows.append((c, n, seconds, ideal, requests, stats))
                assert stats["summarised"] == n and requests == n, (stats, requests)
                print(f"pipeline c={c:<3} {n:4d} papers  wall {seconds:7.2f} s  ideal {ideal:7.2f} s  "
                      f"overhead x{seconds / ideal:.3f}  ({n / seconds:6.1f} papers/s, {requests} requests)\n"
                      f"    server's answers: mean {statistics.mean(answers) * 1000:.1f} ms;  endpoint-bound "
                      f"{bound:.2f} s (x{bound / ideal:.3f} of ideal); wall / endpoint-bound x{seconds / bound:.3f}",
                      flush=True)

            base_s, base_req = run_baseline(server, all_papers[:slow_n], tmp_path / "baseline.json")
            base_ideal = slow_n * mean_latency
            print(f"baseline (sync openai+instructor loop) {slow_n:4d} papers  wall {base_s:7.2f} s  "
                  f"ideal {base_ideal:7.2f} s  overhead x{base_s / base_ideal:.3f}  ({slow_n / base_s:6.2f} papers/s, "
                  f"{base_req} requests)")
            for c, n, seconds, _, _, _ in rows:
                print(f"  pipeline c={c} vs baseline: x{(n / seconds) / (slow_n / base_s):.1f} papers/s")

            # The warm store: every paper is a cache hit, no request leaves the machine.
            warm_c = 32 if 32 in levels else levels[-1]
            warm_n = slow_n if warm_c == 1 else args.papers
            seconds, requests, stats = run_pipeline(server, all_papers[:warm_n], warm_c, tmp_path / f"c{warm_c}.db")
            assert requests == 0 and stats["cached"] == warm_n, (requests, stats)
            print(f"rerun on the warm store (c={warm_c}): {warm_n} papers in {seconds:.2f} s, "
                  f"{requests} requests, {stats['cached']} from cache")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
