"""Interface strings in Arabic and English, from the message catalog ``messages.json``.

The interface language comes from ``?lang=`` (remembered in a cookie) or the cookie, Arabic by
default; Arabic pages are right-to-left.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

LANGS = ("ar", "en")
DEFAULT_LANG = "ar"


@cache
def catalog() -> dict[str, Any]:
    return json.loads(files("rasid.api").joinpath("messages.json").read_text("utf-8"))


def pick_lang(query_lang: str | None, cookie_lang: str | None) -> str:
    for lang in (query_lang, cookie_lang):
        if lang in LANGS:
            return lang
    return DEFAULT_LANG


class Messages:
    """``t("nav.search")`` in the chosen language; an unknown key shows itself (so a missing
    translation is visible, not silent)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGS else DEFAULT_LANG
        self.dir = "rtl" if self.lang == "ar" else "ltr"
        self._strings: dict[str, str] = catalog()[self.lang]

    def __call__(self, key: str) -> str:
        return self._strings.get(key, key)

    def plover(self, code: str | None) -> str:
        """A PLOVER event type's label in the interface language (the code when unknown)."""
        if not code:
            return ""
        names = catalog()["plover"].get(code)
        if not names:
            return code
        return names[0] if self.lang == "ar" else names[1]


def plover_types() -> list[str]:
    return sorted(catalog()["plover"])
