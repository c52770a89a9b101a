"""`summarize profile ...`: interest profiles (add, list, show, remove) and ranking the store against one
(`profile rank`). The --profile/--interests/--min-relevance options of the other commands are declared
here too, so each command adds them in one line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from agent.cli_common import DbOpt, JsonOpt, err, handle_errors, open_existing_store, parse_day, resolve_db
from agent.errors import InputError

ProfileOpt = Annotated[
    str | None, typer.Option("--profile", help="Rank by this interest profile (`summarize profile list`).")
]
InterestsOpt = Annotated[
    str | None, typer.Option("--interests", help="Rank by these interests, comma-separated (a one-off profile).")
]
MinRelevanceOpt = Annotated[
    float | None,
    typer.Option(
        "--min-relevance", min=0.0, max=1.0, help="With a profile: leave out papers scoring under this (0-1)."
    ),
]

app = typer.Typer(
    help="Interest profiles: rank the day's papers to what you read.", no_args_is_help=True, rich_markup_mode=None
)


def _clean(text: str) -> str:
    from agent.cli_store import _clean as clean

    return clean(text)


@app.command("add")
@handle_errors
def add(
    name: Annotated[str, typer.Argument(help="The profile's name (letters, digits, - _ .).")],
    interests: Annotated[
        str | None,
        typer.Option("--interests", help="Topics, comma-separated: 'speculative decoding, KV cache compression'."),
    ] = None,
    papers_file: Annotated[
        list[Path] | None,
        typer.Option(
            "--from", help="Your papers: BibTeX, CSL JSON, a Zotero CSV export, or one arXiv id a line. Repeatable."
        ),
    ] = None,
    paper: Annotated[
        list[str] | None,
        typer.Option("--paper", help="A paper in the store (id, URL or title) that you care about. Repeatable."),
    ] = None,
    db: DbOpt = None,
) -> None:
    """Create a profile, or add interests and papers to one.

    \b
    Example: summarize profile add systems --interests "LLM serving, KV cache compression" --from my.bib
    """
    from agent.relevance.profile import (
        Profile,
        check_name,
        load_profile,
        profile_path,
        read_papers_file,
        save_profile,
        split_interests,
    )

    check_name(name)
    path = profile_path(name)
    profile = load_profile(name) if path.is_file() else Profile(name)
    profile.interests = list(dict.fromkeys(profile.interests + split_interests(interests or "")))
    ids: list[str] = []
    for f in papers_file or []:
        found, arxiv_ids = read_papers_file(f)
        known = {p.title.lower() for p in profile.papers}
        profile.papers += [p for p in found if p.title.lower() not in known]
        ids += arxiv_ids
    if ids or paper:
        from agent.cli_store import find_one

        if not resolve_db(db).is_file():
            raise InputError(
                f"{resolve_db(db)}: papers are looked up in the store, and there is none here "
                "(summarise them first, or pass --db)"
            )
        with open_existing_store(db) as store:
            missing = [i for i in ids if store.get_paper(i) is None]
            if missing:
                raise InputError(
                    f"{len(missing)} arXiv ids are not in the store ({', '.join(missing[:5])}); "
                    "summarise them first (summarize run/arxiv), or give a BibTeX file with abstracts"
                )
            ids += [find_one(store, q).id for q in paper or []]
        profile.store_papers = list(dict.fromkeys(profile.store_papers + ids))
    if profile.is_empty():
        raise InputError("give --interests, --from FILE or --paper: a profile needs something to rank by")
    saved = save_profile(profile)
    err(
        f"profile {name}: {len(profile.interests)} interests, {len(profile.papers) + len(profile.store_papers)} "
        f"papers ({saved})"
    )


@app.command("list")
@handle_errors
def list_(as_json: JsonOpt = False) -> None:
    """The profiles in the config directory."""
    from agent.relevance.profile import list_profiles, load_profile, profile_path

    rows = []
    for name in list_profiles():
        p = load_profile(name)
        rows.append(
            {
                "name": name,
                "interests": p.interests,
                "papers": len(p.papers) + len(p.store_papers),
                "path": str(profile_path(name)),
            }
        )
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        err(f"no profiles yet in {profile_path('x').parent} (summarize profile add NAME --interests ...)")
    for r in rows:
        typer.echo(f"{r['name']}: {_clean('; '.join(r['interests'])) or '-'} ({r['papers']} papers)")


@app.command("show")
@handle_errors
def show(name: Annotated[str, typer.Argument()]) -> None:
    """Print a profile's file (edit it there; the path is on the first line)."""
    from agent.relevance.profile import load_profile, profile_path

    load_profile(name)  # checks it parses
    path = profile_path(name)
    typer.echo(f"# {path}")
    typer.echo(path.read_text(encoding="utf-8"), nl=False)


@app.command("remove")
@handle_errors
def remove(name: Annotated[str, typer.Argument()]) -> None:
    """Delete a profile (scores already stored for it stay in the store)."""
    from agent.relevance.profile import load_profile, profile_path

    load_profile(name)
    profile_path(name).unlink()
    err(f"removed profile {name}")


@app.command("rank")
@handle_errors
def rank_command(
    name: Annotated[str | None, typer.Argument(help="The profile (or give --interests).")] = None,
    interests: InterestsOpt = None,
    top: Annotated[int, typer.Option("--top", min=1, help="How many papers to list.")] = 20,
    since: Annotated[str | None, typer.Option("--since", help="Papers published on or after YYYY-MM-DD.")] = None,
    min_relevance: MinRelevanceOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Rank the summarised papers in the store against a profile, with why each is there.

    \b
    Example: summarize profile rank systems --top 10
    """
    from agent.relevance.service import near_duplicates, profile_from_options, rank_records

    profile = profile_from_options(name, interests)
    if profile is None:
        raise InputError("name a profile or give --interests")
    day = parse_day("--since", since)
    with open_existing_store(db) as store:
        records = list(store.records(since=day.isoformat() if day else None))
        ranked, ranking = rank_records(store, records, profile, min_relevance=min_relevance)
        dupes = near_duplicates(records)
    rows = [
        {
            "id": r.id,
            "title": r.title,
            "url": r.url,
            "score": ranking.scores[r.id].score,
            "why": ranking.scores[r.id].explanation(),
        }
        for r in ranked[:top]
        if r.id in ranking.scores
    ]
    if as_json:
        typer.echo(
            json.dumps(
                {"profile": profile.name, "papers": rows, "near_duplicates": [list(d) for d in dupes]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for row in rows:
        typer.echo(f"{row['score']:.2f}  {_clean(row['title'])} ({row['id']})\n      {_clean(row['why'])}")
    for a, b, sim in dupes:
        typer.echo(f"possible duplicates ({sim:.2f}): {a} and {b}")
    if not rows:
        err("no paper matches the profile" + (" at that --min-relevance" if min_relevance else ""))


def ranked_or_not(
    store: Any, records: list[Any], profile_name: str | None, interests: str | None, min_relevance: float | None
) -> tuple[list[Any], Any]:
    """For the commands with --profile/--interests: the records sorted by relevance and the ranking, or
    the records as they were and None when no profile was given."""
    from agent.relevance.service import profile_from_options, rank_records

    profile = profile_from_options(profile_name, interests)
    if profile is None:
        if min_relevance is not None:
            raise InputError("--min-relevance needs --profile or --interests")
        return records, None
    return rank_records(store, records, profile, min_relevance=min_relevance)


def register(main: typer.Typer) -> None:
    main.add_typer(app, name="profile")
