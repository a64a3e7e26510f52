"""A base written by the release before the vocabulary (fingerprint format rfp4, SQLite schema
7, PostgreSQL schema 5) gains it when it is opened: every fingerprint is recomputed, and a
later step of an old story that reprints the old report below an opening of its own stays
apart from it, while an outlet's rewrite of the old report's lead joins it. Runs on SQLite
and on a real PostgreSQL server."""

from __future__ import annotations

import numpy as np

from rasid.dedup import FORMAT, Fingerprint, fingerprint
from rasid.model import Record
from rasid.store import open_store
from tests.store import records as r
from tests.store.rewind import signatures, stored_then_rewound
from tests.test_dedup import AGENCY, HEADLINE, NEW_LEAD, NEXT_STEP


def _rfp4(sig: bytes, size: int) -> bytes:
    """The fingerprint as the release before the vocabulary stored it: the sample's length,
    the signature, the sample and its opening flags, then the opening's word pairs."""
    fp = Fingerprint.from_bytes(sig, size)
    assert fp is not None and sig.startswith(FORMAT)
    flags = np.packbits(fp.opening)
    flags = np.concatenate([flags, np.zeros(-len(flags) % 4, dtype=np.uint8)])
    return b"".join(
        [
            b"rfp4",
            np.array([len(fp.sample)], dtype="<u4").tobytes(),
            fp.signature.astype("<u4").tobytes(),
            fp.sample.astype("<u4").tobytes(),
            flags.tobytes(),
            fp.lede.astype("<u4").tobytes(),
        ]
    )


def _article(id: str, text: str, title: str, published: str) -> Record:
    return r.make_record(id, text, title=title, url=f"https://news.example/{id}",
                         published=published)  # fmt: skip


def test_an_rfp4_base_gains_the_vocabulary_and_tells_a_next_step_from_a_rewrite(
    store_url: str,
) -> None:
    old = [_article("dengue", AGENCY, HEADLINE, "2024-03-10T09:30:00+03:00"), r.harvest()]
    old_story = stored_then_rewound(store_url, old, "dengue", "_vocabulary", _rfp4)

    with open_store(store_url) as store:
        # the migration ran on opening: every fingerprint is current again
        assert [sig for _, sig in signatures(store_url)] == [
            fingerprint(record.text).to_bytes() for record in old
        ]
        store.put_batch(
            [
                _article("council", NEXT_STEP, "الشورى يطالب بمساءلة المسؤولين عن تفشي الضنك",
                         "2024-03-11T12:00:00+03:00"),
                _article("outlet", NEW_LEAD, "حمى الضنك تتراجع في جدة ومكة",
                         "2024-03-10T13:00:00+03:00"),
            ]
        )  # fmt: skip
        assert store.get("council")["story"] != old_story
        assert store.get("outlet")["story"] == old_story
