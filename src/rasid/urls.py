"""URL normalisation: one canonical spelling per article URL, and the site it belongs to.

``canonical_url`` is the key that record ids are hashed from (see ``rasid.model.record_id``), so
the same article read from a WARC crawl (percent-encoded path) and from a corpus file (raw
Arabic path) must come out identical:

* scheme and host are lowercased, a leading ``www.`` and the default port are dropped;
* the fragment is dropped, and so are tracking parameters (``utm_*``, ``fbclid``, ``gclid``,
  ``ref`` …, listed in ``TRACKING_PARAMS``); the remaining query is kept, sorted by name;
* percent-escapes that stand for unreserved ASCII or for UTF-8 text are decoded (the canonical
  form is an IRI, so Arabic paths stay readable); escapes of reserved characters such as
  ``%2F`` or ``%3F`` are kept, uppercased;
* a trailing slash is dropped (``https://site.com/`` → ``https://site.com``).

The scheme itself is kept (``http`` and ``https`` stay different), because a canonical URL is
still meant to be a URL somebody can open.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

__all__ = ["TRACKING_PARAMS", "TRACKING_PREFIXES", "canonical_url", "site_of"]

# Query parameters that only say how the reader arrived, never which article it is.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gclsrc",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "ocid",
        "cmpid",
        "smid",
        "s_cid",
        "spm",
        "share",
        "amp_js_v",
        "usqp",
        "__twitter_impression",
    }
)
TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "at_", "pk_", "hsa_")

_DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21}
# Characters whose escapes must survive decoding, because decoding them changes the URL's
# structure (RFC 3986 gen-delims and sub-delims, the percent sign, space and controls).
_KEEP_ESCAPED = frozenset(":/?#[]@!$&'()*+,;=% \"<>\\^`{|}")
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def _decode_escapes(part: str) -> str:
    """Decode runs of percent-escapes that spell UTF-8 text, keeping structural escapes."""

    def fix(match: re.Match[str]) -> str:
        run = match.group(0)
        raw = bytes(int(run[i + 1 : i + 3], 16) for i in range(0, len(run), 3))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return run.upper()
        return "".join(
            quote(ch, safe="") if ch in _KEEP_ESCAPED or ord(ch) < 0x20 or ch == "\x7f" else ch
            for ch in text
        )

    return _ESCAPES.sub(fix, part)


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def _split(url: str) -> tuple[str, str, str, str, str] | None:
    url = url.strip()
    if not url:
        return None
    if "://" not in url and not url.startswith("//"):
        # "arabic.cnn.com/2013/..." — a host without a scheme.
        first = url.split("/", 1)[0]
        if "." in first and " " not in first:
            url = "http://" + url
    elif url.startswith("//"):
        url = "http:" + url
    try:
        return urlsplit(url)
    except ValueError:
        return None


def _host(netloc: str, scheme: str) -> str:
    userinfo, _, hostport = netloc.rpartition("@")
    del userinfo  # credentials never belong in a canonical URL
    host, port = hostport, ""
    if hostport.startswith("["):  # IPv6 literal
        end = hostport.find("]")
        host, port = hostport[: end + 1], hostport[end + 2 :]
    elif ":" in hostport:
        host, _, port = hostport.rpartition(":")
    host = host.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if port and port.isdigit() and int(port) != _DEFAULT_PORTS.get(scheme):
        return f"{host}:{int(port)}"
    return host


def canonical_url(url: str) -> str:
    """The canonical spelling of ``url`` (see the module docstring). Never raises: a string
    that is not a URL comes back stripped."""
    parts = _split(url)
    if parts is None:
        return url.strip()
    scheme, netloc, path, query, _fragment = parts
    scheme = scheme.lower()
    if not netloc:
        return url.strip()
    host = _host(netloc, scheme)
    path = _decode_escapes(path)
    path = re.sub(r"/{2,}", "/", path)
    path = path.rstrip("/")
    kept = [
        (name, value)
        for name, value in parse_qsl(query, keep_blank_values=True)
        if not _is_tracking(name)
    ]
    kept.sort()
    query = "&".join(
        f"{quote(name, safe='[]')}={quote(value, safe='/:,[]@')}" if value else quote(name)
        for name, value in kept
    )
    query = _decode_escapes(query)
    return urlunsplit((scheme, host, path, query, ""))


def site_of(url: str | None) -> str | None:
    """The site a URL belongs to: its host, lowercased, without ``www.`` or a port.

    ``site_of("https://www.Alarabiya.net/ar/x.html")`` → ``"alarabiya.net"``; a bare host works
    too (``site_of("arabic.cnn.com")`` → ``"arabic.cnn.com"``); ``None`` when there is no URL.
    """
    if not url:
        return None
    parts = _split(url)
    if parts is None or not parts.netloc:
        return None
    host = _host(parts.netloc, parts.scheme.lower())
    host = host.split(":", 1)[0] if not host.startswith("[") else host
    return host or None
