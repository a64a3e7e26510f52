"""Records for the store tests, written for this purpose.

The people (سامر الحداد، ليلى المنصوري، رامي العطار …), the towns and the outlets are
fictional; the one real public action (the annexation documents of 30 September 2022) is
reported as plain, well-documented fact. The wire story is republished the way outlets do it:
a new headline, a sentence dropped, a few words changed; one outlet copies it exactly.
"""

from __future__ import annotations

from typing import Any

from rasid.model import Block, Record, Source

WIRE = (
    "افتتح وزير المياه سامر الحداد صباح اليوم الأحد محطة جديدة لتحلية مياه البحر في مدينة "
    "الزهراء الساحلية، بطاقة إنتاجية تبلغ مئتي ألف متر مكعب يومياً، في إطار خطة حكومية لتأمين "
    "مياه الشرب لسكان المنطقة الجنوبية حتى عام 2030.\n\n"
    "وقال الحداد في كلمة خلال حفل الافتتاح إن المحطة ستغطي احتياجات نحو مليون نسمة، وإن "
    "الوزارة تعمل على إنشاء محطتين أخريين في الساحل الشمالي خلال العامين المقبلين. وأضاف أن "
    "المشروع نفذته شركات محلية بتمويل من صندوق التنمية الوطني، وأن تكلفته بلغت نحو ثلاثمئة "
    "مليون دولار.\n\n"
    "وتعاني المنطقة الجنوبية منذ سنوات من نقص حاد في المياه بسبب تراجع منسوب المياه الجوفية "
    "وقلة الأمطار، ما دفع السلطات المحلية إلى توزيع المياه بالصهاريج على عدد من القرى خلال "
    "أشهر الصيف. وتوقع خبراء أن تخفف المحطة الجديدة الضغط على الشبكة القديمة."
)

# The same wire story as another outlet ran it: new headline, the last sentence dropped, a
# few words changed.
REWRITE = (
    "دشّن وزير المياه سامر الحداد صباح الأحد محطة جديدة لتحلية مياه البحر في مدينة "
    "الزهراء الساحلية، بطاقة إنتاجية تبلغ مئتي ألف متر مكعب يومياً، في إطار خطة حكومية لتأمين "
    "مياه الشرب لسكان المنطقة الجنوبية حتى عام 2030.\n\n"
    "وقال الحداد في كلمة خلال حفل الافتتاح إن المحطة ستغطي احتياجات نحو مليون نسمة، وإن "
    "الوزارة تعمل على إنشاء محطتين أخريين في الساحل الشمالي خلال العامين المقبلين. وأضاف أن "
    "المشروع نفذته شركات محلية بتمويل من صندوق التنمية الوطني، وأن تكلفته بلغت قرابة ثلاثمئة "
    "مليون دولار.\n\n"
    "وتعاني المنطقة الجنوبية منذ سنوات من نقص حاد في المياه بسبب تراجع منسوب المياه الجوفية "
    "وقلة الأمطار، ما دفع السلطات المحلية إلى توزيع المياه بالصهاريج على عدد من القرى خلال "
    "أشهر الصيف."
)

# The exact copy a third outlet carried: same words, with harakat and tatweel added.
EXACT_COPY = WIRE.replace("افتتح", "افْتَتَحَ").replace("الزهراء", "الزهـــراء", 1)

ANNEXATION = (
    "وقّع الرئيس الروسي فلاديمير بوتين يوم 30 سبتمبر 2022 في الكرملين وثائق ضم أربع مناطق "
    "أوكرانية هي دونيتسك ولوغانسك وزابوريجيا وخيرسون، في خطوة رفضتها الحكومة الأوكرانية "
    "والأمم المتحدة. وتبنت الجمعية العامة للأمم المتحدة في أكتوبر من العام نفسه قراراً يدعو "
    "الدول إلى عدم الاعتراف بالضم."
)

