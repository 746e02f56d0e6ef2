"""Which lexical forms are well-formed for the datatypes RDF 1.1 lists as usable.

A typed literal is *well-formed* when its lexical form is in the lexical
space of its datatype (`XSD 1.1 Part 2 <https://www.w3.org/TR/xmlschema11-2/>`_,
`RDF 1.1 Concepts §5.1 <https://www.w3.org/TR/rdf11-concepts/#xsd-datatypes>`_):
``"2019-04-31"^^xsd:date`` is not (April has 30 days), ``"300"^^xsd:byte``
is not (a byte ends at 127), ``" 5"^^xsd:integer`` is not (RDF applies no
whitespace processing). SHACL's ``sh:datatype`` fails on ill-formed literals.

Regular expressions give the grammar; calendars (:mod:`calendar`) and
bounded digit counts give the value ranges. No number is ever expanded, so
``"1e999999999"`` costs as little as ``"1"``. Datatypes outside the list get
no opinion (``None``).

>>> well_formed("2020-02-29", XSD + "date"), well_formed("2019-02-29", XSD + "date")
(True, False)
>>> well_formed("c", XSD + "byte"), well_formed("-128", XSD + "byte")
(False, True)
>>> well_formed("anything", "https://example.org/myType") is None
True
"""

from __future__ import annotations

import calendar
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable

__all__ = ["RDF", "XSD", "known_datatypes", "well_formed"]

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

# --- building blocks (XSD 1.1 Part 2, appendix D and section 3) -------------------------------

