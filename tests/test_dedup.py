"""Duplicate keys, MinHash fingerprints, the near-duplicate pair decision and story clusters."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from rasid import dedup
from rasid.arabic.tokenize import tokenize
from rasid.store import open_store
from rasid.store.text import index_forms
from tests.store import records as r
from tests.store.test_opening_keys import OWN_ENDING

# A wire story as a news agency sends it (about 300 words, a typical length), and the version
# another outlet ran under its own headline: the opening reworded, the closing paragraph
# dropped, the agency's dateline gone.
AGENCY = (
    "الرياض - واس: أعلنت وزارة الصحة اليوم الثلاثاء تسجيل انخفاض ملحوظ في عدد حالات الإصابة "
    "بحمى الضنك في محافظتي جدة ومكة المكرمة خلال الأسابيع الأربعة الماضية، بعد حملة رش واسعة "
    "نفذتها فرق مكافحة نواقل الأمراض بالتعاون مع أمانتي المحافظتين.\n\n"
    "وأوضح المتحدث الرسمي باسم الوزارة أن عدد الحالات المسجلة تراجع من مئة وعشرين حالة "
    "أسبوعياً في بداية الشهر الماضي إلى أقل من أربعين حالة في الأسبوع الأخير، مشيراً إلى أن "
    "الفرق الميدانية فحصت أكثر من خمسين ألف موقع لتجمع المياه الراكدة وأزالت آلاف الإطارات "
    "المهملة من الأحياء السكنية.\n\n"
    "ودعت الوزارة السكان إلى التخلص من المياه الراكدة في المنازل والحدائق، واستخدام الناموسيات "
    "وطارد البعوض، ومراجعة أقرب مركز صحي عند ظهور أعراض الحمى أو آلام المفاصل، مؤكدة أن "
    "الحملة ستستمر حتى نهاية موسم الأمطار.\n\n"
    "وبيّن المتحدث أن المختبرات الإقليمية في المحافظتين رفعت قدرتها على فحص العينات إلى ألف "
    "عينة يومياً، وأن نتائج الفحص باتت تصدر خلال أربع وعشرين ساعة بدلاً من ثلاثة أيام، ما "
    "ساعد الفرق الصحية على تتبع المخالطين ورصد البؤر الجديدة في وقت مبكر.\n\n"
    "وأشار إلى أن الوزارة وزعت أكثر من مئتي ألف نشرة توعوية باللغتين العربية والإنجليزية في "
    "المساجد والمدارس والأسواق، ونظمت محاضرات في المراكز الصحية عن طرق الوقاية من لسع "
    "البعوض، بمشاركة متطوعين من الجمعيات الخيرية في الأحياء الأكثر تضرراً.\n\n"
    "وكانت الوزارة قد أطلقت الحملة مطلع الشهر الماضي بمشاركة أكثر من ثلاثمئة عامل ومئة "
    "وخمسين مركبة مجهزة بمعدات الرش الضبابي."
)
REWORDED = "\n\n".join(
    [
        "سجلت محافظتا جدة ومكة المكرمة انخفاضاً ملحوظاً في عدد حالات الإصابة بحمى الضنك خلال "
        "الأسابيع الأربعة الماضية، بحسب ما أعلنته وزارة الصحة الثلاثاء، بعد حملة رش واسعة "
        "نفذتها فرق مكافحة نواقل الأمراض بالتعاون مع أمانتي المحافظتين.",
        *AGENCY.split("\n\n")[1:-1],
    ]
)


def congratulation(leader: str, country: str, day: str) -> str:
    """The formula a state agency uses for every national day: only the names change."""
    return (
        f"بعث خادم الحرمين الشريفين برقية تهنئة لفخامة الرئيس {leader} رئيس {country} "
        f"بمناسبة ذكرى {day} لبلاده. وأعرب باسمه واسم شعب وحكومة المملكة عن أصدق التهاني "
        f"وأطيب التمنيات بالصحة والسعادة لفخامته، ولحكومة وشعب {country} الصديق اطراد التقدم "
        f"والازدهار. كما بعث ولي العهد برقية تهنئة مماثلة لفخامة الرئيس {leader} رئيس "
        f"{country} بمناسبة ذكرى {day} لبلاده، عبر فيها عن أبلغ التهاني وأطيب التمنيات "
        f"بموفور الصحة والسعادة لفخامته، ولحكومة وشعب {country} الصديق المزيد من التقدم والازدهار."
    )


def test_exact_duplicate_key_ignores_spelling_noise_only() -> None:
    assert dedup.text_key(r.WIRE) == dedup.text_key(r.EXACT_COPY)
    assert dedup.text_key(r.WIRE) == dedup.text_key(r.WIRE.replace("\n\n", "\n  \n"))
    assert dedup.text_key(r.WIRE) != dedup.text_key(r.REWRITE)


def test_a_rewritten_wire_story_is_the_same_story() -> None:
    wire, rewrite = dedup.fingerprint(r.WIRE), dedup.fingerprint(r.REWRITE)

    jaccard, containment, lede = dedup.estimate(wire, rewrite)

    assert jaccard > 0.6
    assert containment > 0.8
    assert lede > 0.5
    assert dedup.same_story(wire, rewrite)
    # and LSH makes them candidates: they share at least one band key
    assert set(dedup.band_keys(wire)) & set(dedup.band_keys(rewrite))


def test_an_agency_story_reworded_under_a_new_opening_is_the_same_story() -> None:
    agency, reworded = dedup.fingerprint(AGENCY), dedup.fingerprint(REWORDED)

    assert dedup.same_story(agency, reworded)
    assert set(dedup.band_keys(agency)) & set(dedup.band_keys(reworded))


def test_templated_items_about_different_countries_are_different_stories() -> None:
    a = dedup.fingerprint(r.congratulations(1, "خالد السويدي", "جمهورية النهرين").text)
    b = dedup.fingerprint(r.congratulations(2, "مروان الجبالي", "جمهورية الساحل").text)

    assert not dedup.same_story(a, b)


def test_national_day_congratulations_to_two_presidents_stay_apart() -> None:
    niger = dedup.fingerprint(congratulation("عمر الحسن", "جمهورية النيجر", "الاستقلال"))
    burkina = dedup.fingerprint(congratulation("يوسف كابوري", "بوركينا فاسو", "الاستقلال"))
    niger_again = dedup.fingerprint(
        "واس - الرياض: " + congratulation("عمر الحسن", "جمهورية النيجر", "الاستقلال")
    )

    assert not dedup.same_story(niger, burkina)
    assert dedup.same_story(niger, niger_again)


# Another outlet's version of AGENCY: the agency's opening kept word for word, the middle cut
# short, and a closing paragraph of its own — too little of the whole shared for the Jaccard
# or the containment, but the same opening.
KEPT_OPENING = "\n\n".join(
    [
        *AGENCY.split("\n\n")[:2],
        "ودعت الوزارة السكان إلى التخلص من المياه الراكدة في المنازل والحدائق، واستخدام "
        "الناموسيات وطارد البعوض، ومراجعة أقرب مركز صحي عند ظهور أعراض.",
        "وقال المتحدث إن الوزارة ستواصل العمل مع الأمانتين حتى يزول الخطر تماماً، وإن الفرق "
        "الميدانية باقية في الأحياء التي سجلت فيها أعلى الإصابات، داعياً المواطنين إلى التعاون "
        "مع المراقبين والإبلاغ عن أي تجمع للمياه الراكدة عبر الرقم المجاني للوزارة.",
    ]
)


def test_an_outlet_that_kept_the_agency_s_opening_and_cut_the_rest_is_the_same_story() -> None:
    agency, kept = dedup.fingerprint(AGENCY), dedup.fingerprint(KEPT_OPENING)

    jaccard, containment, lede = dedup.estimate(agency, kept)

    assert dedup.DECISION.strong_lede_jaccard <= jaccard < dedup.DECISION.long_jaccard
    assert containment < dedup.DECISION.containment
    assert lede >= dedup.DECISION.strong_lede
    assert dedup.same_story(agency, kept)
    # the near-identical opening is what joins them (they also share a band of the text, so
    # they are candidates anyway: OWN_ENDING below is one that only the opening keys bring)
    assert not dedup.same_story(agency, kept, dedup.Thresholds(strong_lede=1.01))


def test_templated_congratulations_do_not_share_an_opening_near_enough_to_join() -> None:
    # The formula is the same, but the leader and the country are named in the opening.
    niger = dedup.fingerprint(congratulation("عمر الحسن", "جمهورية النيجر", "الاستقلال"))
    burkina = dedup.fingerprint(congratulation("يوسف كابوري", "بوركينا فاسو", "الاستقلال"))

    jaccard, _, lede = dedup.estimate(niger, burkina)

    assert jaccard >= dedup.DECISION.strong_lede_jaccard
    assert lede < dedup.DECISION.strong_lede
    assert not dedup.same_story(niger, burkina)


# A short agency item, and a day's round-up of the cabinet session that opens with it.
CABINET_ITEM = (
    "وافق مجلس الوزراء في جلسته الأسبوعية أمس على تنظيم الهيئة العامة للنقل، الذي يمنحها "
    "الإشراف على نقل الركاب والبضائع بين المدن وداخلها، وترخيص شركات الحافلات وتطبيقات "
    "التوصيل، ووضع معايير السلامة وأجور النقل، على أن يعمل به بعد تسعين يوماً من نشره في "
    "الجريدة الرسمية، وأن تنقل إليها الإدارات المختصة في وزارة النقل خلال عام."
)
CABINET_ROUND_UP = (
    CABINET_ITEM + "\n\nكما قرر المجلس تمديد العمل ببرنامج دعم صغار مربي الماشية عامين آخرين، "
    "وصرف إعانة شهرية للأسر المستفيدة من الضمان الاجتماعي في المناطق الحدودية، وتكليف وزارة "
    "المالية بإعداد مشروع نظام للمشتريات الحكومية يراعي المحتوى المحلي ويرفعه إلى المجلس خلال "
    "ستة أشهر. واطلع المجلس على التقرير السنوي لهيئة الإحصاء، ووجه الجهات الحكومية بتزويدها "
    "بالبيانات في مواعيدها."
)


def test_a_short_item_reprinted_whole_at_the_head_of_a_round_up_is_the_same_story() -> None:
    item, round_up = dedup.fingerprint(CABINET_ITEM), dedup.fingerprint(CABINET_ROUND_UP)

    inside = dedup.sampled(item, round_up)

    assert inside.containment == 1.0 and inside.opening == 1.0
    assert dedup.same_story(item, round_up)


def test_a_short_item_glued_under_an_unrelated_report_is_another_story() -> None:
    # All of the item is inside, but the page opens with another story: an outlet's "more
    # news" block, not a reprint.
    item, page = dedup.fingerprint(CABINET_ITEM), dedup.fingerprint(r.WIRE + "\n\n" + CABINET_ITEM)

    assert dedup.sampled(item, page).containment == 1.0
    assert dedup.estimate(item, page)[2] < dedup.DECISION.lede
    assert not dedup.same_story(item, page)


def test_unrelated_articles_are_different_stories() -> None:
    a, b = dedup.fingerprint(r.WIRE), dedup.fingerprint(r.HARVEST)
    assert not dedup.same_story(a, b)
    assert dedup.estimate(a, b)[0] < 0.1


def test_a_report_that_only_shares_background_is_a_different_story() -> None:
    # Same closing background paragraph, a different event in the opening.
    background = r.WIRE.split("\n\n")[2]
    other = (
        "أعلنت وزارة المياه مساء الثلاثاء إرجاء مناقصة إنشاء محطتين لتحلية المياه في الساحل "
        "الشمالي إلى الربع الأخير من العام، بسبب ارتفاع أسعار المعدات في الأسواق العالمية.\n\n"
        + background
    )
    assert not dedup.same_story(dedup.fingerprint(r.WIRE), dedup.fingerprint(other))


def test_fingerprints_round_trip_and_are_deterministic() -> None:
    fp = dedup.fingerprint(r.WIRE)
    again = dedup.Fingerprint.from_bytes(fp.to_bytes(), fp.size)

    assert (again.signature == fp.signature).all()
    assert (again.lede == fp.lede).all()
    assert (again.sample == fp.sample).all()
    assert (again.opening == fp.opening).all()
    assert np.array_equal(again.words, fp.words) and len(fp.words) > 20
    assert np.array_equal(again.word_opening, fp.word_opening) and fp.word_opening.any()
    assert dedup.fingerprint(r.WIRE).hex() == fp.hex()
    assert len(dedup.band_keys(fp)) == dedup.BANDS
    # a short text keeps every shingle in its sample, a third of them flagged as its opening
    assert len(fp.sample) == fp.size <= dedup.SAMPLE
    assert 0.3 < fp.opening.mean() < 0.4
    # a long one keeps its SAMPLE smallest hashes
    long = dedup.fingerprint("\n\n".join([AGENCY, r.WIRE, r.HARVEST, r.ANNEXATION]))
    assert long.size > dedup.SAMPLE == len(long.sample)
    assert (np.diff(long.sample.astype(np.int64)) > 0).all()


def test_signatures_of_an_older_format_are_not_compared() -> None:
    # What a base written before FORMAT holds: raw uint32 values without the format tag.
    old = np.arange(dedup.NUM_PERM + 10, dtype="<u4").tobytes()
    assert dedup.Fingerprint.from_bytes(old, 200) is None
    assert dedup.Fingerprint.from_bytes(b"", 0) is None
    # the previous format (a signature and the opening's pairs, no sample), and a cut record
    fp = dedup.fingerprint(r.WIRE)
    previous = b"rfp2" + fp.signature.astype("<u4").tobytes() + fp.lede.astype("<u4").tobytes()
    assert dedup.Fingerprint.from_bytes(previous, fp.size) is None
    assert dedup.Fingerprint.from_bytes(fp.to_bytes()[:600], fp.size) is None


def test_containment_is_read_from_the_samples() -> None:
    # A short item reprinted whole in a day's round-up ten times its size.
    item = congratulation("عمر الحسن", "جمهورية النيجر", "الاستقلال")
    day = "\n\n".join([AGENCY, item, r.HARVEST, r.ANNEXATION])
    short, long = dedup.fingerprint(item), dedup.fingerprint(day)

    inside = dedup.sampled(short, long)

    assert long.size > 5 * short.size
    assert inside.containment == 1.0 and inside.checked >= dedup.DECISION.checked
    assert inside.opening == 1.0
    assert dedup.sampled(long, short) == inside  # the smaller text is the one measured
    # and nothing of an unrelated text is inside
    assert dedup.sampled(short, dedup.fingerprint(r.HARVEST)).containment == 0.0


def test_two_short_texts_have_an_exact_jaccard_and_containment() -> None:
    # Both under SAMPLE shingles: the samples hold every shingle, so what they say is exact.
    wire, rewrite = dedup.fingerprint(r.WIRE), dedup.fingerprint(r.REWRITE)
    words = [dedup.word_hashes(text) for text in (r.WIRE, r.REWRITE)]
    sets = [
        {tuple(w[i : i + dedup.SHINGLE].tolist()) for i in range(len(w) - dedup.SHINGLE + 1)}
        for w in words
    ]
    shared = len(sets[0] & sets[1])

    assert dedup.sampled(wire, rewrite).containment == shared / min(map(len, sets))


def test_a_statement_that_copies_the_background_of_a_report_is_another_story() -> None:
    # Its own opening, then two paragraphs of the wire story copied as background: most of
    # the statement is inside the other report, but not its opening.
    background = r.WIRE.split("\n\n")[1:]
    statement = "\n\n".join(
        [
            "أصدرت الوزارة بيانا مساء الأحد أكدت فيه أن المحطة الجديدة تعمل بكامل طاقتها.",
            *background,
        ]
    )
    report = dedup.fingerprint(r.WIRE + "\n\n" + r.HARVEST)
    mine = dedup.fingerprint(statement)

    inside = dedup.sampled(mine, report)
    assert inside.containment >= dedup.DECISION.containment
    assert inside.opening < dedup.DECISION.opening
    assert not dedup.same_story(mine, report)
    # and the report opens with what the statement never says: its opening is not told in
    # the statement's words, which refuses the pair too
    assert dedup.told(mine, report) < dedup.DECISION.told
    assert not dedup.same_story(mine, report, dedup.Thresholds(opening=0.0))
    assert dedup.same_story(mine, report, dedup.Thresholds(opening=0.0, told=0.0))


def test_a_long_round_up_that_carries_a_statement_s_background_is_another_story() -> None:
    # The same statement against a report many times its size: so few of the statement's
    # opening hashes can be compared that its opening vouches for nothing, and containment
    # alone must not join them.
    background = r.WIRE.split("\n\n")[1:]
    statement = "\n\n".join(
        [
            "أصدرت الوزارة بيانا مساء الأحد أكدت فيه أن المحطة الجديدة تعمل بكامل طاقتها.",
            *background,
        ]
    )
    other_news = [
        f"وفي شأن آخر افتتحت البلدية رقم {i} نحو {i + 3} مدارس جديدة في الأحياء الشرقية"
        f" بكلفة {i * 7 + 11} مليون دينار خلال العام الجاري"
        for i in range(60)
    ]
    round_up = dedup.fingerprint("\n\n".join([r.WIRE, r.HARVEST, *other_news]))
    mine = dedup.fingerprint(statement)

    inside = dedup.sampled(mine, round_up)
    assert round_up.size > 5 * mine.size
    assert inside.opening_checked < dedup.DECISION.checked
    assert not dedup.same_story(mine, round_up)
    assert not dedup.same_story(mine, round_up, dedup.Thresholds(opening=0.0))


def test_the_jaccard_of_two_short_texts_is_exact() -> None:
    # Both texts have fewer shingles than a sample holds: the samples are every shingle.
    first = congratulation("عمر الحسن", "جمهورية النيجر", "الاستقلال")
    second = congratulation("يوسف كابوري", "بوركينا فاسو", "العيد الوطني")
    a, b = dedup.fingerprint(first), dedup.fingerprint(second)
    assert a.size <= dedup.SAMPLE and b.size <= dedup.SAMPLE
    shared = len(set(a.sample) & set(b.sample))
    exact = shared / (a.size + b.size - shared)
    assert dedup.estimate(a, b)[0] == exact


def test_texts_too_short_or_without_words_have_no_fingerprint() -> None:
    assert dedup.fingerprint("") is None
    assert dedup.fingerprint("!!! ؟؟؟") is None
    assert dedup.fingerprint("خبر عاجل") is None
    assert dedup.fingerprint("Only English text, but long enough to make a few shingles here.")


def _same(a: dedup.Fingerprint | None, b: dedup.Fingerprint | None) -> bool:
    if a is None or b is None:
        return a is b
    return (
        a.size == b.size
        and (a.signature == b.signature).all()
        and (a.lede == b.lede).all()
        and a.to_bytes() == b.to_bytes()
    )


def test_the_bulk_and_the_incremental_path_give_identical_fingerprints() -> None:
    # Punctuation glued to words, a Latin name with a hyphen, numbers, harakat and tatweel:
    # the bulk path hashes whitespace-separated runs, the store passes the tokenizer's bases.
    texts = [
        r.WIRE, r.REWRITE, r.EXACT_COPY, r.HARVEST, AGENCY, REWORDED,
        "أسقطت الدفاعات الجوية (صاروخين) من طراز «F-16» و«Su-34»، وقالت: 2.5% فقط… «انتهى».",
        "خبر عاجل", "",
    ]  # fmt: skip
    table = dedup.fingerprint_table(texts, block=3)

    for i, text in enumerate(texts):
        bases = [t.base for t in tokenize(text) if t.is_word]
        single = dedup.fingerprint(text)
        assert _same(single, dedup.fingerprint(text, bases))
        assert _same(single, dedup.fingerprint(text, index_forms("عنوان", text).bases))
        assert _same(single, table.get(i))


def test_the_store_keeps_the_fingerprint_the_bulk_path_computes(tmp_path: Path) -> None:
    db = tmp_path / "rasid.db"
    records = r.corpus()
    with open_store(str(db)) as store:
        store.put_batch(records)
    conn = sqlite3.connect(db)
    stored = dict(
        conn.execute(
            "SELECT a.text_key, s.sig FROM signatures s JOIN articles a ON a.rowid = s.article"
        ).fetchall()
    )
    conn.close()

    assert stored
    for record in records:
        key = dedup.text_key(record.text)
        if key in stored:
            assert stored[key] == dedup.fingerprint(record.text).to_bytes()


def test_bulk_clustering_makes_the_stories_the_store_makes(tmp_path: Path) -> None:
    records = r.corpus()
    with open_store(str(tmp_path / "rasid.db")) as store:
        store.put_batch(records)
        stored = {rec.id: store.get(rec.id)["story"] for rec in records}
    # the store keeps one article per distinct text, in order
    texts, titles, ids, seen = [], [], [], set()
    for rec in records:
        key = dedup.text_key(rec.text)
        if key not in seen:
            seen.add(key)
            texts.append(rec.text)
            titles.append(rec.title)
            ids.append(rec.id)

    result = dedup.cluster(dedup.fingerprint_table(texts), titles=titles)

    bulk = {ids[i]: ids[root] for i, root in enumerate(result.story.tolist())}
    assert bulk == {i: stored[i] for i in ids}
    assert bulk["wire-beta"] == bulk["wire-alpha"]
    assert bulk["harvest-1"] != bulk["wire-alpha"]


def test_bulk_clustering_joins_copies_and_keeps_templates_apart() -> None:
    texts = [
        AGENCY,
        congratulation("عمر الحسن", "جمهورية النيجر", "الاستقلال"),
        REWORDED,
        congratulation("يوسف كابوري", "بوركينا فاسو", "الاستقلال"),
        AGENCY + " نسخة",
        "خبر عاجل",
    ]

    result = dedup.cluster(dedup.fingerprint_table(texts))

    assert result.story.tolist() == [0, 1, 0, 3, 0, 5]
    # the third article joins through one decision; the copy is already in that story
    assert result.joins == 2


def _with_word_added(text: str, word: str, every: int = 10) -> str:
    """Another outlet's copy that adds a word throughout (a connective, an honorific): every
    word of the wire is there, but few of its 5-word shingles survive."""
    words = text.split()
    return " ".join(w + (f" {word}" if i % every == every - 1 else "") for i, w in enumerate(words))


HEADLINE = "الصحة: تراجع حالات حمى الضنك في جدة ومكة المكرمة"


def test_the_same_headline_lets_a_reprint_changed_throughout_join() -> None:
    wire = dedup.fingerprint(AGENCY)
    reprint = dedup.fingerprint(_with_word_added(AGENCY, "كذلك"))
    same = (
        dedup.headline(HEADLINE),
        dedup.headline("«الصحة»: تراجع حالات حمى الضنك في جدة ومكة المكرمة"),
    )
    other = (dedup.headline(HEADLINE), dedup.headline("الصحة تطلق حملة رش جديدة في جدة"))

    assert not dedup.same_story(wire, reprint)  # the text alone has changed too much
    assert dedup.same_story(wire, reprint, headlines=same)
    assert not dedup.same_story(wire, reprint, headlines=other)


def test_templated_headlines_that_name_another_country_keep_items_apart() -> None:
    niger = dedup.fingerprint(congratulation("عمر الحسن", "جمهورية النيجر", "الاستقلال"))
    burkina = dedup.fingerprint(congratulation("يوسف كابوري", "بوركينا فاسو", "الاستقلال"))
    headlines = (
        dedup.headline("القيادة تهنئ رئيس النيجر بذكرى استقلال بلاده"),
        dedup.headline("القيادة تهنئ رئيس بوركينا فاسو بذكرى استقلال بلاده"),
    )

    assert not dedup.same_story(niger, burkina, headlines=headlines)


def test_bulk_clustering_uses_the_headlines_when_it_has_them() -> None:
    texts = [AGENCY, _with_word_added(AGENCY, "كذلك")]
    table = dedup.fingerprint_table(texts)

    assert dedup.cluster(table).story.tolist() == [0, 1]
    assert dedup.cluster(table, titles=[HEADLINE, HEADLINE]).story.tolist() == [0, 0]
    assert dedup.cluster(table, titles=[HEADLINE, None]).story.tolist() == [0, 1]


# An outlet's version that kept the agency's opening paragraph word for word, cut the second
# short and replaced the rest with one closing line of its own: little of the whole in common
# (Jaccard 0.27), but most of it (0.82) inside the agency's text, its opening included, so it
# joins by containment; only its opening keys make it a candidate.
CUT_SHORT = "\n\n".join(
    [
        AGENCY.split("\n\n")[0],
        "وأوضح المتحدث الرسمي باسم الوزارة أن عدد الحالات المسجلة تراجع من مئة وعشرين حالة "
        "أسبوعياً في بداية الشهر الماضي إلى أقل من أربعين حالة في الأسبوع الأخير.",
        "وقال المتحدث إن الوزارة ستواصل العمل مع الأمانتين حتى يزول الخطر تماماً.",
    ]
)


def test_opening_keys_depend_on_the_opening_only_and_are_keys_of_their_own() -> None:
    agency = dedup.fingerprint(AGENCY)
    other_ending = dedup.fingerprint(AGENCY.rsplit("\n\n", 2)[0] + "\n\nوانتهت الحملة أمس.")

    keys = dedup.opening_keys(agency)

    assert len(set(keys)) == dedup.OPENING_KEYS
    assert dedup.opening_keys(other_ending) == keys
    assert not set(keys) & set(dedup.band_keys(agency))
    assert set(keys) <= set(dedup.article_keys(agency, dedup.headline(HEADLINE)))


def test_a_rewrite_that_kept_the_opening_is_a_candidate_through_its_opening_keys() -> None:
    agency, cut = dedup.fingerprint(AGENCY), dedup.fingerprint(CUT_SHORT)
    jaccard, _, lede = dedup.estimate(agency, cut)

    assert jaccard < dedup.DECISION.strong_lede_jaccard and lede == 1.0
    assert dedup.same_story(agency, cut)
    # the containment route joins it, with or without the near-identical openings route
    assert dedup.same_story(agency, cut, dedup.Thresholds(strong_lede=1.01))
    # no band of the text in common: only the opening keys bring the two together
    assert not set(dedup.band_keys(agency)) & set(dedup.band_keys(cut))
    assert set(dedup.opening_keys(agency)) & set(dedup.opening_keys(cut))
    texts = [AGENCY, congratulation("عمر الحسن", "جمهورية النيجر", "الاستقلال"), CUT_SHORT]
    assert dedup.cluster(dedup.fingerprint_table(texts)).story.tolist() == [0, 1, 0]


def test_a_rewrite_joined_only_by_its_near_identical_opening_clusters_with_the_agency() -> None:
    agency, own = dedup.fingerprint(AGENCY), dedup.fingerprint(OWN_ENDING)
    jaccard, containment, lede = dedup.estimate(agency, own)
    no_route = dedup.Thresholds(strong_lede=1.01)

    assert dedup.DECISION.strong_lede_jaccard <= jaccard < dedup.DECISION.long_jaccard
    assert containment < dedup.DECISION.containment and lede >= dedup.DECISION.strong_lede
    # a candidate through the opening keys only, joined through the route only
    assert not set(dedup.band_keys(agency)) & set(dedup.band_keys(own))
    texts = [AGENCY, congratulation("عمر الحسن", "جمهورية النيجر", "الاستقلال"), OWN_ENDING]
    table = dedup.fingerprint_table(texts)
    assert dedup.cluster(table).story.tolist() == [0, 1, 0]
    assert dedup.cluster(table, thresholds=no_route).story.tolist() == [0, 1, 2]


def _opening_keys_by_hand(lede: np.ndarray) -> list[int]:
    """The opening keys as their definition reads, one pair hash at a time in Python integers:
    per row, the minimum over the pairs of the top 32 bits of (pair * multiplier + addend)
    mod 2**64; per key, its rows weighted and summed, plus the key's offset, mod 2**64."""
    mask = (1 << 64) - 1
    keys = []
    for key in range(dedup.OPENING_KEYS):
        total = int(dedup._OPENING_OFFSETS[key])
        for row in range(dedup.OPENING_ROWS):
            column = key * dedup.OPENING_ROWS + row
            m, a = int(dedup._OPENING_MULTIPLIERS[column]), int(dedup._OPENING_ADDENDS[column])
            low = min(((int(p) * m + a) & mask) >> 32 for p in lede)
            total = (total + low * int(dedup._OPENING_ROW_WEIGHTS[row])) & mask
        keys.append(total - (1 << 64) if total >> 63 else total)
    return keys


