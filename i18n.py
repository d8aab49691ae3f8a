"""Message catalogs: one JSON file per language in locales/, nested keys joined by dots.

Pages translate with ui.t(); services raise errors that carry a key and parameters."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

LOCALES = Path(__file__).resolve().parent / "locales"
LANGUAGES: tuple[str, ...] = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{full}."))
        else:
            flat[full] = str(value)
    return flat


@lru_cache(maxsize=len(LANGUAGES))
def catalog(lang: str) -> dict[str, str]:
    with (LOCALES / f"{lang}.json").open(encoding="utf-8") as fh:
        return _flatten(json.load(fh))


def normalize(lang: str | None) -> str:
    if not lang:
        return DEFAULT_LANGUAGE
    lang = lang.strip()
    if lang in LANGUAGES:
        return lang
    if lang.lower().startswith("en"):
        return "en"
    if lang.lower().startswith("zh"):
        return "zh-CN"
    return DEFAULT_LANGUAGE


def _param(value: Any, lang: str) -> str:
    if isinstance(value, (list, tuple, set)):
        return ("、" if lang == "zh-CN" else ", ").join(_param(v, lang) for v in value)
    return str(value)


def translate(key: str, lang: str, **params: Any) -> str:
    """The missing key itself is returned (visible, never a crash); a test keeps catalogs whole."""
    template = catalog(normalize(lang)).get(key) or catalog(DEFAULT_LANGUAGE).get(key) or key
    if not params:
        return template
    try:
        return template.format(**{k: _param(v, lang) for k, v in params.items()})
    except (KeyError, IndexError, ValueError):
        return template
