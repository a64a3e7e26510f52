"""Zip and tar archives: members are read in place, never extracted, and a broken archive
or member is reported without stopping the stream."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

from rasid.ingest import count_hint, read
from rasid.model import Page

from .samples import BODY, SECOND_BODY, TITLE, ant_doc, html_page


def pages(*paths: Path | str, **options: object) -> list[Page]:
    return list(read([str(p) for p in paths], **options))  # type: ignore[arg-type]


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def make_tar(members: dict[str, bytes], mode: str = "w:gz") -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode=mode) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def test_zip_members_keep_their_own_format_and_say_where_they_are(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "news.zip",
        {
            "2024/03/page.html": html_page().encode("cp1256"),
            "2024/03/dump.txt": f"الرئيسية\n{TITLE}\n{BODY}\n".encode(),
            "2024/03/.hidden.html": html_page().encode(),
            "__MACOSX/2024/._page.html": b"\x00\x05\x16\x07",
            "README.txt": b"about this archive",
        },
    )
    html, dump = pages(archive)
    assert (html.kind, html.source.format, html.encoding) == ("html", "html", "windows-1256")
    assert html.source.path == str(archive)
    assert html.source.locator == "2024/03/page.html"
    assert TITLE in html.body
    assert (dump.kind, dump.source.format, dump.source.locator) == (
        "text",
        "text",
        "2024/03/dump.txt",
    )
    assert count_hint([str(archive)]) is None  # unknown until read


def test_a_corrupt_zip_is_one_unreadable_page_and_the_stream_goes_on(tmp_path: Path) -> None:
    good = make_zip(tmp_path / "good.zip", {"a.html": html_page().encode()})
    data = good.read_bytes()
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(data[: len(data) // 2])
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)

    first, second, third = pages(truncated, fake, good)
    for page, path in ((first, truncated), (second, fake)):
        assert page.kind == "unreadable"
        assert page.source.format == "zip"
        assert page.errors[0].startswith(f"{path}: corrupt zip:")
    assert third.kind == "html"


def test_a_damaged_member_does_not_spoil_its_neighbours(tmp_path: Path) -> None:
    archive = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as out:
        out.writestr("1.html", html_page().encode())
        out.writestr("2.html", html_page().encode())
    data = bytearray(archive.read_bytes())
    second = data.index(b"2.html") + len(b"2.html") + 200  # inside the second member's data
    data[second] ^= 0xFF
    archive.write_bytes(bytes(data))

    first, damaged = pages(archive)
    assert first.kind == "html"
    assert damaged.kind == "unreadable"
    assert damaged.source.locator == "2.html"
    assert "Bad CRC-32" in damaged.errors[0]
    assert damaged.errors[0].startswith(f"{archive} (2.html): corrupt zip:")


def test_a_tarball_is_streamed_member_by_member(tmp_path: Path) -> None:
    tarball = tmp_path / "corpus.tar.gz"
    tarball.write_bytes(
        make_tar(
            {
                "README.md": b"# A corpus\n<DOC> is explained here",
                "world/X-1.txt": ant_doc("X-1", TITLE, BODY).encode(),
                "world/X-2.txt": ant_doc("X-2", TITLE, SECOND_BODY).encode(),
                "pages/p.htm": html_page().encode(),
            }
        )
    )
    found = pages(tarball)
    assert [(p.kind, p.source.format, p.source.locator) for p in found] == [
        ("clean", "ant", "world/X-1.txt"),
        ("clean", "ant", "world/X-2.txt"),
        ("html", "html", "pages/p.htm"),
    ]
    assert {p.source.path for p in found} == {str(tarball)}


def test_reading_a_tarball_is_lazy() -> None:
    """The first page comes out after reading the first member, not the whole tarball."""
    members = {f"n/{i:04}.txt": ant_doc(f"X-{i}", TITLE, BODY * 20).encode() for i in range(400)}
    data = make_tar(members, mode="w")

    class Counting(io.BytesIO):
        consumed = 0

        def read(self, size: int | None = -1) -> bytes:
            chunk = super().read(size)
            Counting.consumed += len(chunk)
            return chunk

    stream = Counting(data)
    first = next(iter(read(["-"], stdin=stream)))
    assert first.kind == "clean"
    assert Counting.consumed < len(data) / 10


def test_a_truncated_tarball_yields_what_it_can_then_says_where_it_broke(tmp_path: Path) -> None:
    data = make_tar({f"n/{i}.txt": (BODY * 30 + str(i)).encode() for i in range(6)}, mode="w")
    tarball = tmp_path / "cut.tar"
    tarball.write_bytes(data[: len(data) // 2])
    found = pages(tarball)
    assert [p.kind for p in found[:-1]] == ["text"] * (len(found) - 1)
    assert len(found) >= 3
    last = found[-1]
    assert last.kind == "unreadable"
    assert last.source.path == str(tarball)
    assert "truncated" in last.errors[0] or "broken tar archive" in last.errors[0]


def test_archives_inside_archives(tmp_path: Path) -> None:
    inner_zip = io.BytesIO()
    with zipfile.ZipFile(inner_zip, "w") as archive:
        archive.writestr("deep/page.html", html_page())
    tarball = tmp_path / "outer.tgz"
    tarball.write_bytes(make_tar({"bundle/inner.zip": inner_zip.getvalue()}))
    [page] = pages(tarball)
    assert page.kind == "html"
    assert page.source.locator == "bundle/inner.zip!deep/page.html"


def test_a_broken_gzip_member_is_that_members_problem_only(tmp_path: Path) -> None:
    import gzip

    packed = gzip.compress(html_page().encode() * 20)
    tarball = tmp_path / "mixed.tgz"
    tarball.write_bytes(
        make_tar(
            {"a/cut.html.gz": packed[: len(packed) // 2], "a/whole.html": html_page().encode()}
        )
    )
    broken, whole = pages(tarball)
    assert broken.kind == "unreadable"
    assert broken.source.locator == "a/cut.html.gz"
    assert "broken gzip data" in broken.errors[0]
    assert whole.kind == "html"