def test_the_opening_keys_of_many_articles_are_each_article_s_own() -> None:
    texts = [
        AGENCY, "خبر عاجل", OWN_ENDING, CUT_SHORT, "", r.WIRE,
        congratulation("عمر الحسن", "جمهورية النيجر", "الاستقلال"), REWORDED,
    ]  # fmt: skip
    table = dedup.fingerprint_table(texts)

    many = dedup._opening_matrix(table.lede, table.lede_offsets)

    assert many.shape == (len(texts), dedup.OPENING_KEYS)
    for i in range(len(texts)):
        fp = table.get(i)
        if fp is None:  # too short: no word pairs kept, zeros for the caller to replace
            assert many[i].tolist() == [0] * dedup.OPENING_KEYS
            continue
        assert many[i].tolist() == dedup.opening_keys(fp) == _opening_keys_by_hand(fp.lede)


# Other outlets' follow-ups of AGENCY: an opening of their own on another event, then the
# agency's paragraphs from the third on as background. They share bands with AGENCY but are
# not its story (too little of its opening in theirs), so a copy of AGENCY published after
# them finds them as its most recent candidates and AGENCY itself only further back: with
# three candidates it starts a story of its own, with all of them it joins AGENCY's.
FOLLOW_UP_OPENINGS = [
    "جدة - الوطن: بدأت أمانة محافظة جدة صباح اليوم حملة لردم المستنقعات في الأحياء الشرقية "
    "بعد شكاوى السكان من انتشار البعوض قرب الأودية.",
    "مكة المكرمة - عكاظ: افتتح مستشفى الملك فيصل عيادة متخصصة لمتابعة المتعافين من حمى الضنك "
    "الذين يعانون من آلام مزمنة في المفاصل.",
    "الرياض - الرياض: وقعت وزارة الصحة مذكرة تفاهم مع جامعة الملك عبدالعزيز لتطوير اختبار سريع "
    "يكشف الإصابة بالفيروس خلال ربع ساعة.",
    "جدة - المدينة: أغلقت البلدية ثلاثة مواقع لغسيل السيارات خالفت اشتراطات تصريف المياه، "
    "وفرضت غرامات على أصحابها بعد رصد يرقات البعوض فيها.",
]


