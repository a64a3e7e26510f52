"""A base written by the release before the opening keys (fingerprint format rfp3, SQLite
schema 6, PostgreSQL schema 4) gains them when it is opened: every fingerprint is recomputed
and every article's LSH keys now include its opening keys, so outlets' rewrites that kept an
old agency story's opening and share no band of its text with it join the old story: one
that cut the rest short (mostly inside the agency's text: the containment route) and one that
closed with paragraphs of its own (only the near-identical openings route). Runs on SQLite
and on a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

import rasid.store.postgres as postgres_store
import rasid.store.sqlite as sqlite_store
from rasid.dedup import (
    DECISION,
    FORMAT,
    Fingerprint,
    Thresholds,
    article_keys,
    estimate,
    fingerprint,
    headline,
    opening_keys,
    same_story,
)
from rasid.model import Record
from rasid.store import open_store
from tests.store import records as r
from tests.store.rewind import read, rewind, signatures

# A wire story as the agency sent it, and an outlet's version under its own headline: the
# agency's opening paragraph kept word for word, the second cut short, the rest replaced by
# one closing line of its own. Little of the whole in common (Jaccard 0.27), but 0.82 of it
# inside the agency's text with its opening: it joins by containment, and only its opening
# keys make it a candidate.
OPENING = (
    "الرياض - واس: أعلنت وزارة الصحة اليوم الثلاثاء تسجيل انخفاض ملحوظ في عدد حالات الإصابة "
    "بحمى الضنك في محافظتي جدة ومكة المكرمة خلال الأسابيع الأربعة الماضية، بعد حملة رش واسعة "
    "نفذتها فرق مكافحة نواقل الأمراض بالتعاون مع أمانتي المحافظتين."
)
AGENCY = "\n\n".join(
    [
        OPENING,
        "وأوضح المتحدث الرسمي باسم الوزارة أن عدد الحالات المسجلة تراجع من مئة وعشرين حالة "
        "أسبوعياً في بداية الشهر الماضي إلى أقل من أربعين حالة في الأسبوع الأخير، مشيراً إلى أن "
        "الفرق الميدانية فحصت أكثر من خمسين ألف موقع لتجمع المياه الراكدة وأزالت آلاف الإطارات "
        "المهملة من الأحياء السكنية.",
        "ودعت الوزارة السكان إلى التخلص من المياه الراكدة في المنازل والحدائق، واستخدام "
        "الناموسيات وطارد البعوض، ومراجعة أقرب مركز صحي عند ظهور أعراض الحمى أو آلام المفاصل، "
        "مؤكدة أن الحملة ستستمر حتى نهاية موسم الأمطار.",
        "وبيّن المتحدث أن المختبرات الإقليمية في المحافظتين رفعت قدرتها على فحص العينات إلى ألف "
        "عينة يومياً، وأن نتائج الفحص باتت تصدر خلال أربع وعشرين ساعة بدلاً من ثلاثة أيام، ما "
        "ساعد الفرق الصحية على تتبع المخالطين ورصد البؤر الجديدة في وقت مبكر.",
        "وأشار إلى أن الوزارة وزعت أكثر من مئتي ألف نشرة توعوية باللغتين العربية والإنجليزية في "
        "المساجد والمدارس والأسواق، ونظمت محاضرات في المراكز الصحية عن طرق الوقاية من لسع "
        "البعوض، بمشاركة متطوعين من الجمعيات الخيرية في الأحياء الأكثر تضرراً.",
        "وكانت الوزارة قد أطلقت الحملة مطلع الشهر الماضي بمشاركة أكثر من ثلاثمئة عامل ومئة "
        "وخمسين مركبة مجهزة بمعدات الرش الضبابي.",
    ]
)
KEPT_OPENING = "\n\n".join(
    [
        OPENING,
        "وأوضح المتحدث الرسمي باسم الوزارة أن عدد الحالات المسجلة تراجع من مئة وعشرين حالة "
        "أسبوعياً في بداية الشهر الماضي إلى أقل من أربعين حالة في الأسبوع الأخير.",
        "وقال المتحدث إن الوزارة ستواصل العمل مع الأمانتين حتى يزول الخطر تماماً.",
    ]
)


# Another outlet's version that kept the agency's opening and second paragraph word for word
# (its first LEDE_WORDS words are the agency's), one more of its paragraphs, and closed with
# three of its own: a Jaccard of about 0.40 of the whole, about 0.62 of it inside the agency's
# (too little for the containment route), no band of the text in common. Only the
# near-identical openings route (``strong_lede``) joins it, and only its opening keys make it
# a candidate.
OWN_ENDING = "\n\n".join(
    [
        *AGENCY.split("\n\n")[:2],
        AGENCY.split("\n\n")[3],
        "وقال مدير الشؤون الصحية في جدة إن المديرية خصصت خطاً هاتفياً للإبلاغ عن تجمعات المياه "
        "وأماكن تكاثر البعوض، وإن فرق الاستجابة السريعة تصل إلى أي بلاغ خلال ساعتين.",
        "وأضاف أن المستشفيات الحكومية في المحافظتين جهزت أجنحة لاستقبال الحالات المشتبه بها، "
        "وأن مخزون المحاليل والأدوية يكفي لعدة أشهر.",
        "من جهتهم، طالب عدد من سكان الأحياء الجنوبية في جدة بزيادة عدد جولات الرش في الأزقة "
        "الضيقة التي لا تصلها المركبات الكبيرة.",
    ]
)


# The shipped decision without the near-identical openings route.
NO_ROUTE = Thresholds(strong_lede=1.01)


def agency() -> Record:
    return r.make_record(
        "dengue-wire", AGENCY,
        title="الصحة: تراجع حالات حمى الضنك في جدة ومكة المكرمة بعد حملة الرش",
        url="https://wire.example/2024/03/05/dengue",
        published="2024-03-05T10:00:00+03:00",
    )  # fmt: skip


def kept_opening() -> Record:
    return r.make_record(
        "dengue-outlet", KEPT_OPENING,
        title="انحسار الضنك في المحافظتين",
        url="https://omega-daily.example/2024/03/06/dengue",
        published="2024-03-06T08:00:00+03:00",
    )  # fmt: skip


def own_ending() -> Record:
    return r.make_record(
        "dengue-own-ending", OWN_ENDING,
        title="جدة: خط هاتفي للإبلاغ عن تجمعات المياه",
        url="https://sigma-news.example/2024/03/06/dengue-hotline",
        published="2024-03-06T09:00:00+03:00",
    )  # fmt: skip


def _rfp3(sig: bytes, size: int) -> bytes:
    """The fingerprint as the release before the opening keys stored it: the same bytes
    under its own tag."""
    assert sig.startswith(FORMAT)
    return b"rfp3" + sig[len(FORMAT) :]


@pytest.mark.parametrize("outlet", [kept_opening, own_ending])
def test_only_the_opening_keys_make_the_rewrite_a_candidate(outlet: Callable[[], Record]) -> None:
    rewrite = outlet()
    wire, theirs = fingerprint(AGENCY), fingerprint(rewrite.text)

    def other_keys(fp: Fingerprint, record: Record) -> set[int]:
        return set(article_keys(fp, headline(record.title))) - set(opening_keys(fp))

    assert same_story(wire, theirs)
    # no band of the text and no headline key in common, but an opening key
    assert not other_keys(wire, agency()) & other_keys(theirs, rewrite)
    assert set(opening_keys(wire)) & set(opening_keys(theirs))


def test_the_own_ending_rewrite_joins_by_its_near_identical_opening_only() -> None:
    wire, theirs = fingerprint(AGENCY), fingerprint(OWN_ENDING)
    jaccard, containment, lede = estimate(wire, theirs)

    assert DECISION.strong_lede_jaccard <= jaccard < DECISION.long_jaccard
    assert containment < DECISION.containment and lede >= DECISION.strong_lede
    assert same_story(wire, theirs)
    assert not same_story(wire, theirs, NO_ROUTE)
    # the cut-short version joins by containment: the route is not what joins it
    assert same_story(wire, fingerprint(KEPT_OPENING), NO_ROUTE)


def _migrated(store_url: str) -> str:
    """A base of the agency story and an unrelated one as the previous release left it:
    rfp3 fingerprints and no opening keys among the bands. The agency story's id."""
    old = [agency(), r.harvest()]
    with open_store(store_url) as store:
        store.put_batch(old)
        old_story = store.get("dengue-wire")["story"]
    dropped = {key for record in old for key in opening_keys(fingerprint(record.text))}
    rewind(store_url, "_opening_keys", _rfp3, dropped=dropped)
    assert all(Fingerprint.from_bytes(sig, size) is None for size, sig in signatures(store_url))
    assert not dropped & {key for (key,) in read(store_url, "SELECT key FROM bands")}
    return old_story


