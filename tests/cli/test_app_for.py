"""`main()` converts only the command being run (`app_for`): that app must behave as the whole one."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from agent.cli import app, app_for

NAMES = [c.name or c.callback.__name__ for c in app.registered_commands] + [g.name for g in app.registered_groups]


def test_every_command_is_found_by_name():
    assert {"run", "today", "search", "arxiv", "export", "find", "show", "stats", "batch", "profile"} <= set(NAMES)
    for name in NAMES:
        assert app_for([name]) is not app, name


@pytest.mark.parametrize("name", NAMES)
def test_a_commands_help_is_the_same_as_in_the_whole_app(name):
    runner = CliRunner()
    whole = runner.invoke(app, [name, "--help"], prog_name="summarize")
    alone = runner.invoke(app_for([name]), [name, "--help"], prog_name="summarize")
    assert whole.exit_code == alone.exit_code == 0
    assert alone.output == whole.output


@pytest.mark.parametrize("args", [[], ["--help"], ["nosuchcommand"]])
def test_no_command_name_gets_the_whole_app(args):
    assert app_for(args) is app


def test_a_command_runs_through_its_own_app(tmp_path):
    result = CliRunner().invoke(app_for(["stats"]), ["stats", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    assert "no store here" in result.output
