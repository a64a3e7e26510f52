"""The ``rasid`` command."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from rasid import ingest
from rasid.arabic.dates import parse_published
from rasid.export import export, record_from_dict
from rasid.model import Record
from rasid.pipeline import failed, run
from rasid.store import DEFAULT_DB, SearchQuery, Store, StoreError, open_store
from rasid.store.base import BatchResult, QuoteQuery
from rasid.store.ingest import DEFAULT_BATCH
from rasid.store.ingest import ingest as store_ingest

app = typer.Typer(
    name="rasid",
    help="rasid (راصد): clean Arabic news articles and what they say, from raw pages.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_stderr = Console(stderr=True, highlight=False)
_T = TypeVar("_T")


@app.callback()
def _root() -> None:
    """rasid (راصد): clean Arabic news articles and what they say, from raw pages."""


# Below this many documents a progress bar is noise.
_PROGRESS_MIN_DOCUMENTS = 6


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    text = "text"


def _record_json(record: Record) -> str:
    return json.dumps(record.to_dict(), ensure_ascii=False)


def _record_text(record: Record) -> str:
    """The clean article for a person to read."""
    head = [f"# {record.title}" if record.title else "# (no title)"]
    facts = []
    if record.author:
        facts.append(f"بقلم: {record.author.name}")
    if record.published:
        facts.append(record.published)
    if record.source.url or record.source.path:
        facts.append(record.source.url or record.source.path or "")
    if facts:
        head.append(" | ".join(facts))
    body = []
    for block in record.blocks:
        part = record.text[block.start : block.end]
        body.append(f"## {part}" if block.kind == "heading" else part)
    tail = [f"- {related.title}" for related in record.related]
    sections = ["\n".join(head), "\n\n".join(body)]
    if tail:
        sections.append("ذات صلة:\n" + "\n".join(tail))
    return "\n\n".join(s for s in sections if s) + "\n\n" + "─" * 40 + "\n"


class _Writer:
    def __init__(self, out: TextIO, fmt: OutputFormat) -> None:
        self.out, self.fmt, self.count = out, fmt, 0

    def __enter__(self) -> _Writer:
        if self.fmt is OutputFormat.json:
            self.out.write("[")
        return self

    def write(self, record: Record) -> None:
        if self.fmt is OutputFormat.jsonl:
            self.out.write(_record_json(record) + "\n")
        elif self.fmt is OutputFormat.json:
            self.out.write(("," if self.count else "") + "\n" + _record_json(record))
        else:
            self.out.write(_record_text(record))
        self.count += 1

    def __exit__(self, *exc: object) -> None:
        if self.fmt is OutputFormat.json:
            self.out.write("\n]\n")
        self.out.flush()


@contextmanager
def _progress(total: int | None, enabled: bool) -> Iterator[Progress | None]:
    if not enabled or (total is not None and total < _PROGRESS_MIN_DOCUMENTS):
        yield None
        return
    columns = [
        TextColumn("[bold]rasid[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[rate]} docs/s"),
    ]
    with Progress(*columns, console=_stderr, transient=False) as progress:
        yield progress


def _report(record: Record) -> None:
    for error in record.errors:
        _stderr.print(f"[red]error[/red] {record.source.describe()}: {error}", soft_wrap=True)


@app.command()
def extract(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders, .zip/.tar.gz archives, .warc(.gz) files, or - for stdin."
        ),
    ],
    published: Annotated[
        str | None,
        typer.Option(help="Publication date YYYY-MM-DD for every document (overrides the page)."),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="jsonl (default), json, or text.")
    ] = OutputFormat.jsonl,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    progress: Annotated[bool, typer.Option(help="Progress bar on stderr.")] = True,
) -> None:
    """Extract clean article records (the record contract, one JSON object per document)."""
    if published is not None and parse_published(published) is None:
        raise typer.BadParameter(
            f"not a date: {published!r} (use YYYY-MM-DD)", param_hint="--published"
        )
    total = ingest.count_hint(paths)
    failures = 0
    started = time.monotonic()
    with _progress(total, progress) as bar, _Writer(sys.stdout, output_format) as writer:
        task = bar.add_task("extract", total=total, rate="0.0") if bar else None
        for record in run(ingest.read(paths), workers=workers, published=published):
            writer.write(record)
            if record.errors:
                _report(record)
            if failed(record):
                failures += 1
            if bar is not None and task is not None:
                elapsed = max(time.monotonic() - started, 1e-6)
                bar.update(task, advance=1, rate=f"{writer.count / elapsed:.1f}")
    if failures:
        _stderr.print(f"{failures} of {writer.count} documents failed")
        raise typer.Exit(code=1)


# ---- the intelligence base (issue 6) -------------------------------------------------------

_DB_HELP = "The base: a SQLite file (default rasid.db) or a postgresql:// URL."
_JSON_HELP = "JSON on stdout, for scripts."
_out = Console(highlight=False, soft_wrap=True)


def _open(db: str, *, create: bool = False, timeout: float = 10.0) -> Store:
    try:
        return open_store(db, create=create, timeout=timeout)
    except StoreError as error:
        _stderr.print(f"[red]error[/red] {error}")
        raise typer.Exit(code=2) from error


@contextmanager
def _store(db: str, *, create: bool = False, timeout: float = 10.0) -> Iterator[Store]:
    store = _open(db, create=create, timeout=timeout)
    try:
        yield store
    except StoreError as error:
        _stderr.print(f"[red]error[/red] {error}")
        raise typer.Exit(code=2) from error
    finally:
        store.close()


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _found(value: _T | None, what: str, key: str, db: str) -> _T:
    """``value``, or exit 1 saying the base has no such ``what``."""
    if value is None:
        _stderr.print(f"no {what} {key!r} in {db}")
        raise typer.Exit(code=1)
    return value


def _check_date(value: str | None, name: str) -> str | None:
    if value is not None and parse_published(value) is None:
        raise typer.BadParameter(f"not a date: {value!r} (use YYYY-MM-DD)", param_hint=name)
    return value


@app.command("ingest")
def ingest_command(
    paths: Annotated[list[str], typer.Argument(help="What to read (as for `rasid extract`).")],
    db: Annotated[str, typer.Option(help=_DB_HELP)] = DEFAULT_DB,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    batch: Annotated[int, typer.Option(min=1, help="Records per transaction.")] = DEFAULT_BATCH,
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD for every document.")
    ] = None,
    wait: Annotated[
        float, typer.Option(help="Seconds to wait for a base locked by another process.")
    ] = 10.0,
    progress: Annotated[bool, typer.Option(help="Progress bar on stderr.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="The summary as JSON.")] = False,
) -> None:
    """Extract, annotate and store documents. Re-running stores nothing twice and finishes an
    interrupted run."""
    _check_date(published, "--published")
    total = ingest.count_hint(paths)
    started = time.monotonic()
    done = 0
    with _store(db, create=True, timeout=wait) as store, _progress(total, progress) as bar:
        task = bar.add_task("ingest", total=total, rate="0.0") if bar else None

        def advance(result: BatchResult) -> None:
            nonlocal done
            n = result.stored + result.duplicates + result.failed + result.skipped
            done += n
            if bar is not None and task is not None:
                elapsed = max(time.monotonic() - started, 1e-6)
                bar.update(task, advance=n, rate=f"{done / elapsed:.1f}")

        try:
            result = store_ingest(
                paths,
                store,
                workers=workers,
                batch_size=batch,
                published=published,
                on_batch=advance,
            )
        except KeyboardInterrupt:
            _stderr.print("interrupted: every committed batch is kept; run again to finish")
            raise typer.Exit(code=130) from None
        stats = store.stats()
    elapsed = max(time.monotonic() - started, 1e-6)
    summary = {
        **result.to_dict(),
        "seconds": round(elapsed, 2),
        "docs_per_second": round(done / elapsed, 1),
        "db": db,
        "articles_in_base": stats.articles,
        "stories_in_base": stats.stories,
    }
    if as_json:
        _print_json(summary)
    else:
        _stderr.print(
            f"stored {result.stored}, duplicates {result.duplicates}, failed {result.failed}, "
            f"already in the base {result.skipped} — {done} documents in {elapsed:.1f} s "
            f"({done / elapsed:.1f} docs/s); {db} now holds {stats.articles} articles"
        )
    if result.failed:
        raise typer.Exit(code=1)


@app.command("search")
def search_command(
    query: Annotated[str, typer.Argument(help="Words or «phrases»; any spelling.")] = "",
    db: Annotated[str, typer.Option(help=_DB_HELP)] = DEFAULT_DB,
    date_from: Annotated[str | None, typer.Option("--from", help="From date YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="To date YYYY-MM-DD.")] = None,
    site: Annotated[str | None, typer.Option(help="Only this site.")] = None,
    entity: Annotated[str | None, typer.Option(help="Only articles mentioning it.")] = None,
    event_type: Annotated[
        str | None, typer.Option("--type", help="Only articles with a PLOVER event type.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="Hits per page.")] = 20,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many hits.")] = 0,
    facets: Annotated[bool, typer.Option(help="Counts by site, event type, entity.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help=_JSON_HELP)] = False,
) -> None:
    """Arabic full-text search across spelling variants, best first."""
    _check_date(date_from, "--from")
    _check_date(date_to, "--to")
    q = SearchQuery(
        text=query,
        date_from=date_from,
        date_to=date_to,
        site=site,
        entity=entity,
        type=event_type,
        limit=limit,
        offset=offset,
        facets=facets,
    )
    with _store(db) as store:
        page = store.search(q)
    if as_json:
        _print_json(page.to_dict())
        return
    _out.print(f"{page.total}{'' if page.total_exact else '+'} articles")
    for n, hit in enumerate(page.hits, start=offset + 1):
        _out.print(f"\n[bold]{n}. {escape(hit.title or '(no title)')}[/bold]")
        _out.print(f"   {hit.id} | {hit.published or '—'} | {hit.site or '—'} | story {hit.story}")
        passage = Text("   " + hit.snippet)
        for start, end in hit.highlights:
            passage.stylize("reverse", start + 3, end + 3)
        _out.print(passage)
    for name, counts in page.facets.items():
        if counts:
            _out.print(f"\n{name}: " + ", ".join(f"{escape(v)} ({c})" for v, c in counts))


@app.command("show")
def show_command(
    record_id: Annotated[str, typer.Argument(help="An article id (or any source's id).")],
    db: Annotated[str, typer.Option(help=_DB_HELP)] = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help=_JSON_HELP)] = False,
) -> None:
    """One stored record, with its story and every source of the same text."""
    with _store(db) as store:
        record = _found(store.get(record_id), "record", record_id, db)
    if as_json:
        _print_json(record)
        return
    sys.stdout.write(_record_text(record_from_dict(record)))
    sys.stdout.write(f"story: {record['story']}\n")
    for source in record["sources"]:
        sys.stdout.write(
            f"source: {source['id']} {source.get('site') or ''} "
            f"{source.get('url') or source.get('path') or ''} {source.get('published') or ''}\n"
        )


@app.command("entities")
def entities_command(
    db: Annotated[str, typer.Option(help=_DB_HELP)] = DEFAULT_DB,
    entity_type: Annotated[
        str | None, typer.Option("--type", help="PER, LOC, ORG, WEAPON …")
    ] = None,
    top: Annotated[int, typer.Option(min=1, help="How many.")] = 50,
    name: Annotated[
        str | None, typer.Option("--name", help="One entity: aliases, timeline, co-mentions.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_JSON_HELP)] = False,
) -> None:
    """The most mentioned entities (by number of articles), or one entity in detail."""
    with _store(db) as store:
        if name is not None:
            detail = _found(store.entity(name), "entity", name, db)
            if as_json:
                _print_json(detail.to_dict())
                return
            e = detail.entity
            _out.print(
                f"{escape(e.name)} ({e.type}) {e.id}: {e.articles} articles, {e.mentions} mentions"
            )
            _out.print("aliases: " + ", ".join(f"{escape(a)} ({c})" for a, c in detail.aliases))
            _out.print(
                "with: " + ", ".join(f"{escape(o.name)} ({c})" for o, c in detail.co_mentioned)
            )
            return
        rows = store.entities(type=entity_type, top=top)
    if as_json:
        _print_json([row.to_dict() for row in rows])
        return
    for row in rows:
        _out.print(
            f"{row.articles:6d} {row.mentions:7d}  {row.type:7s} {escape(row.name)}"
            f"  [dim]{escape(row.id)}[/dim]"
        )


@app.command("quotes")
def quotes_command(
    db: Annotated[str, typer.Option(help=_DB_HELP)] = DEFAULT_DB,
    speaker: Annotated[str | None, typer.Option(help="Speaker name, any spelling.")] = None,
    entity: Annotated[str | None, typer.Option(help="Speaker entity id.")] = None,
    story: Annotated[str | None, typer.Option(help="Story id.")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help=_JSON_HELP)] = False,
) -> None:
    """Who said what, newest first."""
    with _store(db) as store:
        rows = store.quotes(QuoteQuery(speaker=speaker, entity=entity, story=story, limit=limit))
    if as_json:
        _print_json(rows)
        return
    for q in rows:
        who = (q.get("speaker") or {}).get("name") if isinstance(q.get("speaker"), dict) else None
        _out.print(f"[bold]{escape(who or '?')}[/bold]: «{escape(str(q.get('text')))}»")
        _out.print(f"   [dim]{q['article']} {q.get('site') or ''} {q.get('published') or ''}[/dim]")


@app.command("stories")
def stories_command(
    db: Annotated[str, typer.Option(help=_DB_HELP)] = DEFAULT_DB,
    top: Annotated[int, typer.Option(min=1, help="How many.")] = 20,
    story_id: Annotated[
        str | None, typer.Option("--id", help="One story: its outlets in publication order.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_JSON_HELP)] = False,
) -> None:
    """The largest story clusters: the same story carried by several outlets."""
    with _store(db) as store:
        if story_id is not None:
            detail = _found(store.story(story_id), "story", story_id, db)
            if as_json:
                _print_json(detail.to_dict())
                return
            _out.print(f"[bold]{escape(detail.story.title or '')}[/bold] ({detail.story.size})")
            for m in detail.members:
                _out.print(
                    f"  {m.get('published') or '—'}  {m.get('site') or '—'}  "
                    f"{escape(m.get('title') or '')}  [dim]{m['id']}[/dim]"
                )
            return
        rows = store.stories(top=top)
    if as_json:
        _print_json([row.to_dict() for row in rows])
        return
    for row in rows:
        _out.print(f"{row.size:4d}  {escape(row.title or '(no title)')}  [dim]{row.id}[/dim]")
        _out.print(
            f"      {row.first_published or '—'} → {row.last_published or '—'}: "
            + ", ".join(row.sites)
        )


@app.command("stats")
def stats_command(
    db: Annotated[str, typer.Option(help=_DB_HELP)] = DEFAULT_DB,
    failures: Annotated[int, typer.Option(min=0, help="Also list this many failures.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help=_JSON_HELP)] = False,
) -> None:
    """Counts of articles, sources, entities, quotes, events, clusters and failures."""
    with _store(db) as store:
        stats = store.stats()
        failed_docs = store.failures(failures) if failures else []
    if as_json:
        _print_json({**stats.to_dict(), "recent_failures": [f.to_dict() for f in failed_docs]})
        return
    for name, value in stats.to_dict().items():
        _out.print(f"{name:10s} {value:>10,}")
    for f in failed_docs:
        _out.print(f"[red]{f.stage}[/red] {escape(f.document)}: {escape(f.error)} ({f.time})")


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    geojson = "geojson"
    plover = "plover"


@app.command("export")
def export_command(
    export_format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.jsonl,
    db: Annotated[str, typer.Option(help=_DB_HELP)] = DEFAULT_DB,
    query: Annotated[str | None, typer.Option(help="Only records matching this search.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="From date YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="To date YYYY-MM-DD.")] = None,
    site: Annotated[str | None, typer.Option(help="Only this site.")] = None,
    out: Annotated[
        str | None,
        typer.Option("--out", "-o", help="Output file (folder for csv/parquet); default stdout."),
    ] = None,
) -> None:
    """Export records: jsonl (the record contract), csv and parquet tables (a folder), geojson
    (places and located events), plover (one event per line)."""
    _check_date(date_from, "--from")
    _check_date(date_to, "--to")
    selection = None
    if query or date_from or date_to or site:
        selection = SearchQuery(text=query or "", date_from=date_from, date_to=date_to, site=site)
    fmt = export_format.value
    if fmt in ("csv", "parquet") and not out:
        raise typer.BadParameter(
            f"{fmt} writes a folder of tables: give --out FOLDER", param_hint="--out"
        )
    with _store(db) as store:
        records = store.export_records(selection)
        try:
            n = export(records, fmt, Path(out) if out else sys.stdout)
        except OSError as error:
            if not out:
                raise  # stdout closed (``| head``): as for every other command
            # A file where a folder is asked for, a folder where a file is, no such folder.
            reason = error.strerror or type(error).__name__
            _stderr.print(
                f"[red]error[/red] cannot write {escape(str(out))}: {reason}", soft_wrap=True
            )
            raise typer.Exit(code=2) from error
    _stderr.print(f"exported {n} records as {fmt}" + (f" to {out}" if out else ""))


# ---- the analyst's desk (issue 7) ----------------------------------------------------------


@app.command("serve")
def serve_command(
    db: Annotated[str, typer.Option(help="The base: a SQLite file or a postgresql:// URL.")] = (
        "rasid.db"
    ),
    host: Annotated[
        str, typer.Option(help="Address to listen on; 127.0.0.1 keeps the desk on this machine.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="RASID_INGEST_TOKEN",
            help="Enables POST /api/ingest for requests carrying this token (off without it).",
        ),
    ] = None,
) -> None:
    """The web UI and the JSON API (under /api/) over a base, from one process."""
    # Imported here: the other commands need neither FastAPI nor uvicorn.
    import uvicorn

    from rasid.api import create_app
    from rasid.store import StoreError as _StoreError

    try:
        web = create_app(db, ingest_token=token)
    except _StoreError as error:
        _stderr.print(f"[red]error[/red] {error}")
        raise typer.Exit(code=2) from error
    shown = f"[{host}]" if ":" in host else host
    _stderr.print(f"rasid: serving {db} at http://{shown}:{port}/  (Ctrl-C stops)")
    if token:
        _stderr.print("POST /api/ingest is on (Authorization: Bearer <token>)")
    uvicorn.run(web, host=host, port=port, log_level="warning")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
