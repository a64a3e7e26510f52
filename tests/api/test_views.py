"""How an article becomes highlighted paragraphs, and a snippet becomes marked pieces."""

from __future__ import annotations

from rasid.api.i18n import Messages
from rasid.api.views import marked_segments, paragraphs, speakers, timeline, when

TEXT = (
    "قال الوزير سامر الحلواني إن القوات انسحبت من بلدة الريحان أمس.\n\nوأضاف أن المفاوضات مستمرة."
)


def record() -> dict:
    name = "سامر الحلواني"
    start = TEXT.index(name)
    town = TEXT.index("الريحان")
    yesterday = TEXT.index("أمس")
    first_end = TEXT.index("\n\n")
    return {
        "id": "x",
        "text": TEXT,
        "blocks": [
            {"kind": "paragraph", "start": 0, "end": first_end},
            {"kind": "paragraph", "start": first_end + 2, "end": len(TEXT)},
        ],
        "entities": [
            {
                "text": name,
                "type": "PER",
                "start": start,
                "end": start + len(name),
                "entity": "per:samer",
                "name": name,
                "en": "Samer al-Halwani",
            },
            {
                "text": "الريحان",
                "type": "LOC",
                "start": town,
                "end": town + 7,
                "entity": "loc:rayhan",
            },
        ],
        "quotes": [
            {
                "text": "القوات انسحبت من بلدة الريحان أمس",
                "start": TEXT.index("القوات"),
                "end": first_end - 1,
                "speaker": {"name": name, "role": "الوزير", "entity": "per:samer"},
            },
            {
                "text": "المفاوضات مستمرة",
                "start": TEXT.index("المفاوضات"),
                "end": len(TEXT) - 1,
                "speaker": {"name": name, "role": "الوزير", "entity": "per:samer"},
            },
        ],
        "events": [
            {"type": "RETREAT", "modality": "asserted", "start": 0, "end": first_end},
        ],
        "dates": [
            {"text": "أمس", "start": yesterday, "end": yesterday + 3, "value": "2024-05-01"},
        ],
    }


def test_paragraphs_keep_the_text_and_cut_at_every_annotation() -> None:
    paras = paragraphs(record(), Messages("ar"))
    assert len(paras) == 2
    joined = "\n\n".join("".join(seg.text for seg in p.segments) for p in paras)
    assert joined == TEXT  # nothing lost, nothing added
    person = next(s for s in paras[0].segments if s.entity == "per:samer")
    assert person.text == "سامر الحلواني"
    assert "ent ent-per" in person.kinds and "event" in person.kinds
    assert any("Samer al-Halwani" in note for note in person.notes)
    town = next(s for s in paras[0].segments if s.entity == "loc:rayhan")
    assert {"quote", "event"} <= set(town.kinds)
    date = next(s for s in paras[0].segments if "date" in s.kinds)
    assert date.text == "أمس" and any("2024-05-01" in n for n in date.notes)
    assert any("انسحاب" in n for n in person.notes)  # the PLOVER type, in Arabic


def test_broken_offsets_are_ignored_not_fatal() -> None:
    bad = record()
    bad["entities"].append({"text": "?", "type": "PER", "start": 500, "end": 520})
    bad["quotes"].append({"text": "?", "start": "x", "end": None})
    bad["blocks"].append({"kind": "paragraph", "start": 90, "end": 10})
    paras = paragraphs(bad, Messages("en"))
    assert "".join(s.text for p in paras for s in p.segments) == TEXT.replace("\n\n", "")


def test_empty_record_has_no_paragraphs() -> None:
    assert paragraphs({"text": "", "blocks": []}, Messages("ar")) == []


def test_speakers_are_counted() -> None:
    assert speakers(record()) == [
        {"name": "سامر الحلواني", "role": "الوزير", "entity": "per:samer", "quotes": 2}
    ]


def test_marked_segments_of_a_snippet() -> None:
    snippet = "… أعلنت أوكرانيا أن قوات أوكرانية …"
    start = snippet.index("أوكرانيا")
    pieces = marked_segments(snippet, [[start, start + 8]])
    assert "".join(p for p, _ in pieces) == snippet
    assert [p for p, marked in pieces if marked] == ["أوكرانيا"]


def test_timeline_counts_by_day_and_type() -> None:
    events = [
        {"type": "ASSAULT", "date": "2024-05-01", "published": "2024-05-02T10:00:00+03:00"},
        {"type": "ASSAULT", "date": None, "published": "2024-05-02"},
        {"type": "CONSULT", "date": "1967-06-05", "published": "2024-05-02"},  # historical
        {"type": "AID", "date": None, "published": None},
    ]
    result = timeline(events)
    assert result["days"] == ["2024-05-01", "2024-05-02"]
    assert result["series"] == {"ASSAULT": [1, 1], "CONSULT": [0, 1]}
    assert result["undated"] == 1


def test_an_event_dated_by_a_hijri_year_counts_on_the_report_s_day() -> None:
    # 1445 AH is a span of days (July 2023 to July 2024), not its first day
    events = [{"type": "CONSULT", "date": "2023-07-19/2024-07-06", "published": "2023-07-21"}]
    assert timeline(events)["days"] == ["2023-07-21"]


def test_when_reads_iso_times() -> None:
    assert when("2022-10-17T14:10:00+03:00") == "2022-10-17 14:10"
    assert when("2022-10-17") == "2022-10-17"
    assert when(None) == "—"
