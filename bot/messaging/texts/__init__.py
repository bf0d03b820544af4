"""The text catalogue: every sentence a user reads, one module per language.

`Catalogue.get(lang)` returns a `Texts` whose `t(key, **values)` formats a template.
Templates are HTML (parse_mode HTML): values are escaped here, so a handler can never
inject markup by passing user input.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.messaging.texts import en, vi

CATALOGUES: Mapping[str, Mapping[str, str]] = {"vi": vi.TEXTS, "en": en.TEXTS}


class Raw(str):
    """A value that is already HTML (built from other catalogue entries): not escaped again."""


def _escape(value: Any) -> str:
    if isinstance(value, Raw):
        return str(value)
    return html.escape(str(value), quote=False)


@dataclass(frozen=True, slots=True)
class Texts:
    lang: str

    def t(self, key: str, **values: Any) -> str:
        template = CATALOGUES[self.lang].get(key) or CATALOGUES["vi"][key]
        if not values:
            return template
        return template.format(**{name: _escape(value) for name, value in values.items()})

    def has(self, key: str) -> bool:
        return key in CATALOGUES[self.lang] or key in CATALOGUES["vi"]

    def raw(self, key: str, **values: Any) -> Raw:
        return Raw(self.t(key, **values))


# One `Texts` per catalogue, built once (it is immutable): every answer asks for one.
_TEXTS: Mapping[str, Texts] = {lang: Texts(lang) for lang in CATALOGUES}


def texts_for(language_code: str | None, default: str = "vi") -> Texts:
    """Pick the user's Telegram language when we have it, else the configured default."""
    if language_code:
        short = language_code.split("-")[0].lower()
        if short in CATALOGUES:
            return _TEXTS[short]
    return _TEXTS[default] if default in CATALOGUES else _TEXTS["vi"]
