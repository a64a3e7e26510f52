"""A base written by the release before the opening keys (fingerprint format rfp3, SQLite
schema 6, PostgreSQL schema 4) gains them when it is opened: every fingerprint is recomputed
and every article's LSH keys now include its opening keys, so an outlet's rewrite that kept
an old agency story's opening, cut the rest and shares no band of its text with it, joins
the old story. Runs on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from rasid.dedup import (
    FORMAT,
    Fingerprint,
    article_keys,
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
# one closing line of its own.
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


def _rfp3(sig: bytes, size: int) -> bytes:
    """The fingerprint as the release before the opening keys stored it: the same bytes
    under its own tag."""
    assert sig.startswith(FORMAT)
    return b"rfp3" + sig[len(FORMAT) :]


def test_only_the_opening_keys_make_the_rewrite_a_candidate() -> None:
    wire, rewrite = fingerprint(AGENCY), fingerprint(KEPT_OPENING)

    def other_keys(fp: Fingerprint, record: Record) -> set[int]:
        return set(article_keys(fp, headline(record.title))) - set(opening_keys(fp))

    assert same_story(wire, rewrite)
    # no band of the text and no headline key in common, but an opening key
    assert not other_keys(wire, agency()) & other_keys(rewrite, kept_opening())
    assert set(opening_keys(wire)) & set(opening_keys(rewrite))


def test_an_rfp3_base_gains_opening_keys_and_a_rewrite_joins_an_old_story(
    store_url: str,
) -> None:
    old = [agency(), r.harvest()]
    with open_store(store_url) as store:
        store.put_batch(old)
        old_story = store.get("dengue-wire")["story"]
    # what the previous release left: rfp3 fingerprints and no opening keys among the bands
    dropped = {key for record in old for key in opening_keys(fingerprint(record.text))}
    rewind(store_url, "_opening_keys", _rfp3, dropped=dropped)
    assert all(Fingerprint.from_bytes(sig, size) is None for size, sig in signatures(store_url))
    assert not dropped & {key for (key,) in read(store_url, "SELECT key FROM bands")}

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

        store.put_batch([kept_opening()])
        assert store.get("dengue-outlet")["story"] == old_story
        assert store.get("harvest-1")["story"] != old_story
