"""Build demo/crawl/demo.warc.gz from demo pages b01-b05 (rasid demo corpus).

The pages were written by the rasid project (fictional outlet الأفق الإخباري, factual public
events); this script wraps them as if a crawler had fetched them: one ``warcinfo`` record, then
one ``response`` record per page with an HTTP/1.1 header (``Content-Type: text/html;
charset=utf-8``), ``WARC-Target-URI`` = the page's canonical URL and a fixed ``WARC-Date``.

The output is deterministic: record ids are UUIDv5 of the URL, dates are fixed, and the gzip
members carry no timestamp, so rebuilding with the same warcio/zlib gives the same bytes.

    .venv/bin/python scripts/make_demo_warc.py            # writes demo/crawl/demo.warc.gz
    .venv/bin/python scripts/make_demo_warc.py -o x.warc.gz
"""

from __future__ import annotations

import argparse
import re
import uuid
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from io import BytesIO
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parents[1] / "demo"
PAGES = [
    "b01-bakhmut-fall.html",
    "b02-prigozhin-plane-crash.html",
    "b03-grain-deal-exit.html",
    "b04-derna-flood.html",
    "b05-kursk-incursion.html",
]
# Fixed crawl lag after publication, so every rebuild uses the same dates.
CRAWL_LAG = timedelta(hours=2, minutes=17)
WARCINFO_DATE = "2024-08-20T06:00:00Z"
NS = uuid.uuid5(uuid.NAMESPACE_URL, "https://rasid.example/demo-corpus")

_CANONICAL = re.compile(rb'<link rel="canonical" href="([^"]+)"')
_PUBLISHED = re.compile(rb'<meta property="article:published_time" content="([^"]+)"')


def record_id(name: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(NS, name)}>"


def warc_date(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build(out_path: Path) -> None:
    out_path.parent.mkdir(parents=True, exist_ok=True)
    info_id = record_id("warcinfo")
    with open(out_path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="1.0")
        info = (
            b"software: rasid scripts/make_demo_warc.py (warcio)\r\n"
            b"format: WARC File Format 1.0\r\n"
            b"description: rasid demo corpus - pages written by the rasid project for "
            b"demonstration; fictional outlet, factual public events told in the project's "
            b"own words\r\n"
            b"isPartOf: rasid-demo-corpus\r\n"
            b"operator: rasid project\r\n"
            b"robots: classic\r\n"
        )
        writer.write_record(
            writer.create_warc_record(
                "",
                "warcinfo",
                payload=BytesIO(info),
                length=len(info),
                warc_content_type="application/warc-fields",
                warc_headers_dict={
                    "WARC-Record-ID": info_id,
                    "WARC-Date": WARCINFO_DATE,
                    "WARC-Filename": out_path.name,
                },
            )
        )
        for name in PAGES:
            body = (HERE / "pages" / name).read_bytes()
            url = _CANONICAL.search(body).group(1).decode("ascii")
            published = datetime.fromisoformat(_PUBLISHED.search(body).group(1).decode("ascii"))
            fetched = published + CRAWL_LAG
            http = StatusAndHeaders(
                "200 OK",
                [
                    ("Date", format_datetime(fetched.astimezone(UTC), usegmt=True)),
                    ("Server", "nginx"),
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                    ("Last-Modified", format_datetime(published.astimezone(UTC), usegmt=True)),
                    ("Cache-Control", "public, max-age=300"),
                    ("Vary", "Accept-Encoding"),
                    ("X-Cache", "HIT"),
                ],
                protocol="HTTP/1.1",
            )
            rec = writer.create_warc_record(
                url,
                "response",
                payload=BytesIO(body),
                length=len(body),
                http_headers=http,
                warc_headers_dict={
                    "WARC-Record-ID": record_id(url),
                    "WARC-Date": warc_date(fetched),
                    "WARC-IP-Address": "192.0.2.10",
                    "WARC-Warcinfo-ID": info_id,
                },
            )
            writer.write_record(rec)


def summary(path: Path) -> None:
    with open(path, "rb") as fh:
        for rec in ArchiveIterator(fh):
            h = rec.rec_headers
            headers = rec.http_headers or h
            ctype = headers.get_header("Content-Type")
            uri = h.get_header("WARC-Target-URI") or ""
            print(f"{rec.rec_type:9} {h.get_header('WARC-Date')}  {ctype}  {uri}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", type=Path, default=HERE / "crawl" / "demo.warc.gz")
    args = ap.parse_args()
    build(args.output)
    summary(args.output)


if __name__ == "__main__":
    main()
