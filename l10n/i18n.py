"""One catalogue of user-facing strings per language (Vietnamese first, English).

Keys are dotted paths into `locales/<lang>.toml`: `"period"`, `"period_names.year"`,
`"enum.channel.online"`, `"procedures.title"`.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}
_DIR = Path(__file__).parent / "locales"


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict:
    with open(_DIR / f"{lang}.toml", "rb") as fh:
        return tomllib.load(fh)


def _lookup(key: str, lang: str):
    node = catalogue(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)
    for part in key.split("."):
        node = node[part]
    return node


def t(key: str, lang: str, **values) -> str:
    """The string `key` in `lang`, with `{placeholders}` filled."""
    text = _lookup(key, lang)
    return text.format(**values) if values else text


def enum(group: str, value, lang: str) -> str:
    """A person-readable name for an enumeration value; a value outside the schema's
    list (a data-quality finding) is shown as it is rather than hidden."""
    if value is None:
        return "—"
    try:
        return _lookup(f"enum.{group}.{value}", lang)
    except (KeyError, TypeError):
        return str(value)
