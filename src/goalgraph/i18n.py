"""User-facing messages in Swedish (default) and English.

Messages live in ``goalgraph/messages/*.toml``: one file per feature, one
table per message key, with an ``sv`` and an ``en`` string each. A key is
``<file stem>.<name>``. The language is chosen per call, else by the
``GOALGRAPH_LANG`` environment variable, else Swedish.

A count's noun agrees with the count through a ``{name:one|other}`` field: it
becomes *one* when the value ``name`` is 1 and *other* otherwise, so
``"{count} {count:källa|källor}"`` reads "1 källa" and "3 källor".

>>> message("load.not_found", lang="en", path="x.ttl")
'File not found: x.ttl. Check the path and try again.'
>>> message("errors.problems", lang="en", count=1)
'1 problem:'
"""

from __future__ import annotations

import numbers
import os
import string
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


class _Counted(string.Formatter):
    """``str.format`` plus the ``{name:one|other}`` field that agrees with a count."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" not in format_spec:
            return format(value, format_spec)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)  # a count read from a header or a file is still a count
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"a count is needed for {{:{format_spec}}}, not {value!r}")
        one, other = format_spec.split("|", 1)
        return one if value == 1 else other


_COUNTED = _Counted()


def message(key: str, lang: str | None = None, **values: Any) -> str:
    """The message *key* in *lang*, with ``{placeholders}`` filled from *values*.

    A ``{name:one|other}`` field gives *one* when ``values[name]`` is 1, else *other*.

    :raises KeyError: if *key* is not in any catalogue (a programming error).
    :raises TypeError: if a ``{name:one|other}`` field gets a value that is no number.

    >>> message("store.unloaded", lang="sv", count=1, path="lager", total=2)
    'Tog bort 1 källa ur lager; lagringen har nu 2 källor.'
    """
    texts = _catalogue()[key]
    chosen = lang if lang in LANGUAGES else default_lang()
    template = texts[chosen]
    if "|" in template:
        return _COUNTED.format(template, **values)
    return template.format(**values)


def pick_label(labels: dict[str, str], lang: str | None = None) -> str | None:
    """Pick from ``{language tag: text}`` the text in *lang*, else sv, en, untagged, any."""
    chosen = lang if lang in LANGUAGES else default_lang()
    for tag in (chosen, "sv", "en", ""):
        if tag in labels:
            return labels[tag]
    return next(iter(labels.values()), None)
