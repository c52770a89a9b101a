"""Commands that do not talk to an LLM never import its client (openai, instructor): it costs seconds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sample_store import make_db

HEAVY = ("openai", "instructor")

# Runs one command in a fresh interpreter and prints which of HEAVY it imported.
PROBE = """
import json, sys
from agent.cli import app
try:
    app(sys.argv[1:], prog_name="summarize")
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)), file=sys.__stderr__)
"""


def imported(args: list[str], cwd: Path) -> list[str]:
    proc = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120,
                          env={"PATH": "", "HOME": str(cwd), "PYTHONPATH": str(Path(__file__).parents[2])})
    return json.loads(proc.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [
    ["--help"],
    ["export", "--help"],
    ["batch", "prepare", "--help"],
    ["stats", "--db", "store.db"],
    ["show", "2503.00001", "--db", "store.db"],
    ["export", "--format", "jsonl", "--db", "store.db"],
    ["find", "vLLM", "--db", "store.db"],
])
def test_reading_commands_do_not_import_the_llm_client(args, tmp_path):
    make_db(tmp_path / "store.db")
    assert imported(args, tmp_path) == []


def test_a_rules_run_does_not_import_the_llm_client(tmp_path, data_dir):
    args = ["run", str(data_dir / "hf_page_sample.txt"), "--engine", "rules", "--db", "s.db", "--out", "out"]
    assert imported(args, tmp_path) == []
    assert (tmp_path / "out" / "papers.jsonl").is_file()  # the run did happen


def test_the_probe_sees_an_llm_import(tmp_path):
    """The check above can fail: a command that builds the llm engine does import the client."""
    args = ["run", "nothing.jsonl", "--engine", "llm", "--db", "s.db"]
    assert imported(args, tmp_path) == ["instructor", "openai"]


def test_batch_limits_shown_in_help_are_the_batch_library_limits():
    from agent import cli_batch
    from agent.batch import requests

    assert (cli_batch.MAX_REQUESTS_PER_FILE, cli_batch.MAX_BYTES_PER_FILE) == (
        requests.MAX_REQUESTS_PER_FILE, requests.MAX_BYTES_PER_FILE)


# Runs the console script's entry point and prints which modules of `watch` it imported.
MAIN_PROBE = """
import json, sys
from agent.cli import main
sys.argv = ["summarize", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {watch!r} if m in sys.modules)), file=sys.__stderr__)
"""


@pytest.mark.parametrize("args", [["export", "--help"], ["find", "--help"], ["profile", "rank", "--help"]])
def test_help_imports_neither_the_models_nor_pydantic(args, tmp_path):
    """A command's --help reads no record: what start-up costs beyond typer is our own CLI modules only."""
    watch = ("pydantic", "agent.models", "agent.store", "agent.pipeline", "agent.selection")
    proc = subprocess.run([sys.executable, "-c", MAIN_PROBE.format(watch=watch), *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120,
                          env={"PATH": "", "HOME": str(tmp_path), "PYTHONPATH": str(Path(__file__).parents[2])})
    assert "Usage: summarize" in proc.stdout
    assert json.loads(proc.stderr.strip().splitlines()[-1]) == []