def _near_copies() -> tuple[list[str], list[str | None]]:
    """45 articles in publication order, deterministic: AGENCY, follow-ups that share its
    background, copies of it (a paragraph dropped, a line added), an outlet's version that kept
    its opening only, reworded and reprinted wire stories, and templated congratulations."""
    paragraphs = AGENCY.split("\n\n")
    background = paragraphs[1:]
    articles: list[tuple[str, str | None]] = [(AGENCY, HEADLINE)]
    for opening in FOLLOW_UP_OPENINGS:
        articles.append(("\n\n".join([opening, *paragraphs[2:]]), None))
    articles.append((AGENCY + "\n\nوأكدت الوزارة أن الوضع الصحي مطمئن.", HEADLINE))
    for opening in FOLLOW_UP_OPENINGS:
        articles.append(("\n\n".join([opening, *background[:-1]]), opening.split(":")[0]))
    for dropped in range(2, len(paragraphs)):
        articles.append(("\n\n".join(paragraphs[:dropped] + paragraphs[dropped + 1 :]), None))
    articles += [(KEPT_OPENING, None), (REWORDED, None), (CUT_SHORT, "انحسار الضنك")]
    articles += [(OWN_ENDING, "جدة: خط هاتفي للإبلاغ عن تجمعات المياه")]
    wire = r.WIRE.split("\n\n")
    for dropped in range(1, len(wire)):
        articles.append(("\n\n".join(wire[:dropped] + wire[dropped + 1 :]), None))
    countries = [
        ("عمر الحسن", "جمهورية النيجر"), ("يوسف كابوري", "بوركينا فاسو"),
        ("ماكي سال", "جمهورية السنغال"), ("باه نداو", "جمهورية مالي"),
        ("فيليكس تشيسيكيدي", "جمهورية الكونغو الديمقراطية"), ("جوليوس مادا", "سيراليون"),
    ]  # fmt: skip
    for leader, country in countries:
        for day in ("الاستقلال", "العيد الوطني"):
            articles.append((congratulation(leader, country, day), None))
    articles += [(r.WIRE, None), (r.HARVEST, None)]
    closings = ["وللحديث بقية.", "المصدر: واس.", "تابعونا لمزيد من التفاصيل.", "انتهى."]
    for opening, closing in zip(FOLLOW_UP_OPENINGS[::-1], closings, strict=True):
        articles.append(("\n\n".join([opening, paragraphs[0], *background[1:]]), None))
        articles.append((AGENCY + "\n\n" + closing, HEADLINE))
    articles += [(r.REWRITE, None), (r.CONGRATS, None), (r.ANNEXATION, None)]
    return [text for text, _ in articles], [title for _, title in articles]


