"""A base written by the release before the shingle samples (fingerprint format rfp2, SQLite
schema 5, PostgreSQL schema 3) gains them when it is opened: every fingerprint is recomputed
from the stored text, and a new article that only the samples can join (a round-up that
carries an old wire story whole) joins the old story. Runs on SQLite and on a real
PostgreSQL server."""

from __future__ import annotations

from rasid.dedup import (
    Fingerprint,
    Thresholds,
    band_keys,
    fingerprint,
    same_story,
)
from rasid.model import Record
from rasid.store import open_store
from tests.store import records as r
from tests.store.rewind import signatures, stored_then_rewound

# A day's round-up: the wire story whole, then two other items of the day.
ROUND_UP = "\n\n".join([r.WIRE, r.HARVEST, r.ANNEXATION])


def round_up() -> Record:
    return r.make_record(
        "round-up-1", ROUND_UP,
        title="حصاد اليوم: محطة تحلية في الزهراء، موسم القمح، ومراسم الضم",
        url="https://omega-daily.example/2024/03/10/day",
        published="2024-03-10T21:00:00+03:00",
    )  # fmt: skip


def _previous_release(sig: bytes, size: int) -> bytes:
    """The fingerprint as the release before the samples stored it: its tag, the signature
    and the opening's word pairs, no sample."""
    fp = Fingerprint.from_bytes(sig, size)
    assert fp is not None
    return b"rfp2" + fp.signature.astype("<u4").tobytes() + fp.lede.astype("<u4").tobytes()


def test_the_round_up_needs_the_samples_to_join_the_wire_story() -> None:
    wire, day = fingerprint(r.WIRE), fingerprint(ROUND_UP)

    assert set(band_keys(wire)) & set(band_keys(day))  # a candidate of the wire story
    assert same_story(day, wire)
    # without the containment read from the samples (nor the near-identical opening, which
    # the round-up also has: it opens with the wire story), the texts share too little
    assert not same_story(day, wire, Thresholds(containment=1.1, strong_lede=1.01))


def test_an_old_base_gains_samples_and_a_round_up_joins_an_old_story(store_url: str) -> None:
    old = [r.wire(), r.congratulations(1, "خالد السويدي", "جمهورية النهرين")]
    old_story = stored_then_rewound(store_url, old, "wire-alpha", "_resample", _previous_release)

    with open_store(store_url) as store:
        # the migration ran on opening: every fingerprint is the current one, sample included
        assert [sig for _, sig in signatures(store_url)] == [
            fingerprint(record.text).to_bytes() for record in old
        ]

        store.put_batch([round_up()])
        assert store.get("round-up-1")["story"] == old_story
        assert store.get("congrats-1")["story"] != old_story


def test_a_current_base_is_left_as_it_is(store_url: str) -> None:
    with open_store(store_url) as store:
        store.put_batch([r.wire()])
    before = signatures(store_url)
    # opening it again finds nothing to migrate, and the samples are already there
    with open_store(store_url):
        pass
    assert signatures(store_url) == before
    assert len(Fingerprint.from_bytes(before[0][1], before[0][0]).sample) == before[0][0]
