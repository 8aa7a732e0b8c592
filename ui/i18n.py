"""One catalogue of user-facing strings per language (Vietnamese first, English)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}
_DIR = Path(__file__).parent / "locales"


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    with open(_DIR / f"{lang}.toml", "rb") as fh:
        return tomllib.load(fh)


def t(key: str, lang: str, **values) -> str:
    """The string `key` in `lang`, with `{placeholders}` filled."""
    text = catalogue(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)[key]
    return text.format(**values) if values else text