def test_bulk_clustering_caps_candidates_to_the_most_recent_as_the_store_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rasid.store.sqlite as sqlite_store

    texts, titles = _near_copies()
    records = [
        r.make_record(f"a{i}", text, title=title, url=f"https://outlet{i % 5}.example/{i}",
                      published="2024-03-05T10:00:00+03:00")
        for i, (text, title) in enumerate(zip(texts, titles, strict=True))
    ]  # fmt: skip
    monkeypatch.setattr(sqlite_store, "MAX_CANDIDATES", 3)
    with open_store(str(tmp_path / "rasid.db")) as store:
        for record in records:
            store.put_batch([record])
        stored = {rec.id: store.get(rec.id)["story"] for rec in records}
    kept, kept_titles, ids, seen = [], [], [], set()
    for rec in records:
        if dedup.text_key(rec.text) not in seen:
            seen.add(dedup.text_key(rec.text))
            kept.append(rec.text)
            kept_titles.append(rec.title)
            ids.append(rec.id)
    table = dedup.fingerprint_table(kept)
    monkeypatch.setattr(dedup, "_CLUSTER_BLOCK", 7)  # several blocks of candidates

    capped = dedup.cluster(table, max_candidates=3, titles=kept_titles)

    bulk = {ids[i]: ids[root] for i, root in enumerate(capped.story.tolist())}
    assert bulk == {i: stored[i] for i in ids}
    assert len(ids) == len(texts) == 45  # no exact duplicates among them
    # the cap decides something here: with every candidate looked at, the copy of AGENCY
    # published after its four follow-ups joins it
    uncapped = dedup.cluster(table, titles=kept_titles)
    assert uncapped.candidates > capped.candidates
    assert capped.story[5] == 5 and uncapped.story[5] == 0


