"""`summarize run` streams the run's records from the store into the writers: none of them gets a list,
so memory does not grow with the length of the run (benchmarks/bench_memory.py measures it)."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from pathlib import Path

from typer.testing import CliRunner

from agent.cli import app
from agent.exporters import FORMATS
from agent.exporters.digest import write_digest
from tests.exporters.test_exporters import record

runner = CliRunner()


def test_digest_reads_a_generator_once_and_keeps_every_paper():
    consumed = []

    def records() -> Iterator:
        for pid, tag in (("2401.00001", "training"), ("2401.00002", "inference"), ("2401.00003", "training")):
            consumed.append(pid)
            yield record(pid, (tag,))

    out = io.StringIO()
    assert write_digest(records(), out) == 3
    assert consumed == ["2401.00001", "2401.00002", "2401.00003"]
    text = out.getvalue()
    assert "## training (2)" in text and "## inference (1)" in text
    assert text.index("Paper 2401.00001") < text.index("Paper 2401.00003") < text.index("Paper 2401.00002")


def test_run_hands_each_writer_a_one_pass_iterator_not_a_list(data_dir: Path, monkeypatch):
    seen: dict[str, tuple[bool, int]] = {}

    def spy(name, real):
        def writer(records, fh, options):
            one_pass = iter(records) is records  # an iterator (a generator), not a list or a tuple
            items = list(records)
            assert list(records) == []  # consumed: a second pass would see nothing
            seen[name] = (one_pass, len(items))
            return real(iter(items), fh, options)
        return writer

    for name in ("jsonl", "csv", "md"):
        fmt = FORMATS[name]
        monkeypatch.setitem(FORMATS, name, dataclasses.replace(fmt, writer=spy(name, fmt.writer)))
    result = runner.invoke(app, ["run", str(data_dir / "hf_page_sample.txt"), "--engine", "rules", "--db", "s.db",
                                 "--out", "out"])
    assert result.exit_code == 0, result.output
    assert seen == {name: (True, 54) for name in ("jsonl", "csv", "md")}
    assert len(Path("out/papers.jsonl").read_text().splitlines()) == 54