_CHAR = "\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff"  # XML 1.0 Char
_NAME_START = (
    ":A-Z_a-z\xc0-\xd6\xd8-\xf6\xf8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_NAME_CHAR = _NAME_START + r"\-.0-9\xb7\u0300-\u036f\u203f-\u2040"
_TZ = r"(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))"
_YEAR = r"-?([1-9][0-9]{3,}|0[0-9]{3})"
_MONTH = r"(0[1-9]|1[0-2])"
_DAY = r"(0[1-9]|[12][0-9]|3[01])"
_TIME = r"(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?)"
# XSD 1.1's regular expressions for durations; the lookaheads forbid "P", "PT" and "P1YT"
_SECONDS = r"([0-9]+(\.[0-9]+)?S)"
_DAY_TIME = rf"([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?{_SECONDS}?)?"
_B64 = r"[A-Za-z0-9+/]"
_B64_ALL = (
    rf"(({_B64} ?){{4}})*((({_B64} ?){{3}}{_B64})|(({_B64} ?){{2}}[AEIMQUYcgkosw048] ?=)"
    rf"|({_B64} ?[AQgw] ?= ?=))?"
)


def _full(pattern: str) -> Callable[[str], bool]:
    compiled = re.compile(pattern)
    return lambda text: compiled.fullmatch(text) is not None


_DATE = re.compile(rf"(?P<y>{_YEAR})-(?P<m>{_MONTH})-(?P<d>{_DAY})")
_DATE_TIME = re.compile(rf"(?P<y>{_YEAR})-(?P<m>{_MONTH})-(?P<d>{_DAY})T{_TIME}")
_MONTH_DAY = re.compile(rf"--(?P<m>{_MONTH})-(?P<d>{_DAY})")


def _day_exists(match: re.Match[str] | None, rest: str, tz: str) -> bool:
    """Whether the year-month-day of *match* is a real day and *rest* a valid timezone suffix."""
    if match is None or not re.fullmatch(tz, rest):
        return False
    month, day = int(match["m"]), int(match["d"])
    if "y" in match.groupdict():
        # the leap-year rule depends on the year modulo 400, i.e. on its last four digits
        year = int(match["y"].lstrip("-")[-4:])
        leap = calendar.isleap(year)
    else:
        leap = True  # --02-29 is a gMonthDay: it exists in leap years
    if month == 2:
        return day <= (29 if leap else 28)
    return day <= (30 if month in (4, 6, 9, 11) else 31)


def _calendar(pattern: re.Pattern[str], *, timezone: str) -> Callable[[str], bool]:
    def check(text: str) -> bool:
        match = pattern.match(text)
        return match is not None and _day_exists(match, text[match.end() :], timezone)

    return check


def _at_most(digits: str, limit: int) -> bool:
    # digit strings compared by length then text: no int() of an unbounded number of digits
    bound = str(limit)
    return len(digits) < len(bound) or (len(digits) == len(bound) and digits <= bound)


def _integer(low: int | None, high: int | None) -> Callable[[str], bool]:
    """An integer lexical form with a value in [low, high] (``None``: unbounded; high >= 0)."""
    syntax = re.compile(r"([+-]?)0*([0-9]+)")

    def check(text: str) -> bool:
        match = syntax.fullmatch(text)
        if match is None:
            return False
        sign, digits = match.groups()
        if sign == "-" and digits != "0":
            return low is None or (low < 0 and _at_most(digits, -low))
        return high is None or _at_most(digits, high)

    return check


def _xml_content(text: str) -> bool:
    # Balanced XML content; a DTD or entity declaration cannot occur in element content,
    # and refusing it up front keeps entity expansion out of reach.
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        return False
    try:
        ElementTree.fromstring(f"<r>{text}</r>")
    except ElementTree.ParseError:
        return False
    return True


_chars = _full(f"[{_CHAR}]*")
_no_breaks = _full(f"[{_CHAR.replace(chr(9) + chr(10) + chr(13), '')}]*")


def _is_token(text: str) -> bool:
    return (
        _no_breaks(text)
        and not text.startswith(" ")
        and not text.endswith(" ")
        and "  " not in text
    )


def _negative_nonzero(text: str) -> bool:
    return re.fullmatch(r"-0*[1-9][0-9]*", text) is not None


def _positive_nonzero(text: str) -> bool:
    return re.fullmatch(r"\+?0*[1-9][0-9]*", text) is not None


_RULES: dict[str, Callable[[str], bool]] = {
    XSD + "string": _chars,
    XSD + "normalizedString": _no_breaks,
    XSD + "token": _is_token,
    XSD + "language": _full(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*"),
    XSD + "NMTOKEN": _full(f"[{_NAME_CHAR}]+"),
    XSD + "Name": _full(f"[{_NAME_START}][{_NAME_CHAR}]*"),
    XSD + "NCName": _full(f"[{_NAME_START.replace(':', '')}][{_NAME_CHAR.replace(':', '')}]*"),
    XSD + "anyURI": _chars,
    XSD + "boolean": _full(r"true|false|1|0"),
    XSD + "decimal": _full(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"),
    XSD + "integer": _integer(None, None),
    XSD + "double": _full(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN"),
    XSD + "float": _full(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN"),
    XSD + "long": _integer(-(2**63), 2**63 - 1),
    XSD + "int": _integer(-(2**31), 2**31 - 1),
    XSD + "short": _integer(-(2**15), 2**15 - 1),
    XSD + "byte": _integer(-128, 127),
    XSD + "unsignedLong": _integer(0, 2**64 - 1),
    XSD + "unsignedInt": _integer(0, 2**32 - 1),
    XSD + "unsignedShort": _integer(0, 2**16 - 1),
    XSD + "unsignedByte": _integer(0, 255),
    XSD + "nonNegativeInteger": _integer(0, None),
    XSD + "positiveInteger": _positive_nonzero,
    XSD + "nonPositiveInteger": _integer(None, 0),
    XSD + "negativeInteger": _negative_nonzero,
    XSD + "date": _calendar(_DATE, timezone=f"{_TZ}?"),
    XSD + "dateTime": _calendar(_DATE_TIME, timezone=f"{_TZ}?"),
    XSD + "dateTimeStamp": _calendar(_DATE_TIME, timezone=_TZ),
    XSD + "time": _full(f"{_TIME}{_TZ}?"),
    XSD + "gYear": _full(f"{_YEAR}{_TZ}?"),
    XSD + "gYearMonth": _full(f"{_YEAR}-{_MONTH}{_TZ}?"),
    XSD + "gMonth": _full(f"--{_MONTH}{_TZ}?"),
    XSD + "gDay": _full(f"---{_DAY}{_TZ}?"),
    XSD + "gMonthDay": _calendar(_MONTH_DAY, timezone=f"{_TZ}?"),
    XSD + "duration": _full(rf"-?P(?=[0-9]|T)([0-9]+Y)?([0-9]+M)?{_DAY_TIME}"),
    XSD + "yearMonthDuration": _full(r"-?P(?=[0-9])([0-9]+Y)?([0-9]+M)?"),
    XSD + "dayTimeDuration": _full(rf"-?P(?=[0-9]|T){_DAY_TIME}"),
    XSD + "hexBinary": _full(r"([0-9a-fA-F]{2})*"),
    XSD + "base64Binary": _full(_B64_ALL),
    RDF + "langString": lambda text: True,  # the language tag, not the text, makes it well-formed
    RDF + "HTML": lambda text: True,  # RDF 1.1: any Unicode string
    RDF + "XMLLiteral": _xml_content,
}


def known_datatypes() -> frozenset[str]:
    """The IRIs of the datatypes :func:`well_formed` has an opinion on.

    >>> XSD + "gMonthDay" in known_datatypes()
    True
    """
    return frozenset(_RULES)


def well_formed(lexical: str, datatype: str) -> bool | None:
    """Whether *lexical* is in the lexical space of *datatype* (an IRI); ``None`` if unknown.

    Every string-based type also requires XML characters only (no NUL, no lone surrogate).

    >>> well_formed("1.50", XSD + "decimal"), well_formed("1e5", XSD + "decimal")
    (True, False)
    >>> well_formed("24:00:00", XSD + "time"), well_formed("24:00:01", XSD + "time")
    (True, False)
    """
    rule = _RULES.get(datatype)
    if rule is None:
        return None
    return rule(lexical) and (datatype.startswith(RDF) or _chars(lexical))