def test_publication_dates_are_read_as_the_hours_they_cover() -> None:
    # the same moment written in two zones, and in the RFC 822 form feeds use
    assert dedup.hours_apart("2018-04-12T15:09:16+04:00", "2018-04-12T11:09:16Z") == 0.0
    assert dedup.hours_apart("Thu, 12 Apr 2018 15:09:16 +0400", "2018-04-14T11:09:16") == 48.0
    # a day without a time is the whole day: the least distance is counted
    assert dedup.hours_apart("2018-04-12", "2018-04-12T23:00:00") == 0.0
    assert dedup.hours_apart("2018-04-12", "2018-04-15T01:00:00") == 49.0
    april, may = dedup.published_span("2018-04-01"), dedup.published_span("2018-05-01")
    assert dedup.published_span("2018-04") == (april[0], may[0])
    # a missing or unreadable date says nothing, and neither does a year no news date has
    # (a Hijri year read as a Gregorian one); a Hijri date in digits is its Gregorian day
    assert dedup.hours_apart(None, "2018-04-12") is None
    assert dedup.hours_apart("منذ ساعتين", "2018-04-12") is None
    assert dedup.hours_apart("سنة 1445", "2024-03-20") is None
    assert dedup.hours_apart("1445/09/10", "2024-03-20") == 0.0


