"""The ``rasid`` command."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from rasid import ingest
from rasid.arabic.dates import parse_published
from rasid.model import Record
from rasid.pipeline import failed, run

app = typer.Typer(
    name="rasid",
    help="rasid (راصد): clean Arabic news articles and what they say, from raw pages.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_stderr = Console(stderr=True, highlight=False)


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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
