"""XSD 1.1 lexical rules: every datatype RDF 1.1 lists, with value ranges and real calendars."""

from __future__ import annotations

import time

import pytest

from goalgraph.literals import RDF, XSD, known_datatypes, well_formed

WELL_FORMED = [
    ("string", "any text\twith a tab"),
    ("normalizedString", "one line"),
    ("token", "a b c"),
    ("language", "sv-SE"),
    ("NMTOKEN", "a-1.b"),
    ("Name", "a:b"),
    ("NCName", "_a1"),
    ("anyURI", "https://example.org/a b"),
    ("boolean", "1"),
    ("boolean", "false"),
    ("decimal", "1.50"),
    ("decimal", "-.5"),
    ("decimal", "+01."),
    ("integer", "-0"),
    ("integer", "0" * 5000 + "7"),
    ("double", "1.0E0"),
    ("double", "1e999999999"),
    ("double", "+INF"),
    ("float", "NaN"),
    ("long", "9223372036854775807"),
    ("long", "-9223372036854775808"),
    ("int", "+2147483647"),
    ("short", "-32768"),
    ("byte", "-128"),
    ("byte", "0127"),
    ("unsignedLong", "18446744073709551615"),
    ("unsignedInt", "4294967295"),
    ("unsignedShort", "65535"),
    ("unsignedByte", "-0"),
    ("nonNegativeInteger", "+0"),
    ("positiveInteger", "0001"),
    ("nonPositiveInteger", "-17"),
    ("negativeInteger", "-1"),
    ("date", "2020-02-29"),
    ("date", "2000-02-29Z"),
    ("date", "0000-02-29"),
    ("date", "-0004-02-29"),
    ("date", "12020-12-31+14:00"),
    ("dateTime", "2020-01-01T24:00:00"),
    ("dateTime", "2020-01-01T10:00:00.000Z"),
    ("dateTimeStamp", "2020-01-01T10:00:00-05:30"),
    ("time", "23:59:59.999"),
    ("gYear", "2023"),
    ("gYearMonth", "2023-12"),
    ("gMonth", "--02"),
    ("gDay", "---31"),
    ("gMonthDay", "--02-29"),
    ("duration", "P1Y2M3DT4H5M6.7S"),
    ("duration", "-PT0S"),
    ("yearMonthDuration", "P1Y"),
    ("dayTimeDuration", "PT36H"),
    ("hexBinary", "0fA9"),
    ("hexBinary", ""),
    ("base64Binary", "QUJD"),
    ("base64Binary", "QQ=="),
]

ILL_FORMED = [
    ("string", "nul \x00"),
    ("normalizedString", "two\nlines"),
    ("token", " leading"),
    ("token", "double  space"),
    ("language", "toolongtag"),
    ("NMTOKEN", "a b"),
    ("NCName", "a:b"),
    ("Name", "1a"),
    ("boolean", "yes"),
    ("boolean", "TRUE"),
    ("decimal", "1e5"),
    ("decimal", "1e999999999"),
    ("decimal", "."),
    ("integer", " 5"),
    ("integer", "5.0"),
    ("double", "inf"),
    ("double", "1e"),
    ("byte", "300"),
    ("byte", "c"),
    ("byte", "-129"),
    ("byte", "9" * 100_000),
    ("short", "32768"),
    ("unsignedShort", "65536"),
    ("unsignedInt", "4294967296"),
    ("float", "1.5f"),
    ("int", "2147483648"),
    ("long", "9223372036854775808"),
    ("unsignedByte", "-1"),
    ("unsignedByte", "256"),
    ("unsignedLong", "18446744073709551616"),
    ("nonNegativeInteger", "-1"),
    ("positiveInteger", "0"),
    ("nonPositiveInteger", "1"),
    ("negativeInteger", "-0"),
    ("date", "2019-04-31"),
    ("date", "2023-02-29"),
    ("date", "1900-02-29"),
    ("date", "2019-4-30"),
    ("date", "20-01-01"),
    ("date", "2020-01-01+14:01"),
    ("date", "yesterday"),
    ("dateTime", "yesterday"),
    ("dateTime", "2020-01-01T24:00:01"),
    ("dateTime", "2020-01-01"),
    ("dateTime", "2019-04-31T10:00:00"),
    ("dateTimeStamp", "2020-01-01T10:00:00"),
    ("time", "24:30:00"),
    ("time", "10:60:00"),
    ("gYear", "23"),
    ("gYearMonth", "2023-13"),
    ("gMonth", "--13"),
    ("gDay", "---32"),
    ("gMonthDay", "--04-31"),
    ("duration", "P"),
    ("duration", "PT"),
    ("duration", "P1YT"),
    ("duration", "P1.5Y"),
    ("yearMonthDuration", "P1D"),
    ("dayTimeDuration", "P1M"),
    ("hexBinary", "0"),
    ("hexBinary", "zz"),
    ("base64Binary", "QUJ"),
    ("base64Binary", "Q==="),
]