def test_days_apart_only_the_text_itself_joins_two_articles() -> None:
    agency = dedup.fingerprint(AGENCY)
    reprint = dedup.fingerprint(_with_word_added(AGENCY, "كذلك"))
    kept = dedup.fingerprint(KEPT_OPENING)
    same = (dedup.headline(HEADLINE), dedup.headline(HEADLINE))
    week = 7 * 24.0

    # the same headline and the same opening join these on the day, and the day after …
    assert dedup.same_story(agency, reprint, headlines=same, apart=30.0)
    assert dedup.same_story(agency, kept, apart=30.0)
    # … but a week later the same headline and opening are what a weekly bulletin or the next
    # step of an affair shows too: the text shares too little to join on its own
    assert not dedup.same_story(agency, reprint, headlines=same, apart=week)
    assert not dedup.same_story(agency, kept, apart=week)
    # a reprint whose text says it (the Jaccard route) still joins a week later
    assert dedup.same_story(agency, dedup.fingerprint(REWORDED), apart=week)
    # no dates, no limit: as before; the limit itself still counts as near
    assert dedup.same_story(agency, kept, apart=None)
    assert dedup.same_story(agency, kept, apart=dedup.DECISION.apart_hours)
    assert not dedup.same_story(agency, kept, apart=dedup.DECISION.apart_hours + 0.01)


