"""Faults and bad inputs, each through the real CLI in a fresh child process: what each gives, measured.

    python benchmarks/reliability.py [--quick]      # --quick: skip the two 60-second drips

Every case runs the CLI (`agent.cli.main`, as `python -m agent` does) in a fresh child process in its own
temp dir and records its exit code, wall time, peak RSS (the child's own VmHWM, read from /proc as it exits:
ru_maxrss would also count the memory of this parent at the fork), its first error line, whether any traceback was printed,
and a check of what was kept (papers written or saved). Network cases talk to a local server on 127.0.0.1
(tests/faults/hostile_http.py; the llm engine to tests/openai_server.py) with the CLI's default limits: a
byte every 5 seconds, 2 GB bodies. Store faults that need root to make for real are made as the tests
make them (tests/faults/test_store_faults.py): a read-only SQLite connection and a max_page_count, set
by a small bootstrap before the CLI starts. Prints a Markdown table (RELIABILITY.md holds the last one).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import write_jsonl  # noqa: E402
from tests.conftest import DUMMY_KEY  # noqa: E402
from tests.faults.hostile_http import (  # noqa: E402
    HostileServer,
    _head,
    answer,
    drip_body,
    drip_headers,
    endless_chunked,
    huge_declared,
    redirect,
)
from tests.openai_server import OpenAITestServer  # noqa: E402

DAILY = "/api/daily_papers"
TOO_DEEP = "[" * 100_000 + "]" * 100_000
GOOD = [{"title": f"Serve{i}", "abstract": f"Serve{i} improves throughput by up to {i + 1}.5x over vLLM."}
        for i in range(54)]
READ_ONLY = ("import sqlite3, agent.store as s; c = sqlite3.connect; "
             "s.sqlite3.connect = lambda p, *a, **k: c(f'file:{p}?mode=ro', *a, uri=True, **k); ")
PEAK = ("import atexit, sys\n"
        "atexit.register(lambda: print('VmHWM', open('/proc/self/status').read().split('VmHWM:')[1].split()[0],"
        " file=sys.stderr))\n")
SMALL_DISK = ("from agent.store import Store; i = Store.__init__\n"
              "def init(self, path):\n    i(self, path)\n"
              "    self.db.execute(f'PRAGMA max_page_count = {self.db.execute(\"PRAGMA page_count\").fetchone()[0] + 40}')\n"
              "Store.__init__ = init\n")


@dataclass
class Case:
    group: str
    name: str
    expect: int
    args: list[str]
    prepare: Callable[[Path], None] | None = None
    check: Callable[[Path], str] | None = None  # what was kept, in words
    server: dict[str, Callable] | None = None
    bootstrap: str = ""
    env: dict[str, str] | None = None
    signal_when: Callable[[Path, HostileServer | None], bool] | None = None  # SIGTERM once true


@dataclass
class Result:
    case: Case
    code: int
    seconds: float
    rss_mib: float
    first_error: str
    traceback: bool
    kept: str


def _jsonl(path: Path, rows: list[str]) -> None:
    path.write_text("\n".join(rows) + "\n")


def _papers_written(tmp: Path) -> str:
    out = tmp / "out" / "papers.jsonl"
    return f"{sum(1 for _ in out.open())} papers written" if out.exists() else "no outputs"


def _saved(tmp: Path) -> str:
    try:
        with sqlite3.connect(tmp / "s.db") as con:
            saved = con.execute("SELECT COUNT(*) FROM summaries").fetchone()[0]
            runs = [r[0] for r in con.execute("SELECT status FROM runs")]
    except sqlite3.DatabaseError:
        return "store unreadable (as it was)"
    return f"{saved} saved, run row {'/'.join(runs) or 'none'}"


def _filled_store(tmp: Path, n: int = 54) -> None:
    _jsonl(tmp / "papers.jsonl", [json.dumps(p) for p in GOOD[:n]])
    subprocess.run([sys.executable, "-m", "agent", "run", str(tmp / "papers.jsonl"), "--engine", "rules", "--db",
                    str(tmp / "s.db"), "--out", str(tmp / "first")], cwd=ROOT, check=True, capture_output=True)


def _long_line(path: Path) -> None:
    """54 good lines with one of 100 MiB between them, written a MiB at a time."""
    with path.open("w") as fh:
        fh.write("".join(json.dumps(p) + "\n" for p in GOOD[:27]))
        fh.write('{"title": "Long", "abstract": "')
        for _ in range(100):
            fh.write("z" * 2**20)
        fh.write('"}\n' + "".join(json.dumps(p) + "\n" for p in GOOD[27:]))


def _big_document(path: Path) -> None:
    """One JSON document of 300 MiB, written a MiB at a time."""
    with path.open("w") as fh:
        fh.write('[{"title": "Big", "abstract": "')
        for _ in range(300):
            fh.write("w" * 2**20)
        fh.write('"}]')


def _damage(path: Path, start: int, length: int) -> None:
    data = bytearray(path.read_bytes())
    data[start:start + length] = b"\x5a" * length
    path.write_bytes(bytes(data))


def _gzip_bomb(decoded: int) -> Callable:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = b" " * 2**20
    body = b"".join(packer.compress(zeros) for _ in range(decoded // len(zeros))) + packer.flush()

    def behave(conn, server) -> None:
        conn.sendall(_head("200 OK", {"Content-Type": "application/json", "Content-Encoding": "gzip",
                                      "Content-Length": str(len(body))}) + body)

    return behave


def run_case(case: Case) -> Result:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if case.prepare:
            case.prepare(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZE_", "OPENAI_", "HF_", "ARXIV_"))}
        env["PYTHONPATH"] = str(ROOT)
        server = HostileServer() if case.server else None
        llm = OpenAITestServer(api_key=DUMMY_KEY, latency=0.05) if "llm" in case.args else None
        try:
            if server:
                for path, behaviour in case.server.items():
                    server.on(path, behaviour)
                server.__enter__()
                env["HF_ENDPOINT"] = server.base_url
                env["ARXIV_API_URL"] = server.base_url + "/api/query"
            if llm:
                llm.__enter__()
                env.update(OPENAI_BASE_URL=llm.base_url, OPENAI_API_KEY=DUMMY_KEY, SUMMARIZE_TIMEOUT="5")
            env.update(case.env or {})
            start = ["-c", PEAK + case.bootstrap + "\nfrom agent.cli import main; main()"]
            args = [a.replace("{tmp}", str(tmp)) for a in case.args]
            t0 = time.perf_counter()
            proc = subprocess.Popen([sys.executable, *start, *args], cwd=tmp, env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            if case.signal_when:
                limit = time.monotonic() + 60
                while proc.poll() is None and not case.signal_when(tmp, server) and time.monotonic() < limit:
                    time.sleep(0.01)
                proc.send_signal(signal.SIGTERM)
            stderr = proc.stderr.read().decode()  # type: ignore[union-attr]
            status = proc.wait()
            seconds = time.perf_counter() - t0
        finally:
            if server:
                server.__exit__(None, None, None)
            if llm:
                llm.__exit__(None, None, None)
        stderr = stderr.replace(str(tmp) + "/", "")
        lines = [line for line in stderr.splitlines() if line.startswith(("error:", "unusable:", "terminated"))]
        peak = [int(line.split()[1]) for line in stderr.splitlines() if line.startswith("VmHWM ")]
        return Result(case, status, seconds, peak[0] / 1024 if peak else float("nan"),
                      lines[0] if lines else "", "Traceback" in stderr, case.check(tmp) if case.check else "")


def today(*extra: str) -> list[str]:
    return ["today", "--date", "2026-06-12", "--engine", "rules", "--db", "{tmp}/s.db", "--out", "{tmp}/out", *extra]


def run_file(name: str) -> list[str]:
    return ["run", "{tmp}/" + name, "--engine", "rules", "--db", "{tmp}/s.db", "--out", "{tmp}/out"]


def cases(quick: bool) -> list[Case]:
    hf = {"paper": {"id": "2606.00001", "title": "Good", "summary": GOOD[0]["abstract"]}}
    out: list[Case] = []
    if not quick:
        out += [
            Case("source", "body dripped, a byte every 5 s", 3, today(), server={DAILY: drip_body(5.0, 40)}),
            Case("source", "headers dripped, a byte every 5 s", 3, today(), server={DAILY: drip_headers(5.0, 40)}),
        ]
    out += [
        Case("source", "2 GB body, length declared", 3, today(), server={DAILY: huge_declared(2 * 2**30)}),
        Case("source", "2 GB body, no length (chunked)", 3, today(), server={DAILY: endless_chunked(2 * 2**30)}),
        Case("source", "gzip body of 1 MB expanding to 1 GB", 3, today(), server={DAILY: _gzip_bomb(2**30)}),
        Case("source", "redirect to another host", 3, today(),
             server={DAILY: redirect("http://elsewhere.invalid/api/daily_papers")}),
        Case("source", "redirect loop on the same host", 3, today(), server={DAILY: redirect(DAILY)}),
        Case("source", "malformed JSON", 3, today(), server={DAILY: answer(b"[{\"paper\": ")}),
        Case("source", "HF API list with one item nested 100,000 deep", 1, today(),
             server={DAILY: answer(("[" + json.dumps(hf) + "," + TOO_DEEP + "]").encode())}, check=_papers_written),
        Case("source", "password in HF_ENDPOINT, source down", 3, today(), server={DAILY: answer(b"oops")},
             env={"HF_ENDPOINT": "PLACEHOLDER"}),
        Case("file", "JSONL: 54 good lines and one nested 100,000 deep", 2, run_file("deep.jsonl"),
             prepare=lambda t: _jsonl(t / "deep.jsonl", [json.dumps(p) for p in GOOD[:27]] + [
                 '{"title": "Deep", "abstract": "x", "e": ' + TOO_DEEP + "}"] + [json.dumps(p) for p in GOOD[27:]]),
             check=_papers_written),
        Case("file", "JSON list: an item nested 100,000 deep among 54", 2, run_file("deep.json"),
             prepare=lambda t: (t / "deep.json").write_text(
                 "[" + ",".join([json.dumps(p) for p in GOOD] + [TOO_DEEP]) + "]"), check=_papers_written),
        Case("file", "JSONL: a record nested 900 deep (parses, but too deep to keep)", 2, run_file("mid.jsonl"),
             prepare=lambda t: _jsonl(t / "mid.jsonl", [json.dumps(p) for p in GOOD] + [
                 json.dumps({"title": "Mid", "abstract": "y", "e": json.loads("[" * 900 + "]" * 900)})]),
             check=_papers_written),
        Case("file", "CSV: a bad byte on line 7 of 55", 2, run_file("bad.csv"),
             prepare=lambda t: (t / "bad.csv").write_bytes(b"\n".join(
                 [b"title,abstract"] + [f"{p['title']},{p['abstract']}".encode() for p in GOOD]).replace(
                 b"Serve5,", b"Serve\xff5,")), check=_papers_written),
        Case("file", "saved page: a bad byte in paper 24 of 54", 2, run_file("page.txt"),
             prepare=lambda t: (t / "page.txt").write_bytes((ROOT / "tests/data/hf_page_sample.txt").read_bytes().replace(
                 b"Densing Law", "D\xe9nsing Law".encode("cp1252"), 1)), check=_papers_written),
        Case("file", "JSONL: one line of 100 MB among 54", 2, run_file("long.jsonl"),
             prepare=lambda t: _long_line(t / "long.jsonl"),
             check=_papers_written),
        Case("file", "JSON document of 300 MB", 2, run_file("big.json"),
             prepare=lambda t: _big_document(t / "big.json")),
        Case("store", "read-only store", 2, run_file("papers.jsonl"), prepare=_filled_store, bootstrap=READ_ONLY,
             check=_saved),
        Case("store", "read-only store, export", 0, ["export", "--format", "csv", "--db", "{tmp}/s.db"],
             prepare=_filled_store, bootstrap=READ_ONLY),
        Case("store", "header overwritten", 2, run_file("papers.jsonl"),
             prepare=lambda t: (_filled_store(t), _damage(t / "s.db", 0, 100))),
        Case("store", "pages 4-12 overwritten", 2, ["export", "--format", "csv", "--db", "{tmp}/s.db"],
             prepare=lambda t: (_filled_store(t), _damage(t / "s.db", 4 * 4096, 8 * 4096))),
        Case("store", "a summary's JSON altered", 2, ["export", "--format", "jsonl", "--db", "{tmp}/s.db"],
             prepare=lambda t: (_filled_store(t), sqlite3.connect(t / "s.db").execute(
                 "UPDATE summaries SET summary = '{' WHERE rowid = 3").connection.commit())),
        Case("store", "disk full part-way through 400 papers", 2, run_file("many.jsonl"), bootstrap=SMALL_DISK,
             prepare=lambda t: _jsonl(t / "many.jsonl", [json.dumps(
                 {"title": f"Paper {i}", "abstract": " ".join(["Serving large models on many GPUs."] * 30)
                  + f" Paper {i} is {i + 2}x faster than vLLM."}) for i in range(400)]), check=_saved),
        Case("signal", "SIGTERM mid-run (llm engine, 80 papers)", 143,
             ["run", "{tmp}/p.jsonl", "--engine", "llm", "--db", "{tmp}/s.db", "--out", "{tmp}/out", "--concurrency", "4"],
             prepare=lambda t: write_jsonl(t / "p.jsonl", 80), check=_saved,
             signal_when=lambda t, s: "saved" in _saved(t) and int(_saved(t).split()[0]) >= 20),
        Case("signal", "SIGTERM while a source drips", 143, today(), server={DAILY: drip_body(1.0, 100)},
             signal_when=lambda t, s: bool(s and s.requests)),
    ]
    return out


def main(argv: list[str]) -> int:
    results = []
    for case in cases("--quick" in argv):
        if case.env and case.env.get("HF_ENDPOINT") == "PLACEHOLDER":
            case.env = None
            case.args = case.args  # the endpoint with a password is set below, once the server's port is known
            results.append(_password_case(case))
            continue
        results.append(run_case(case))
        print(f"  {case.name}: exit {results[-1].code}", file=sys.stderr)
    print("| kind | case | exit (expected) | time | peak RSS | traceback | what it says | kept |")
    print("| --- | --- | --- | ---: | ---: | --- | --- | --- |")
    for r in results:
        ok = "" if r.code == r.case.expect else " **unexpected**"
        print(f"| {r.case.group} | {r.case.name} | {r.code} ({r.case.expect}){ok} | {r.seconds:.1f} s | "
              f"{f'{r.rss_mib:.0f} MiB' if r.rss_mib > 0 else '—'} | {'yes' if r.traceback else 'no'} | "
              f"`{r.first_error}` | {r.kept} |")
    bad = [r for r in results if r.code != r.case.expect or r.traceback]
    print(f"\n{len(results)} cases, {len(results) - len(bad)} with the expected exit code and no traceback")
    return 1 if bad else 0


def _password_case(case: Case) -> Result:
    """As run_case, with HF_ENDPOINT carrying a password; the result says whether it was printed."""
    server = HostileServer().on(DAILY, answer(b"oops"))
    with server:
        endpoint = f"http://reader:s3cret-pw@127.0.0.1:{server.port}"
        with tempfile.TemporaryDirectory() as name:
            env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZE_", "OPENAI_", "HF_"))}
            env.update(PYTHONPATH=str(ROOT), HF_ENDPOINT=endpoint)
            args = [a.replace("{tmp}", name) for a in case.args]
            t0 = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-m", "agent", *args], cwd=name, env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            stdout, stderr = proc.communicate()
            seconds = time.perf_counter() - t0
    text = (stdout + stderr).decode().replace(name + "/", "")
    lines = [line for line in text.splitlines() if line.startswith("error:")]
    kept = "password not printed" if "s3cret-pw" not in text else "**password printed**"
    return Result(case, proc.returncode, seconds, 0.0, lines[0] if lines else "", "Traceback" in text, kept)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
