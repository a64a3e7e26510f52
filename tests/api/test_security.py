"""Pages from the web are untrusted. A page carrying <script>, onerror= handlers and
javascript: links is ingested through the API, then opened in a real browser: nothing runs,
and the hostile markup shows as plain text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from rasid.api import create_app
from rasid.store import open_store
from tests.api.conftest import Server, screenshot

TOKEN = "test-token-7f3a"

# A hostile page written for this test: every way a page could try to run code in the desk.
HOSTILE_HTML = """<!doctype html><html><head><meta charset="utf-8">
<title>&lt;script&gt;window.__pwned="title"&lt;/script&gt; اجتماع طارئ لمجلس الأمن</title>
<script>window.__pwned = "head";</script></head>
<body onload="window.__pwned='onload'">
<article>
<h1>&lt;img src=x onerror="window.__pwned='h1'"&gt; اجتماع طارئ لمجلس الأمن بشأن السودان</h1>
<p>عقد مجلس الأمن الدولي اجتماعاً طارئاً في نيويورك يوم الاثنين لبحث الأوضاع الإنسانية في
السودان، وقال المندوب الفرنسي إن "&lt;script&gt;window.__pwned='quote'&lt;/script&gt; الوضع لا يحتمل
التأجيل" بحسب ما نقلت وكالات الأنباء.</p>
<img src="x" onerror="window.__pwned='img'; alert('img')">
<p>وأضاف المندوب أن المساعدات يجب أن تصل إلى الخرطوم
<a href="javascript:window.__pwned='link'">اضغط هنا</a>
دون عوائق، <span onmouseover="window.__pwned='hover'">محذراً</span> من تدهور الأوضاع في دارفور.</p>
<p>&lt;a href="javascript:alert(1)"&gt;رابط&lt;/a&gt;
و" onmouseover="window.__pwned='attr' و' onfocus='window.__pwned=1'</p>
<iframe src="javascript:window.top.__pwned='iframe'"></iframe>
</article>
<ul class="related">
<li><a href="javascript:window.__pwned='related'">خبر مرتبط عن السودان</a></li></ul>
</body></html>"""

HOSTILE_JSON = {
    "url": "javascript:window.__pwned='url'",
    "title": "<img src=x onerror=\"window.__pwned='json-title'\"> هدنة في الفاشر",
    "text": "أعلنت الأمم المتحدة يوم الأحد التوصل إلى هدنة إنسانية في الفاشر لمدة أسبوع. "
    "</script><script>window.__pwned='json-text'</script> "
    "وقال المتحدث باسم المنظمة إن القوافل ستتحرك فوراً نحو المدينة المحاصرة.",
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, list[dict]]]:
    path = str(tmp_path_factory.mktemp("hostile") / "hostile.db")
    open_store(path).close()
    with Server(create_app(path, ingest_token=TOKEN)) as server:
        auth = {"authorization": f"Bearer {TOKEN}"}
        records = []
        for body, kind in (
            (HOSTILE_HTML.encode(), "text/html"),
            (json.dumps(HOSTILE_JSON, ensure_ascii=False).encode(), "application/json"),
        ):
            response = httpx.post(
                server.url + "/api/ingest",
                content=body,
                headers={**auth, "content-type": kind},
                timeout=60,
            )
            assert response.status_code == 201, response.text
            records.append(response.json())
        yield server, records


def assert_nothing_ran(tab: Any, dialogs: list[str]) -> None:
    assert tab.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []
    assert tab.locator("a[href^='javascript:' i]").count() == 0
    assert tab.locator("iframe, img[onerror], [onload], [onmouseover], [onfocus]").count() == 0


def test_hostile_pages_render_as_inert_text(hostile: tuple[Server, list[dict]], page: Any) -> None:
    server, records = hostile
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for n, record in enumerate(records):
        page.goto(f"{server.url}/article/{record['id']}")
        page.wait_for_load_state("networkidle")
        # Hover and click everything a reader might touch.
        for link in page.locator("#article a, #removed summary").all()[:20]:
            link.hover()
        page.locator("#removed summary").click()
        assert_nothing_ran(page, dialogs)
        screenshot(page, f"09-hostile-article-{n + 1}")
    # The hostile markup is shown as the text it is (last page opened: the JSON record).
    page.goto(f"{server.url}/article/{records[0]['id']}")
    assert "<img src=x onerror=" in page.locator("h1").inner_text()
    assert "<script>window.__pwned='quote'</script>" in page.locator("#article").inner_text()
    for url in ("/", "/search?q=السودان", "/search?q=الفاشر", "/quotes", "/events", "/stories"):
        page.goto(server.url + url)
        page.wait_for_load_state("networkidle")
        assert_nothing_ran(page, dialogs)
    screenshot(page, "10-hostile-search")


def test_hostile_text_is_escaped_in_the_html(hostile: tuple[Server, list[dict]]) -> None:
    server, records = hostile
    for record in records:
        html = httpx.get(f"{server.url}/article/{record['id']}", timeout=30).text
        assert "&lt;script&gt;" in html or "&lt;img" in html
        assert "<script>window" not in html
        assert 'onerror="window' not in html
        assert 'href="javascript:' not in html.lower()
        # Every script the page loads is our own file.
        for line in html.splitlines():
            if "<script" in line:
                assert line.strip().startswith('<script src="/static/'), line


def test_javascript_source_url_is_never_a_link(hostile: tuple[Server, list[dict]]) -> None:
    server, records = hostile
    json_record = records[1]
    html = httpx.get(f"{server.url}/article/{json_record['id']}", timeout=30).text
    assert 'href="javascript' not in html.lower()


def test_security_headers_on_pages_api_and_errors(hostile: tuple[Server, list[dict]]) -> None:
    server, _ = hostile
    for url in ("/", "/api/stats", "/article/missing", "/api/article/missing", "/static/app.js"):
        response = httpx.get(server.url + url, timeout=30)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"


def test_ingest_token_is_required_over_http(hostile: tuple[Server, list[dict]]) -> None:
    server, _ = hostile
    response = httpx.post(server.url + "/api/ingest", content=b"<p>x</p>", timeout=30)
    assert response.status_code == 401


def test_serve_binds_to_loopback_by_default() -> None:
    import inspect

    from rasid.cli import serve_command

    assert inspect.signature(serve_command).parameters["host"].default == "127.0.0.1"


def test_safe_url_keeps_only_web_links(tmp_path: Path) -> None:
    from rasid.api.views import safe_url

    assert safe_url("https://www.example.org/a?b=c") == "https://www.example.org/a?b=c"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<b>", "vbscript:x"):
        assert safe_url(bad) is None
    assert safe_url(None) is None