# The next step of the affair AGENCY reports: a council's call, the day after, over the
# agency's report reprinted whole as background. Most of AGENCY is inside it, and the two
# openings share a few word pairs (the agency's first words follow the new paragraph).
NEXT_STEP = (
    "طالب أعضاء في مجلس الشورى بمساءلة المسؤولين عن تأخر برامج مكافحة البعوض حتى تفشي "
    "المرض، ودعوا في جلسة عقدها المجلس أمس إلى تخصيص ميزانية دائمة لمكافحة الأوبئة "
    "الموسمية في المدن الساحلية، وإنشاء مركز وطني للإنذار المبكر.\n\n" + AGENCY
)
# An outlet's rewrite of AGENCY's first two paragraphs in its own order and words, the rest
# as sent: the openings share few word pairs, but say the same things with the same words.
NEW_LEAD = "\n\n".join(
    [
        "حمى الضنك تتراجع في جدة ومكة المكرمة: الإصابات انخفضت انخفاضاً ملحوظاً طوال أربعة "
        "أسابيع، وفق وزارة الصحة، عقب رش واسع قامت به فرق مكافحة النواقل مع أمانتي المحافظتين. "
        "فالحالات المسجلة كانت مئة وعشرين أسبوعياً مطلع الشهر الماضي، وباتت أقل من أربعين في "
        "الأسبوع الأخير، كما قال المتحدث الرسمي للوزارة.",
        *AGENCY.split("\n\n")[2:],
    ]
)


