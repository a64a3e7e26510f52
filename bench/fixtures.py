"""The pages the extraction benchmark reads, and what is expected of each.

Nothing here is copied from the data: the loaders read the shared data directory
(``<repo>/../shared/data``, read-only) at run time. The expectations that the upstream gold
files do not state (the assabah author and date, the CNN dates, the CNN comment-policy lines)
are written here by the project, each with the evidence it rests on, so a reader can audit them.
"""

from __future__ import annotations

import gzip
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO / ".." / "shared" / "data"

AEB_DIR = Path("html") / "scrapinghub-aeb"
ARABIC_DIR = Path("html") / "arabic-news-fixtures"


@dataclass(frozen=True, slots=True)
class Doc:
    """One HTML page as every system receives it: decoded text, its file and its URL."""

    id: str
    path: Path
    url: str | None
    html: str


@dataclass(frozen=True, slots=True)
class Snippet:
    text: str
    origin: str  # "gold" (the upstream fixture says so) or "project" (written here, see note)


@dataclass(frozen=True, slots=True)
class Fixture:
    """An Arabic page with what a correct extraction of it must give.

    ``body`` is the expected article text (None when the gold has none); ``author`` None means
    the page names no person as author; ``dates`` lists the accepted publication days
    (YYYY-MM-DD; the first is the one shown on the page); ``with_`` snippets must appear in the
    text and ``without`` snippets must not.
    """

    id: str
    doc: Doc
    title: str | None
    author: str | None
    dates: tuple[str, ...]
    body: str | None = None
    with_: tuple[Snippet, ...] = ()
    without: tuple[Snippet, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)


def read_html(path: Path) -> str:
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return f.read()
    return path.read_text(encoding="utf-8")


def _json(path: Path) -> dict:
    with path.open(encoding="utf-8") as f:
        return json.load(f)


# --- ScrapingHub article-extraction-benchmark ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class AebSet:
    docs: list[Doc]
    truth: dict[str, str]  # id -> articleBody
    references: dict[str, tuple[str, dict[str, str | None]]]  # name -> (version, id -> body)


def load_aeb(data: Path, limit: int | None = None) -> AebSet:
    """The 181 pages (sorted by id, the first ``limit`` of them), their ground truth and the
    published tools' predictions from ``output/*.json`` (always for every page)."""
    root = data / AEB_DIR
    ground = _json(root / "ground-truth.json")
    ids = sorted(ground)
    docs = [
        _doc(key, root / "html" / f"{key}.html.gz", ground[key].get("url")) for key in ids[:limit]
    ]
    truth = {key: ground[key].get("articleBody") or "" for key in ids}
    references: dict[str, tuple[str, dict[str, str | None]]] = {}
    for path in sorted((root / "output").glob("*.json")):
        payload = _json(path)
        version = ""
        # evaluate.py's load_prediction: files may be wrapped as {"version", "output"}.
        if isinstance(payload, dict) and set(payload) == {"version", "output"}:
            version = str(payload.get("version") or "")
            payload = payload["output"]
        references[path.stem] = (
            version,
            {key: (payload.get(key) or {}).get("articleBody") for key in ids},
        )
    return AebSet(docs, truth, references)


# Published figures (README of scrapinghub/article-extraction-benchmark, latest evaluation
# tables) for the prediction files shipped in output/: name -> (F1, precision, recall).
PUBLISHED_AEB: dict[str, tuple[float, float, float]] = {
    "trafilatura": (0.958, 0.938, 0.978),  # 2.0.0
    "readability": (0.922, 0.913, 0.931),  # readability-lxml 0.8.4.1
    "readability_js": (0.947, 0.914, 0.982),  # 0.6.0
    "go_domdistiller": (0.927, 0.901, 0.956),  # 25b8d04
    "goose3": (0.896, 0.940, 0.856),  # 3.1.20
    "justext": (0.804, 0.858, 0.756),  # 3.0.2
    "html-text": (0.665, 0.500, 0.994),  # 0.7.0
    "newspaper": (0.949, 0.964, 0.934),  # newspaper4k 0.9.3.1
    "news_please": (0.948, 0.964, 0.933),  # 1.6.16
    "boilerpipe": (0.860, 0.850, 0.870),  # ab3694d (Nov 2019)
    "dragnet": (0.907, 0.925, 0.889),  # 1b65e7b (Nov 2019)
}


# --- Arabic news fixtures -----------------------------------------------------------------------

# Comment-policy lines CNN Arabic prints above its comment box; newspaper4k's expected body
# (arabic_article.txt) does not contain them.
_CNN_COMMENT_POLICY = (
    Snippet("ترحب شبكة CNN بالنقاش الحيوي والمفيد", "project"),
    Snippet("الآراء الواردة أدناه لا تعبر عن رأي موقع CNN", "project"),
)


