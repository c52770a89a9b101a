"""The CLI: `summarize profile ...`, and --profile/--interests/--min-relevance on run and export."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli import app

SAMPLE = str(Path(__file__).parent.parent / "data" / "hf_page_sample.txt")
runner = CliRunner()


@pytest.fixture(autouse=True)
def config(tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMARIZE_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.delenv("SUMMARIZE_EMBED_URL", raising=False)
    monkeypatch.delenv("SUMMARIZE_RELEVANCE", raising=False)


def cli(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "s.db"
    assert cli("run", SAMPLE, "--engine", "rules", "--db", str(path), "--out", str(tmp_path / "plain")).exit_code == 0
    return path


def test_profiles_are_added_listed_shown_extended_and_removed(tmp_path):
    r = cli("profile", "add", "sys", "--interests", "LLM serving, KV cache")
    assert r.exit_code == 0 and "profile sys: 2 interests, 0 papers" in r.stderr
    assert cli("profile", "add", "sys", "--interests", "KV cache; speculative decoding").exit_code == 0
    assert cli("profile", "list").stdout == "sys: LLM serving; KV cache; speculative decoding (0 papers)\n"
    shown = cli("profile", "show", "sys").stdout
    assert shown.startswith(f"# {tmp_path / 'cfg' / 'profiles' / 'sys.toml'}\n")
    assert 'interests = ["LLM serving", "KV cache", "speculative decoding"]' in shown
    assert cli("profile", "remove", "sys").exit_code == 0
    r = cli("profile", "show", "sys")
    assert r.exit_code == 2 and r.stderr.strip() == "error: no profile named 'sys' (known: none yet; `summarize profile add sys ...` makes one)"


def test_a_profile_from_your_bibtex_and_from_papers_in_the_store(tmp_path, db):
    bib = tmp_path / "mine.bib"
    bib.write_text("@article{a, title={Federated fine-tuning of LLMs on phones}, abstract={We fine-tune.}}\n")
    r = cli("profile", "add", "me", "--from", str(bib), "--paper", "Llumnix", "--db", str(db))
    assert r.exit_code == 0, r.stderr
    assert "1 papers" not in r.stderr and "2 papers" in r.stderr
    top = cli("profile", "rank", "me", "--db", str(db), "--top", "3").stdout.splitlines()
    assert "close to: " in top[1]
    ids = tmp_path / "ids.txt"
    ids.write_text("2309.06180\n")
    r = cli("profile", "add", "me", "--from", str(ids), "--db", str(db))
    assert r.exit_code == 2 and "1 arXiv ids are not in the store (2309.06180)" in r.stderr


def test_run_with_interests_sorts_the_outputs_and_opens_the_digest_with_for_you(tmp_path):
    out = tmp_path / "out"
    r = cli("run", SAMPLE, "--engine", "rules", "--db", str(tmp_path / "s.db"), "--out", str(out),
            "--interests", "federated fine-tuning of large language models")
    assert r.exit_code == 0, r.stderr
    digest = (out / "digest.md").read_text()
    head = digest.split("\n## ")[1]
    assert head.startswith("For you (")
    assert sum("ederated" in line for line in head.splitlines()[2:9] if line.startswith("- ")) >= 4
    assert "_relevance 0." in head and "matches: federated fine-tuning of large language models" in head
    assert digest.count("- [") == 54  # each paper once: the "for you" ones are not repeated below
    first = (out / "papers.jsonl").read_text().splitlines()[0]
    assert "ederated" in first.split('"title":')[1][:120]
    with sqlite3.connect(tmp_path / "s.db") as con:
        assert con.execute("SELECT COUNT(*) FROM relevance WHERE profile = '--interests'").fetchone()[0] == 54


def test_min_relevance_leaves_out_the_rest_and_needs_a_profile(tmp_path, db):
    r = cli("export", "--db", str(db), "--format", "tldr", "--interests", "federated learning", "--min-relevance", "0.3")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert 3 <= len(lines) < 54 and all("ederated" in line or "FL" in line for line in lines[:3])
    r = cli("export", "--db", str(db), "--format", "tldr", "--min-relevance", "0.3")
    assert r.exit_code == 2 and r.stderr.strip() == "error: --min-relevance needs --profile or --interests"
    r = cli("run", SAMPLE, "--engine", "rules", "--db", str(db), "--min-relevance", "0.3")
    assert r.exit_code == 2 and "needs --profile or --interests" in r.stderr


def test_an_unknown_profile_fails_before_anything_is_summarised(tmp_path):
    r = cli("run", SAMPLE, "--engine", "rules", "--db", str(tmp_path / "s.db"), "--profile", "nope")
    assert r.exit_code == 2 and r.stderr.startswith("error: no profile named 'nope'")
    assert not (tmp_path / "s.db").exists()


def test_the_html_page_opens_with_for_you_and_says_why(tmp_path, db):
    assert cli("profile", "add", "sys", "--interests", "LLM serving systems").exit_code == 0
    page = tmp_path / "p.html"
    assert cli("export", "--db", str(db), "--profile", "sys", "-o", str(page)).exit_code == 0
    html = page.read_text()
    assert html.index('id="for-you"') < html.index("<h2>", html.index('id="for-you"') + 30)
    assert '<p class="why">relevance 0.' in html and "matches: LLM serving systems" in html


def test_profile_rank_lists_the_best_papers_with_why_and_as_json(db):
    r = cli("profile", "rank", "--interests", "KV cache management", "--db", str(db), "--top", "2")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert len(lines) == 4 and lines[0].startswith("0.") and "KV Cache" in lines[0]
    assert lines[1].strip().startswith("matches: KV cache management (words: ")
    j = cli("profile", "rank", "--interests", "KV cache management", "--db", str(db), "--json")
    assert '"near_duplicates": []' in j.stdout and '"why": "matches: KV cache management' in j.stdout


def test_a_run_flags_a_paper_the_store_already_has_under_another_title_in_its_digest_and_show(tmp_path, db):
    import json as _json

    from agent.sources.files import iter_source

    llumnix = [p for p in iter_source(SAMPLE) if p.title.startswith("Llumnix")][0]
    sentences = llumnix.abstract.split(". ")
    twin = tmp_path / "twin.jsonl"
    twin.write_text(_json.dumps({"title": "Runtime rescheduling of LLM inference requests across model instances",
                                 "abstract": ". ".join(sentences[1:]) + " Code is released."}) + "\n")
    r = cli("run", str(twin), "--engine", "rules", "--db", str(db), "--out", str(tmp_path / "o"))
    assert r.exit_code == 0
    flagged = [line for line in r.stderr.splitlines() if line.startswith("possible duplicate: ")]
    assert len(flagged) == 1 and llumnix.id in flagged[0] and "the same work under two titles?" in flagged[0]
    j = cli("run", str(twin), "--engine", "rules", "--db", str(db), "--out", str(tmp_path / "o"), "--json")
    assert _json.loads(j.stdout)["near_duplicates"][0][0] == llumnix.id
    digest = (tmp_path / "o" / "digest.md").read_text()
    note = [line for line in digest.splitlines() if "*same work as*" in line]
    assert len(note) == 1 and note[0].startswith("  - *same work as* Llumnix: Dynamic Scheduling")
    assert f"({llumnix.id}; likeness 0." in note[0]
    shown = cli("show", "Llumnix", "--db", str(db)).stdout.split("same work as (possibly a duplicate):\n")
    assert len(shown) == 2 and shown[1].startswith("  Runtime rescheduling of LLM inference requests")
    plain = cli("show", "Parrot", "--db", str(db)).stdout
    assert "same work as" not in plain  # a paper with no twin says nothing


def test_show_lists_the_stored_scores_of_a_paper(db):
    assert cli("profile", "rank", "--interests", "dynamic scheduling for LLM serving", "--db", str(db)).exit_code == 0
    out = cli("show", "Llumnix", "--db", str(db)).stdout
    assert "relevance (stored):" in out
    assert "  --interests  0." in out and "matches: dynamic scheduling for LLM serving" in out


def test_a_bad_relevance_backend_fails_before_anything_is_summarised(tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMARIZE_RELEVANCE", "openai")
    r = cli("run", SAMPLE, "--engine", "rules", "--db", str(tmp_path / "s.db"), "--interests", "federated learning")
    assert r.exit_code == 2 and r.stderr.strip() == (
        "error: the openai relevance backend needs SUMMARIZE_EMBED_URL (an OpenAI-compatible …/v1 URL)")
    assert not (tmp_path / "s.db").exists()


def test_find_with_a_profile_puts_the_relevant_matches_first_and_says_why(db):
    plain = cli("find", "LLM", "--db", str(db), "--limit", "3")
    assert plain.exit_code == 0 and "relevance" not in plain.stdout
    r = cli("find", "LLM", "--db", str(db), "--limit", "3", "--interests", "federated fine-tuning")
    assert r.exit_code == 0, r.stderr
    titles = [line for line in r.stdout.splitlines() if not line.startswith(" ")]
    why = [line.strip() for line in r.stdout.splitlines() if line.strip().startswith("relevance ")]
    assert len(titles) == 3 and all("ederated" in t for t in titles)
    assert len(why) == 3 and why[0].startswith("relevance 0.") and "matches: federated fine-tuning" in why[0]
    r = cli("find", "LLM", "--db", str(db), "--min-relevance", "0.5")
    assert r.exit_code == 2 and "--min-relevance needs --profile or --interests" in r.stderr