def test_an_rfp3_base_gains_opening_keys_and_a_rewrite_joins_an_old_story(
    store_url: str,
) -> None:
    old = [agency(), r.harvest()]
    old_story = _migrated(store_url)

    with open_store(store_url) as store:
        # the migration ran on opening: current fingerprints, and every key of each article
        assert [sig for _, sig in signatures(store_url)] == [
            fingerprint(record.text).to_bytes() for record in old
        ]
        assert {key for (key,) in read(store_url, "SELECT key FROM bands")} == {
            key
            for record in old
            for key in article_keys(fingerprint(record.text), headline(record.title))
        }

        # one at a time: the own-ending rewrite would also join through the cut-short one
        store.put_batch([own_ending()])
        assert store.get("dengue-own-ending")["story"] == old_story
        store.put_batch([kept_opening()])
        assert store.get("dengue-outlet")["story"] == old_story
        assert store.get("harvest-1")["story"] != old_story


def test_without_the_strong_opening_route_the_own_ending_rewrite_stays_apart(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the stores decide with the shipped thresholds: give both backends the route switched off
    def no_route(a: Fingerprint, b: Fingerprint, thresholds: Thresholds = DECISION,
                 headlines: tuple[np.ndarray, np.ndarray] | None = None,
                 apart: float | None = None) -> bool:  # fmt: skip
        return same_story(a, b, NO_ROUTE, headlines, apart)

    monkeypatch.setattr(sqlite_store, "same_story", no_route)
    monkeypatch.setattr(postgres_store, "same_story", no_route)
    old_story = _migrated(store_url)

    with open_store(store_url) as store:
        store.put_batch([own_ending()])
        assert store.get("dengue-own-ending")["story"] != old_story
        # the containment route still joins the cut-short rewrite
        store.put_batch([kept_opening()])
        assert store.get("dengue-outlet")["story"] == old_story
