"""Numbers as a municipal analyst reads them: decimal comma in Swedish, rates in per cent."""

from __future__ import annotations

import math

from goalgraph.i18n import default_lang

__all__ = ["number", "percent", "rate"]


def _comma(text: str, lang: str | None) -> str:
    chosen = lang if lang in ("sv", "en") else default_lang()
    return text.replace(".", ",") if chosen == "sv" else text


def number(value: float | None, lang: str | None = None) -> str:
    """A value with at most two decimals and no trailing zeros: ``82``, ``0,35``.

    >>> number(82.0, "sv"), number(0.349, "sv"), number(1234.5, "en")
    ('82', '0,35', '1234.5')
    """
    if value is None or math.isnan(value):
        return "–"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return _comma("0" if text == "-0" else text, lang)


def rate(value: float | None, lang: str | None = None) -> str:
    """A growth rate (fraction) as signed per cent with one decimal: ``+1,3 %``.

    >>> rate(0.0131, "sv"), rate(-0.02, "en")
    ('+1,3 %', '-2.0 %')
    """
    if value is None or math.isnan(value):
        return "–"
    return _comma(f"{value * 100:+.1f} %", lang)


def percent(value: float | None, lang: str | None = None) -> str:
    """A ratio (fraction) as whole per cent: ``118 %``; infinite ratios as ``∞``.

    >>> percent(1.18, "sv"), percent(float("-inf"), "sv")
    ('118 %', '−∞')
    """
    if value is None or math.isnan(value):
        return "–"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    return _comma(f"{value * 100:.0f} %", lang)
