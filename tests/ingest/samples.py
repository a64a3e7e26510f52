"""Arabic sample texts (written for these tests) and helpers that build test inputs."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The repository root is two levels up (tests/ingest/…); shared data lives next to it.
REPO = Path(__file__).resolve().parents[2]
SHARED = (REPO / ".." / "shared").resolve()
CORPORA = SHARED / "data" / "corpora"

TITLE = "وزير الدفاع يتفقد الوحدات المرابطة على الحدود الشمالية"
PARAGRAPHS = [
    "تفقد وزير الدفاع صباح اليوم الثلاثاء الوحدات العسكرية المرابطة على الحدود الشمالية، "
    "واطلع على جاهزيتها القتالية واستعداداتها لمواجهة أي طارئ.",
    "وقال الوزير في تصريح للصحفيين إن القوات المسلحة تتابع التطورات الميدانية عن كثب، "
    "مؤكداً أن حماية الحدود أولوية لا تقبل المساومة.",
    "وأضاف أن وزارته ستعزز المراقبة الجوية خلال الأسابيع المقبلة بالتنسيق مع قيادة الأركان.",
]
BODY = "\n".join(PARAGRAPHS)

SECOND_TITLE = "الأمم المتحدة تدعو إلى هدنة إنسانية عاجلة في المدينة المحاصرة"
SECOND_BODY = (
    "دعا الأمين العام للأمم المتحدة مساء أمس إلى هدنة إنسانية عاجلة تسمح بإدخال المساعدات "
    "الطبية والغذائية إلى المدينة المحاصرة منذ ثلاثة أسابيع.\n"
    "وأكد المتحدث باسم المنظمة أن القوافل جاهزة للانطلاق فور الحصول على ضمانات أمنية."
)


def html_page(title: str = TITLE, paragraphs: list[str] | None = None, meta: str = "") -> str:
    """A small Arabic news page; ``meta`` is put into <head> (e.g. a charset declaration)."""
    body = "".join(f"<p>{p}</p>" for p in (paragraphs or PARAGRAPHS))
    return (
        '<!DOCTYPE html>\n<html lang="ar" dir="rtl"><head>'
        f"{meta}<title>{title}</title></head>"
        f"<body><nav>الرئيسية | سياسة | اقتصاد</nav><article><h1>{title}</h1>{body}"
        "</article><footer>جميع الحقوق محفوظة</footer></body></html>\n"
    )


def ant_doc(docno: str, title: str, body: str, *, abstract: str = "", author: str = "") -> str:
    return (
        "<DOC>\n"
        f"<DOCNO>{docno}</DOCNO>\n"
        f"<URL>https://www.example-news.net/ar/{docno}.html</URL>\n"
        "<SRC>ExampleNews</SRC>\n"
        "<CAT>internationalNews</CAT>\n"
        f"<TITLE>{title}</TITLE>\n"
        "<TIME>Fri, 13 Apr 2018 17:22:56 +0400</TIME>\n"
        f"<AUTHOR>{author}</AUTHOR>\n"
        f"<ABSTRACT>\n{abstract}\n</ABSTRACT>\n"
        f"<TEXT>\n{body}\n</TEXT>\n"
        "</DOC>\n"
    )


def warc_bytes(records: list[dict], *, gzip: bool = True) -> bytes:
    """A WARC built with warcio. Each record: ``type`` (response/resource/request/conversion),
    ``url``, ``body`` (bytes), and ``status``/``content_type`` for responses."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    for spec in records:
        kind = spec.get("type", "response")
        payload = io.BytesIO(spec["body"])
        if kind == "response":
            http = StatusAndHeaders(
                spec.get("status", "200 OK"),
                [("Content-Type", spec.get("content_type", "text/html; charset=utf-8"))],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                spec["url"], "response", payload=payload, http_headers=http
            )
        elif kind == "request":
            http = StatusAndHeaders(
                "GET / HTTP/1.1", [("Host", "example.com")], is_http_request=True
            )
            record = writer.create_warc_record(spec["url"], "request", http_headers=http)
        else:
            record = writer.create_warc_record(
                spec["url"],
                kind,
                payload=payload,
                warc_content_type=spec.get("content_type", "text/html"),
            )
        writer.write_record(record)
    return out.getvalue()
