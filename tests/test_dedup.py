"""Duplicate keys, MinHash fingerprints and the near-duplicate pair decision."""

from __future__ import annotations

from rasid import dedup
from tests.store import records as r


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


def test_templated_items_about_different_countries_are_different_stories() -> None:
    a = dedup.fingerprint(r.congratulations(1, "خالد السويدي", "جمهورية النهرين").text)
    b = dedup.fingerprint(r.congratulations(2, "مروان الجبالي", "جمهورية الساحل").text)

    assert not dedup.same_story(a, b)


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
    assert dedup.fingerprint(r.WIRE).hex() == fp.hex()
    assert len(dedup.band_keys(fp)) == dedup.BANDS


def test_texts_too_short_or_without_words_have_no_fingerprint() -> None:
    assert dedup.fingerprint("") is None
    assert dedup.fingerprint("!!! ؟؟؟") is None
    assert dedup.fingerprint("خبر عاجل") is None
    assert dedup.fingerprint("Only English text, but long enough to make a few shingles here.")