@pytest.mark.parametrize(("name", "lexical"), WELL_FORMED, ids=lambda v: str(v)[:20])
def test_well_formed_lexical_form_is_accepted(name: str, lexical: str) -> None:
    """A lexical form in its datatype's lexical space (and value range) is well-formed."""
    assert well_formed(lexical, XSD + name) is True


@pytest.mark.parametrize(("name", "lexical"), ILL_FORMED, ids=lambda v: str(v)[:20])
def test_ill_formed_lexical_form_is_refused(name: str, lexical: str) -> None:
    """A lexical form outside its datatype's lexical space or value range is ill-formed."""
    assert well_formed(lexical, XSD + name) is False


def test_every_xsd_datatype_rdf_lists_as_usable_has_a_rule() -> None:
    """Each datatype of RDF 1.1 Concepts section 5.1 is known, and each is tested above."""
    usable = set(
        [
            "string",
            "boolean",
            "decimal",
            "integer",
            "double",
            "float",
            "date",
            "time",
            "dateTime",
            "dateTimeStamp",
            "gYear",
            "gMonth",
            "gDay",
            "gYearMonth",
            "gMonthDay",
            "duration",
            "yearMonthDuration",
            "dayTimeDuration",
            "byte",
            "short",
            "int",
            "long",
            "unsignedByte",
            "unsignedShort",
            "unsignedInt",
            "unsignedLong",
            "positiveInteger",
            "nonNegativeInteger",
            "negativeInteger",
            "nonPositiveInteger",
            "hexBinary",
            "base64Binary",
            "anyURI",
            "language",
            "normalizedString",
            "token",
            "NMTOKEN",
            "Name",
            "NCName",
        ]
    )
    assert {XSD + name for name in usable} <= known_datatypes()
    tested = {name for name, _ in WELL_FORMED} & {name for name, _ in ILL_FORMED}
    assert usable - {"anyURI"} <= tested


def test_unknown_datatype_gets_no_opinion() -> None:
    """A datatype outside the list (a user's own) is neither well- nor ill-formed."""
    assert well_formed("anything", "https://example.org/myType") is None


def test_xml_literal_needs_balanced_content_and_no_entity_declarations() -> None:
    """rdf:XMLLiteral is well-formed XML content; a DOCTYPE (entity bomb) is ill-formed."""
    assert well_formed("<a>b</a> text", RDF + "XMLLiteral") is True
    assert well_formed("<a>", RDF + "XMLLiteral") is False
    bomb = '<!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>'
    assert well_formed(bomb, RDF + "XMLLiteral") is False


def test_huge_numbers_are_judged_without_expanding_them() -> None:
    """A million-digit integer or a billion exponent takes well under a second to judge."""
    start = time.perf_counter()
    assert well_formed("9" * 1_000_000, XSD + "long") is False
    assert well_formed("9" * 1_000_000, XSD + "integer") is True
    assert well_formed("1" + "0" * 1_000_000, XSD + "positiveInteger") is True
    assert well_formed("1e999999999", XSD + "double") is True
    assert well_formed("9" * 100_000 + "-01-01", XSD + "date") is True
    assert time.perf_counter() - start < 1
