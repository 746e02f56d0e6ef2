"""User-facing messages in Swedish (default) and English.

Messages live in ``goalgraph/messages/*.toml``: one file per feature, one
table per message key, with an ``sv`` and an ``en`` string each. A key is
``<file stem>.<name>``. The language is chosen per call, else by the
``GOALGRAPH_LANG`` environment variable, else Swedish.

>>> message("load.not_found", lang="en", path="x.ttl")
'File not found: x.ttl. Check the path and try again.'
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from typing import Any, Literal

from goalgraph.resources import package_dir

__all__ = ["LANGUAGES", "Lang", "default_lang", "message", "pick_label"]

Lang = Literal["sv", "en"]
LANGUAGES: tuple[Lang, ...] = ("sv", "en")


def default_lang() -> Lang:
    """The language to use when none is given: ``$GOALGRAPH_LANG`` or ``sv``."""
    lang = os.environ.get("GOALGRAPH_LANG", "sv")
    return "en" if lang == "en" else "sv"


@cache
def _catalogue() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {}
    for path in sorted((package_dir() / "messages").glob("*.toml")):
        with path.open("rb") as handle:
            for name, texts in tomllib.load(handle).items():
                table[f"{path.stem}.{name}"] = texts
    return table


def message(key: str, lang: str | None = None, **values: Any) -> str:
    """The message *key* in *lang*, with ``{placeholders}`` filled from *values*.

    :raises KeyError: if *key* is not in any catalogue (a programming error).
    """
    texts = _catalogue()[key]
    chosen = lang if lang in LANGUAGES else default_lang()
    return texts[chosen].format(**values)


def pick_label(labels: dict[str, str], lang: str | None = None) -> str | None:
    """Pick from ``{language tag: text}`` the text in *lang*, else sv, en, untagged, any."""
    chosen = lang if lang in LANGUAGES else default_lang()
    for tag in (chosen, "sv", "en", ""):
        if tag in labels:
            return labels[tag]
    return next(iter(labels.values()), None)
