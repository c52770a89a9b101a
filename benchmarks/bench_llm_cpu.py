"""Client CPU per `LLMEngine.summarize` call, against the local test server in its own process.

The server (tests/openai_server.py, a test double) answers at once (latency 0) in a child process, so
`time.process_time()` of this process counts only the client: prompt, instructor, the openai SDK and
httpx, parsing and validation. Calls run one after another on one event loop, after a warm-up.

    python benchmarks/bench_llm_cpu.py                  # 300 calls, best of 3 rounds
    python benchmarks/bench_llm_cpu.py --calls 300 --rounds 5 --profile /tmp/p.out
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import time

import corpus  # also puts the repo on sys.path

from bench_llm import KEY, MODEL, ServerProcess  # noqa: E402

from agent.engines.llm import LLMEngine  # noqa: E402
from agent.engines.llm_config import LLMSettings  # noqa: E402


async def _rounds(engine: LLMEngine, papers, rounds: int, profile: str | None) -> list[float]:
    for p in papers[:20]:  # warm-up: imports, the first connection, caches
        await engine.summarize(p)
    per_call = []
    prof = cProfile.Profile() if profile else None
    for _ in range(rounds):
        if prof:
            prof.enable()
        t0 = time.process_time()
        for p in papers:
            await engine.summarize(p)
        per_call.append((time.process_time() - t0) / len(papers))
        if prof:
            prof.disable()
    if prof:
        prof.dump_stats(profile)
    await engine.aclose()
    return per_call


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--profile", default=None, help="write a cProfile of the measured rounds here")
    args = ap.parse_args(argv)
    papers = list(corpus.papers(args.calls))
    server = ServerProcess(0.0, 0.0, "900,350")
    try:
        engine = LLMEngine(LLMSettings(api_key=KEY, base_url=server.base_url, model=MODEL, concurrency=1, timeout=30))
        per_call = asyncio.run(_rounds(engine, papers, args.rounds, args.profile))
    finally:
        server.stop()
    ms = sorted(x * 1000 for x in per_call)
    print(f"client CPU per summarize call over {args.calls} calls x {args.rounds} rounds: "
          f"best {ms[0]:.2f} ms, median {ms[len(ms) // 2]:.2f} ms ({', '.join(f'{m:.2f}' for m in ms)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
