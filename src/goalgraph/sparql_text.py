"""SPARQL text as its code alone: comments, strings and IRIs masked, positions kept.

Keywords, braces and variables are looked for in SPARQL text by regular
expressions (a SERVICE clause, an update operation, the groups of a SHACL-SPARQL
query); what a comment, a string literal or an IRI holds is not code and must not
match. :func:`masked` reads the text as the SPARQL grammar's lexer does and gives
it back with those parts masked, character for character, so a match in the
result is at the same position in the text.

>>> masked('ASK { <urn:x#SERVICE> ?p "MINUS {" } # VALUES')
'ASK { <_____________> ?p           }         '
"""

from __future__ import annotations

import functools
import re

__all__ = ["keywords", "masked"]

# SPARQL 1.1 grammar, IRIREF: no space, control character or <>"{}|^`\ inside.
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')


def masked(text: str) -> str:
    r"""*text* with comments and strings blanked and IRIs masked, character for character.

    A comment runs to the end of its line (``\n`` or ``\r``); a string (in single,
    double, triple single or triple double quotes) to its closing quote, a
    backslash escaping the next character, or to the end of *text* if it is never
    closed; both become spaces, quotes included. An IRI becomes ``<___>`` of its
    length, so it still reads as one term. A backslash outside a string escapes
    one character of a prefixed name (``ex:a\#b``), and both become ``_``. What
    is left (keywords, names, variables, braces, operators) stays as written.

    :raises: nothing; text that is not SPARQL is masked as far as it reads like it.

    >>> masked('SELECT ?s { ?s <http://e/x#y> "a { b" } # c {')
    'SELECT ?s { ?s <____________>         }      '
    >>> masked(r"?s ex:p '''it's''', 'a \' SERVICE' ; ex:q ex:a\#b")
    '?s ex:p           ,                ; ex:q ex:a__b'
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = min((j for j in (text.find("\n", i), text.find("\r", i)) if j >= 0), default=n)
            out.append(" " * (end - i))
            i = end
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            j = min(j + len(quote), n)
            out.append(" " * (j - i))
            i = j
        elif c == "<" and (match := _IRIREF.match(text, i)):
            out.append("<" + "_" * (match.end() - i - 2) + ">")
            i = match.end()
        elif c == "\\":
            out.append("_" * min(2, n - i))  # an escaped character of a prefixed name
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)[:n]


def keywords(text: str, *words: str) -> list[re.Match[str]]:
    """Every place where one of *words* stands as a keyword in the code of *text*, in order.

    Case does not matter. A word inside a comment, string or IRI (see
    :func:`masked`), or that is part of a variable (``?service``), a prefixed name
    (``ex:minus``, ``service:x``, ``ex:a.values``) or a blank node label, is no
    keyword; a dot right before a word ends a triple (``?o.SERVICE``) unless it is
    inside a prefixed name. The matches are in the masked text (``match.string``),
    at the positions of *text*.

    :raises: nothing; text that is not SPARQL is read as far as it reads like it.

    >>> [m.group(0) for m in keywords('SELECT ?service { ?s ?p ?o.service <x> {} }', "SERVICE")]
    ['service']
    >>> keywords('SELECT * { ?s ex:SERVICE "SERVICE" ; ex:a.service ?o } # SERVICE', "SERVICE")
    []
    """
    code = masked(text)
    return [m for m in _pattern(words).finditer(code) if not _in_prefixed_name(code, m.start())]


@functools.lru_cache(maxsize=16)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(word) for word in words)
    # not after or before a character of a name, variable or (masked) IRI or escape
    return re.compile(rf"(?<![\w:?$\-])(?:{alternatives})(?![\w:\-])", re.IGNORECASE)


def _in_prefixed_name(code: str, start: int) -> bool:
    """Whether the word at *start* continues a prefixed name through a dot (``ex:a.b``)."""
    if start == 0 or code[start - 1] != ".":
        return False
    end = begin = start - 1
    while begin > 0 and (code[begin - 1].isalnum() or code[begin - 1] in "_-.:%"):
        begin -= 1
    name = code[begin:end]
    return ":" in name and not name.endswith(":")