def _doc(doc_id: str, path: Path, url: str | None) -> Doc:
    return Doc(doc_id, path, url, read_html(path))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def load_arabic(data: Path) -> list[Fixture]:
    root = data / ARABIC_DIR
    fixtures: list[Fixture] = []

    # 1) trafilatura's eval entry for assabah.com.tn (hand-annotated by trafilatura's author).
    entry_url, entry = next(
        iter(_json(root / "trafilatura-assabah" / "evaldata-entry.json").items())
    )
    path = root / "trafilatura-assabah" / entry["file"]
    fixtures.append(
        Fixture(
            id="assabah",
            doc=_doc("assabah", path, entry_url),
            title=entry["title"],
            # The gold leaves author and date empty; the page has the byline "حوار: آسيا العتروس"
            # (DESIGN.md: such bylines move to ``author``) and dc:date 2019-02-08 ("الجمعة 8 فيفري
            # 2019").
            author="آسيا العتروس",
            dates=("2019-02-08",),
            with_=tuple(Snippet(s, "gold") for s in entry["with"]),
            without=(
                *(Snippet(s, "gold") for s in entry["without"]),
                Snippet("حوار: آسيا العتروس", "project"),
            ),
            notes=(
                "gold: title, with/without snippets (trafilatura tests/evaldata.json); "
                "author (byline) and date (dc:date) read off the page by the project; "
                "the byline must not stay in the text",
            ),
        )
    )

    # 2) newspaper4k's CNN Arabic regression fixture (expected body = newspaper4k's output).
    n4k = root / "newspaper4k-cnn-arabic"
    meta = _json(n4k / "arabic_article.metadata.json")
    cnn_body = (n4k / "arabic_article.txt").read_text(encoding="utf-8")
    cnn_title = meta["title"]
    fixtures.append(
        Fixture(
            id="cnn-n4k",
            doc=_doc("cnn-n4k", n4k / "arabic_article.html", meta.get("url")),
            title=cnn_title,
            author=(meta.get("authors") or [None])[0],
            # metadata.json has publish_date null. The story timestamp under the headline reads
            # "الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00"; the URL path says 2013/8/3.
            dates=("2013-08-28", "2013-08-03"),
            body=cnn_body,
            without=_CNN_COMMENT_POLICY,
            notes=(
                "gold: body (arabic_article.txt), title and authors=[] (metadata json); "
                "date from the page's story timestamp (json has none), URL date also accepted",
            ),
        )
    )

    # 3) goose3's snapshot of the same CNN Arabic article.
    goose = root / "goose3-cnn-arabic"
    expected = _json(goose / "test_cnn_arabic.json")
    fixtures.append(
        Fixture(
            id="cnn-goose3",
            doc=_doc("cnn-goose3", goose / "test_cnn_arabic.html", expected.get("url")),
            title=cnn_title,
            author=None,
            # Story timestamp "الأحد، 04 آب/اغسطس 2013، آخر تحديث 02:21 (GMT+0400)"; URL 2013/8/3.
            dates=("2013-08-04", "2013-08-03"),
            body=cnn_body,
            with_=(Snippet(_nfc(expected["expected"]["cleaned_text"]), "gold"),),
            without=_CNN_COMMENT_POLICY,
            notes=(
                "gold: cleaned_text prefix (goose3 json) as a 'with' snippet; body scored against "
                "newspaper4k's text of the same article (identical article text in both "
                "snapshots); title from newspaper4k's metadata",
            ),
        )
    )

    # 4) fundus' LBCGroup parser fixture.
    lbc = root / "fundus-lbcgroup"
    lbc_html = next(iter(_json(lbc / "meta.info").items()))
    lbc_gold = _json(lbc / "LBCGroup.json")["V1"]
    parts: list[str] = []
    for section in lbc_gold["body"]["sections"]:
        parts.extend(section.get("headline") or [])
        parts.extend(section.get("paragraphs") or [])
    fixtures.append(
        Fixture(
            id="lbc",
            doc=_doc("lbc", lbc / lbc_html[0], lbc_html[1].get("url")),
            title=lbc_gold["title"],
            # fundus gives no author; the page's only author markup is the outlet ("LBCI").
            author=None,
            dates=(lbc_gold["publishing_date"][:10],),
            body="\n\n".join([*lbc_gold["body"]["summary"], *parts]),
            notes=("gold: title, publishing_date, body sections (fundus LBCGroup.json)",),
        )
    )

    return fixtures