def test_a_new_lead_told_in_the_report_s_words_is_a_rewrite_and_a_next_step_is_not() -> None:
    agency = dedup.fingerprint(AGENCY)
    next_step, new_lead = dedup.fingerprint(NEXT_STEP), dedup.fingerprint(NEW_LEAD)
    for other in (next_step, new_lead):
        assert dedup.DECISION.lede <= dedup.estimate(agency, other)[2] < dedup.DECISION.told_lede

    # the next step opens with what the report never says; the rewrite with its facts
    assert dedup.told(agency, next_step) < dedup.DECISION.told <= dedup.told(agency, new_lead)
    assert not dedup.same_story(agency, next_step)
    assert dedup.same_story(agency, new_lead)
    # the vocabulary is what decides both
    assert dedup.same_story(agency, next_step, dedup.Thresholds(told=0.0))
    assert not dedup.same_story(agency, new_lead, dedup.Thresholds(told=1.01))


def test_the_vocabulary_holds_content_words_and_flags_the_opening() -> None:
    fp = dedup.fingerprint(AGENCY)
    words = dedup.word_hashes(AGENCY)
    short = (words >> np.uint64(48)).astype(np.uint16)
    function = set(dedup.word_hashes("في من إلى على أن الذي التي قال أمس").tolist())
    content = [s for w, s in zip(words.tolist(), short.tolist(), strict=True) if w not in function]

    assert fp.words.dtype == np.uint16 and (np.diff(fp.words.astype(np.int64)) > 0).all()
    assert set(fp.words.tolist()) <= set(content)
    assert not set(fp.words.tolist()) & {int(w >> 48) for w in function}
    # the words of the first OPENING_WORDS are flagged, and only those
    opening = {s for w, s in zip(words[: dedup.OPENING_WORDS].tolist(),
                                 short[: dedup.OPENING_WORDS].tolist(), strict=True)
               if w not in function}  # fmt: skip
    assert set(fp.words[fp.word_opening].tolist()) <= opening
    assert len(fp.words[fp.word_opening]) > 15
    # and only the first VOCABULARY_WORDS words are read
    assert len(words) > dedup.VOCABULARY_WORDS
    assert np.array_equal(dedup.fingerprint(AGENCY + "\n\n" + r.HARVEST).words, fp.words)


def test_two_texts_of_one_size_are_told_alike_in_either_order() -> None:
    agency, new_lead = dedup.fingerprint(AGENCY), dedup.fingerprint(NEW_LEAD)
    # the same vocabularies, given one size: neither is "the larger" any more
    a = dataclasses.replace(agency, size=100)
    b = dataclasses.replace(new_lead, size=100)

    assert dedup.told(a, b) == dedup.told(b, a)
    assert dedup.told(a, b) == max(dedup._told(a, b), dedup._told(b, a))
    assert dedup._told(a, b) != dedup._told(b, a)
