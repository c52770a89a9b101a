"""Start-up time of the CLI, side by side with the floor it is compared to.

Each command runs in a fresh interpreter, `--runs` times; the script prints the best and median wall time
and CPU time (user + system, of the child) of each, and every command's ratio to the first one, the
reference `python -c "import typer, rich"` (the issue's yardstick). A bare typer app's `--help` is also
shown: the least any typer CLI with rich help pays on this machine. Also checks, for each command, that
openai and instructor were not imported.

    python benchmarks/bench_startup.py
    python benchmarks/bench_startup.py --runs 21
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

REPO = Path(__file__).resolve().parent.parent

BARE_TYPER = """
from typing import Annotated
import typer
app = typer.Typer(add_completion=False, rich_markup_mode=None)  # plain help, as ours
@app.command()
def export(fmt: Annotated[str, typer.Option("--format", help="a format")] = "csv"):
    '''Export.'''
@app.command()
def other() -> None: ...
app()
"""

# Runs the CLI as the console script does, then says whether the LLM client was imported.
CLI = """
import sys
from agent.cli import main
try:
    main()
finally:
    print("heavy:" + ",".join(m for m in ("openai", "instructor") if m in sys.modules), file=sys.__stderr__)
"""


def measure(cmd: list[str], runs: int, env: dict[str, str]) -> tuple[float, float, float, float, str]:
    walls, cpus, heavy = [], [], ""
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO)
        walls.append(time.perf_counter() - t0)
        if proc.returncode != 0:  # a command that fails early would look fast: stop instead
            sys.exit(f"{' '.join(cmd[-3:])}: exit {proc.returncode}\n{proc.stderr[-2000:]}")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        for line in proc.stderr.splitlines():
            if line.startswith("heavy:"):
                heavy = line[len("heavy:"):] or "none"
    return min(walls), statistics.median(walls), min(cpus), statistics.median(cpus), heavy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sys.path.insert(0, str(REPO))
        from tests.sample_store import make_db

        db = make_db(Path(tmp) / "store.db")
        bare = Path(tmp) / "bare_typer.py"
        bare.write_text(BARE_TYPER)
        # Bytecode is written (to a folder of its own) and a warm-up run made, so that our modules are read
        # from .pyc as an installed package's are, not compiled on every start.
        env = {**os.environ, "PYTHONPATH": str(REPO), "SUMMARIZE_DB": str(db), "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pyc")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        py = sys.executable
        commands = [
            ('python -c "import typer, rich"', [py, "-c", "import typer, rich"]),
            ("bare typer app: export --help", [py, str(bare), "export", "--help"]),
            ("summarize --help", [py, "-c", CLI, "--help"]),
            ("summarize export --help", [py, "-c", CLI, "export", "--help"]),
            ("summarize stats", [py, "-c", CLI, "stats"]),
            ("summarize export -f jsonl", [py, "-c", CLI, "export", "-f", "jsonl"]),
            ("summarize find faster", [py, "-c", CLI, "find", "faster"]),
        ]
        for _, cmd in commands:
            measure(cmd, 1, env)
        rows = [(name, *measure(cmd, args.runs, env)) for name, cmd in commands]
    reference_wall, reference_cpu = rows[0][1], rows[0][3]
    print(f"{args.runs} runs each, Python {sys.version.split()[0]}; best and median; ratio = best / reference best")
    print(f"{'command':<34} {'wall best':>9} {'median':>8} {'ratio':>6}   {'cpu best':>8} {'median':>8} {'ratio':>6}"
          f"   openai/instructor imported")
    for name, wall, wall_med, cpu, cpu_med, heavy in rows:
        print(f"{name:<34} {wall:>8.3f}s {wall_med:>7.3f}s {wall / reference_wall:>5.1f}x   {cpu:>7.3f}s "
              f"{cpu_med:>7.3f}s {cpu / reference_cpu:>5.1f}x   {heavy or '-'}")
    print(json.dumps({name: {"wall_s": round(w, 4), "cpu_s": round(c, 4)} for name, w, _, c, _, _ in rows}))


if __name__ == "__main__":
    main()