HARVEST = (
    "قالت ليلى المنصوري مديرة الاتحاد التعاوني للمزارعين إن موسم حصاد القمح في سهل النخيل "
    "بدأ مبكراً هذا العام بسبب ارتفاع درجات الحرارة، مؤكدة أن التعاونيات تتوقع إنتاجاً يفوق "
    "إنتاج العام الماضي بنحو عشرة في المئة. وأوضحت المنصوري أن الاتحاد وفّر ثلاثين حصادة "
    "جديدة للمزارعين الصغار بأسعار مدعومة، وأن مراكز الاستلام ستفتح أبوابها طوال أيام الأسبوع."
)

CONGRATS = (
    "بعث رئيس المجلس الأعلى رامي العطار برقية تهنئة إلى {leader} رئيس {country} بمناسبة "
    "ذكرى اليوم الوطني لبلاده، عبّر فيها عن أصدق التهاني وأطيب التمنيات بموفور الصحة "
    "والسعادة ولشعب {country} الشقيق باطراد التقدم والازدهار. كما بعث نائب رئيس المجلس "
    "برقية تهنئة مماثلة."
)


def _blocks(text: str) -> list[Block]:
    blocks, start = [], 0
    for part in text.split("\n\n"):
        blocks.append(Block("paragraph", start, start + len(part)))
        start += len(part) + 2
    return blocks


