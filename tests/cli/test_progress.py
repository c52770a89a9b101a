"""The progress line a terminal shows during a run, and what Ctrl-C says."""

from __future__ import annotations

import io
import json
import re
import signal

from rich.console import Console
from typer.testing import CliRunner

import agent.cli
from agent.cli import _progress, app, progress_line
from agent.engines.base import Engine, hashed_key
from agent.models import Summary
from agent.pipeline import RunStats

runner = CliRunner()


def test_with_a_known_total_it_says_n_of_n_rate_eta_failures_and_cost():
    stats = RunStats(summarised=8, cached=1, failed=1, cost_usd=0.0123)
    assert progress_line(stats, 40, 5.0, show_cost=True) == "10/40 papers, 2.0/s, ETA 0:15, 1 failed, $0.0123"


def test_without_a_total_it_counts_and_gives_the_rate_but_no_eta():
    stats = RunStats(summarised=3)
    assert progress_line(stats, None, 2.0, show_cost=False) == "3 papers, 1.5/s, 0 failed"


def test_skipped_papers_and_an_unknown_price_are_said():
    stats = RunStats(summarised=2, skipped=5, cost_known=False)
    assert progress_line(stats, 7, 1.0, show_cost=True) == "7/7 papers, 7.0/s, 0 failed, 5 skipped, cost unknown"


def test_on_a_terminal_the_line_is_drawn():
    screen = io.StringIO()
    update, stop = _progress(True, 4, show_cost=False, console=Console(file=screen, force_terminal=True, width=120))
    update(RunStats(summarised=3))
    stop()
    assert "3/4 papers" in screen.getvalue()


def test_piped_there_is_no_progress_at_all(data_dir):
    result = runner.invoke(app, ["run", str(data_dir / "hf_page_sample.txt"), "--engine", "rules", "--db", "s.db",
                                 "--out", "out", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["summarised"] == 54 and "papers," not in result.stderr


class InterruptedEngine(Engine):
    """Summarises two papers, then the user presses Ctrl-C (a real SIGINT, as the terminal sends it)."""

    name, model, prompt_version, checks_fields = "rules", None, None, False

    def __init__(self) -> None:
        self.calls = 0

    @property
    def concurrency(self) -> int:
        return 1

    def cache_key(self, paper):
        return hashed_key("interrupted", paper.content_hash())

    async def summarize(self, paper):
        self.calls += 1
        if self.calls == 3:
            signal.raise_signal(signal.SIGINT)
        return Summary(tldr="t"), None


def test_ctrl_c_says_how_many_papers_were_saved_and_where(monkeypatch, data_dir, tmp_path):
    monkeypatch.setattr(agent.cli, "choose_engine", lambda *a, **k: (InterruptedEngine(), "engine: test"))
    result = runner.invoke(app, ["run", str(data_dir / "hf_page_sample.txt"), "--db", "s.db", "--concurrency", "1"])
    assert result.exit_code == 130
    said = re.search(r"interrupted: (\d+) papers summarised and saved in s.db before Ctrl-C; run the same command "
                     r"again to resume", result.stderr)
    assert said, result.stderr
    saved = json.loads(runner.invoke(app, ["stats", "--db", "s.db", "--json"]).stdout)["summaries"]
    assert 2 <= saved < 54 and int(said.group(1)) == saved  # the count said is the count stored
