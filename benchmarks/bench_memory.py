"""Peak memory of `summarize run --engine rules` over 500 vs 5,000 abstracts: it should stay flat.

    python benchmarks/bench_memory.py [N ...]        # default 500 5000

Each size runs in a fresh child process (python -m agent run FILE.jsonl ...) and its peak RSS is read with
os.wait4 (ru_maxrss of that child alone, in KiB on Linux). Input, store and outputs live in a temp dir.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import corpus


def peak_rss(n: int, tmp: Path) -> tuple[float, float, int]:
    """(peak RSS in MiB, seconds, exit code) of one run over n abstracts."""
    data = corpus.write_jsonl(tmp / f"papers{n}.jsonl", n)
    cmd = [sys.executable, "-m", "agent", "run", str(data), "--engine", "rules", "--db", str(tmp / f"s{n}.db"),
           "--out", str(tmp / f"out{n}"), "--json"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=corpus.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"run over {n} abstracts exited {code}: {proc.stderr.read().decode()[-500:]}")
    lines = sum(1 for _ in (tmp / f"out{n}" / "papers.jsonl").open())
    assert lines == n, (lines, n)
    return usage.ru_maxrss / 1024, seconds, code


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv[1:]] or [500, 5000]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            mib, seconds, _ = peak_rss(n, Path(tmp))
            results.append((n, mib))
            print(f"{n:6d} abstracts: peak RSS {mib:6.1f} MiB  ({seconds:.1f} s, rules engine, papers.jsonl has {n} lines)",
                  flush=True)
    (small_n, small), (large_n, large) = results[0], results[-1]
    print(f"growth {small_n} -> {large_n}: {large - small:+.1f} MiB "
          f"({(large - small) * 1024 / (large_n - small_n):.2f} KiB per extra abstract)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