def _span(text: str, surface: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return start, start + len(surface)


def mention(text: str, surface: str, type_: str, entity: str, name: str, en: str | None = None,
            nth: int = 0) -> dict[str, Any]:  # fmt: skip
    start, end = _span(text, surface, nth)
    return {"text": surface, "type": type_, "start": start, "end": end, "entity": entity,
            "name": name, "en": en}  # fmt: skip


def make_record(
    id: str,
    text: str,
    *,
    title: str,
    url: str,
    published: str,
    entities: list[dict[str, Any]] | None = None,
    quotes: list[dict[str, Any]] | None = None,
    events: list[dict[str, Any]] | None = None,
    places: list[dict[str, Any]] | None = None,
) -> Record:
    site = url.split("/")[2]
    return Record(
        id=id, source=Source(path=None, url=url, site=site, format="html"), title=title,
        lede=None, author=None, published=published, published_source="meta", text=text,
        blocks=_blocks(text), related=[], removed=[], lang="ar", errors=[],
        entities=entities or [], quotes=quotes or [], events=events or [], places=places or [],
    )  # fmt: skip


def wire() -> Record:
    haddad = "per:samer-haddad"
    quote_text = "إن المحطة ستغطي احتياجات نحو مليون نسمة"
    q_start, q_end = _span(WIRE, quote_text)
    s_start, s_end = _span(WIRE, "الحداد", 1)
    return make_record(
        "wire-alpha", WIRE,
        title="افتتاح محطة لتحلية المياه في الزهراء بطاقة مئتي ألف متر مكعب يومياً",
        url="https://alpha-news.example/2024/03/10/desalination",
        published="2024-03-10T09:30:00+03:00",
        entities=[
            mention(WIRE, "سامر الحداد", "PER", haddad, "سامر الحداد", "Samer Haddad"),
            mention(WIRE, "الحداد", "PER", haddad, "سامر الحداد", "Samer Haddad", nth=1),
            mention(WIRE, "الزهراء", "LOC", "loc:zahraa", "الزهراء"),
            mention(WIRE, "صندوق التنمية الوطني", "ORG", "org:ndf", "صندوق التنمية الوطني"),
        ],
        quotes=[{
            "text": quote_text, "start": q_start, "end": q_end, "direct": False, "cue": "قال",
            "channel": "speech", "side": None,
            "speaker": {"name": "سامر الحداد", "role": "وزير المياه", "entity": haddad,
                        "start": s_start, "end": s_end},
        }],
        events=[{
            "type": "AID", "mode": "economic", "context": ["water"], "actor": {
                "entity": haddad, "name": "سامر الحداد"}, "recipient": None,
            "location": {"entity": "loc:zahraa", "name": "الزهراء"}, "date": "2024-03-10",
            "date_text": "صباح اليوم الأحد", "modality": "asserted", "start": 0,
            "end": WIRE.index("\n"), "confidence": 0.8,
        }],
        places=[{
            "name": "الزهراء", "entity": "loc:zahraa", "lat": 31.2, "lon": 29.9,
            "country": "XX", "admin1": None, "geonames_id": None, "resolution": "gazetteer",
        }],
    )  # fmt: skip


def rewrite() -> Record:
    return make_record(
        "wire-beta", REWRITE,
        title="الحداد يدشن محطة تحلية الزهراء لتأمين مياه الشرب للجنوب",
        url="https://beta-press.example/news/88213",
        published="2024-03-10T11:05:00+03:00",
        entities=[mention(REWRITE, "سامر الحداد", "PER", "per:samer-haddad", "سامر الحداد")],
    )  # fmt: skip


def exact_copy() -> Record:
    return make_record(
        "wire-gamma", EXACT_COPY,
        title="محطة تحلية جديدة في الزهراء",
        url="https://gamma-daily.example/a/5512",
        published="2024-03-10T10:15:00+03:00",
    )  # fmt: skip


def annexation() -> Record:
    return make_record(
        "annex-1", ANNEXATION,
        title="بوتين يوقع وثائق ضم أربع مناطق أوكرانية",
        url="https://alpha-news.example/2022/09/30/annexation",
        published="2022-09-30T18:00:00+03:00",
        entities=[
            mention(ANNEXATION, "فلاديمير بوتين", "PER", "per:putin", "فلاديمير بوتين",
                    "Vladimir Putin"),
            mention(ANNEXATION, "الكرملين", "LOC", "loc:kremlin", "الكرملين"),
            mention(ANNEXATION, "الأمم المتحدة", "ORG", "org:un", "الأمم المتحدة", nth=0),
        ],
        events=[{"type": "REJECT", "mode": None, "actor": "الأمم المتحدة", "recipient": None,
                 "location": None, "date": "2022-09-30", "modality": "asserted",
                 "start": 0, "end": len(ANNEXATION), "confidence": 0.6}],
    )  # fmt: skip


def harvest() -> Record:
    start, end = _span(HARVEST, "موسم حصاد القمح في سهل النخيل بدأ مبكراً هذا العام")
    return make_record(
        "harvest-1", HARVEST,
        title="بدء موسم حصاد القمح مبكراً في سهل النخيل",
        url="https://delta-agri.example/harvest-2023",
        published="2023-06-02T08:00:00+03:00",
        entities=[mention(HARVEST, "ليلى المنصوري", "PER", "per:layla-mansouri",
                          "ليلى المنصوري")],
        quotes=[{"text": HARVEST[start:end], "start": start, "end": end, "direct": False,
                 "cue": "قالت", "channel": None, "side": None,
                 "speaker": {"name": "ليلى المنصوري", "role": "مديرة الاتحاد التعاوني",
                             "entity": "per:layla-mansouri", "start": 5, "end": 18}}],
    )  # fmt: skip


def congratulations(n: int, leader: str, country: str) -> Record:
    text = CONGRATS.format(leader=leader, country=country)
    return make_record(
        f"congrats-{n}", text,
        title=f"رئيس المجلس الأعلى يهنئ رئيس {country} باليوم الوطني",
        url=f"https://official-gazette.example/congrats/{n}",
        published=f"2023-0{n}-15T12:00:00+03:00",
    )  # fmt: skip


def corpus() -> list[Record]:
    """Everything, in the order a crawl would meet it."""
    return [
        annexation(),
        harvest(),
        wire(),
        exact_copy(),
        rewrite(),
        congratulations(1, "خالد السويدي", "جمهورية النهرين"),
        congratulations(2, "مروان الجبالي", "جمهورية الساحل"),
    ]
