"""The checks every input file passes before a parser sees it.

A path must name a regular file (a named pipe would block forever, a device never
ends, a symlink loop is not a missing file), stay within the size limit, and be
UTF-8; RDF/XML must be well-formed XML without DTD entities; JSON-LD must not hold
terms that the JSON-LD algorithms would drop without a word. The content checks read
the file in chunks, so they take little memory whatever its size; parsing follows
from the path, streamed by the parser.
"""

from __future__ import annotations

import codecs
import errno
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from goalgraph.errors import LoadError
from goalgraph.i18n import message
from goalgraph.limits import check_size, exceeded, limit
from goalgraph.positions import parser_problem

__all__ = ["check_file", "check_json_ld", "check_utf8", "check_xml", "chunks", "first_line_with"]

_CHUNK = 1 << 20
_KINDS = {
    stat.S_IFIFO: "fifo",
    stat.S_IFCHR: "device",
    stat.S_IFBLK: "device",
    stat.S_IFSOCK: "socket",
    stat.S_IFDIR: "folder",
}


def check_file(path: str | Path) -> int:
    """The size of *path* once it is known to be a regular file within the size limit.

    Only the file's metadata is read, so a named pipe, a device or a huge file is
    refused before anything is opened.

    :raises LoadError: naming the file, if it is missing, a symlink loop, a named pipe,
        device, socket or folder, not accessible, or larger than the input size limit.

    >>> from goalgraph.resources import ontology_file
    >>> check_file(ontology_file()) > 0
    True
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise _os_error(exc, path) from exc
    if not stat.S_ISREG(mode):
        kind = _KINDS.get(stat.S_IFMT(mode), "special")
        raise LoadError(message(f"load.not_regular_{kind}", path=path), path=path)
    return check_size(path)


def _os_error(exc: OSError, path: str | Path) -> LoadError:
    if exc.errno == errno.ENOENT:
        if os.path.islink(path):
            return LoadError(message("load.dangling_link", path=path), path=path)
        return LoadError(message("load.not_found", path=path), path=path)
    if exc.errno == errno.ELOOP:
        return LoadError(message("load.symlink_loop", path=path), path=path)
    return LoadError(message("load.unreadable", path=path, reason=exc.strerror), path=path)


def chunks(path: str | Path) -> Iterator[bytes]:
    """The bytes of *path* in chunks of 1 MB.

    :raises LoadError: naming the file, if it cannot be opened or read.

    >>> from goalgraph.resources import ontology_file
    >>> sum(map(len, chunks(ontology_file()))) == ontology_file().stat().st_size
    True
    """
    try:
        with open(path, "rb") as stream:
            while chunk := stream.read(_CHUNK):
                yield chunk
    except OSError as exc:
        raise _os_error(exc, path) from exc


def first_line_with(path: str | Path, text: str) -> int | None:
    """The number of the first line of *path* that holds *text*, read in chunks; else None.

    :raises LoadError: naming the file, if it cannot be read.

    >>> from goalgraph.resources import ontology_file
    >>> first_line_with(ontology_file(), "@prefix gg:")
    3
    """
    wanted = text.encode("utf-8")
    if not wanted or b"\n" in wanted:
        return None
    lines, rest = 1, b""
    for chunk in chunks(path):
        block = rest + chunk
        found = block.find(wanted)
        if found >= 0:
            return lines + block.count(b"\n", 0, found)
        # keep the unfinished last line: the text may run across the chunk boundary
        cut = block.rfind(b"\n") + 1
        lines += block.count(b"\n", 0, cut)
        rest = block[cut:]
    return None


def check_utf8(path: str | Path) -> None:
    """Check that *path* is UTF-8 throughout, reading it in chunks.

    :raises LoadError: naming the file, the line and the byte of the first bad sequence.

    >>> from goalgraph.resources import ontology_file
    >>> check_utf8(ontology_file())
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, lines = 0, 1
    for chunk in chunks(path):
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            # the decoder's positions count from the bytes it still held from the last chunk
            held = len(exc.object) - len(chunk)
            start = max(0, exc.start - held)
            line = lines + chunk[:start].count(b"\n")
            raise LoadError(
                message("load.not_utf8", position=offset + start), path=path, line=line
            ) from exc
        offset += len(chunk)
        lines += chunk.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise LoadError(message("load.not_utf8", position=offset), path=path, line=lines) from exc


def check_xml(path: str | Path) -> None:
    """Check that *path* is well-formed XML without DTD entities, reading it in chunks.

    defusedxml's parser refuses entity declarations (no "billion laughs", no external
    files), nothing is fetched, and expat reports where a truncated or broken document
    goes wrong.

    :raises LoadError: naming the file and line, if it is empty, not well-formed or
        declares an entity.

    >>> import pathlib, tempfile
    >>> cut = pathlib.Path(tempfile.mkdtemp()) / "cut.rdf"
    >>> _ = cut.write_text('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">')
    >>> check_xml(cut)
    Traceback (most recent call last):
    ...
    goalgraph.errors.LoadError: .../cut.rdf, rad 1, kolumn ...: ...
    """
    import xml.sax
    import xml.sax.handler

    import defusedxml
    import defusedxml.sax

    parser = defusedxml.sax.make_parser()
    # An external DTD is skipped, as the RDF/XML parser skips it: the standard library
    # never fetches it (feature_external_ges and _pes stay off); entity declarations,
    # internal or external, stay forbidden.
    parser.forbid_external = False
    # with namespaces on, expat also reports an undeclared prefix, with its line
    parser.setFeature(xml.sax.handler.feature_namespaces, True)
    parser.setContentHandler(xml.sax.ContentHandler())
    empty = True
    try:
        for chunk in chunks(path):
            empty = False
            parser.feed(chunk)
        if empty:
            raise LoadError(message("load.empty_xml"), path=path, line=1)
        parser.close()
    except xml.sax.SAXParseException as exc:
        found = parser_problem(exc)
        raise LoadError(
            message("load.xml_syntax", detail=found.detail),
            path=path,
            line=found.line,
            column=found.column,
        ) from exc
    except defusedxml.DefusedXmlException as exc:
        raise LoadError(message("load.xml_entity"), path=path, line=parser.getLineNumber()) from exc


def check_json_ld(path: str | Path, *, base_iri: str) -> None:
    """Check that the JSON-LD document *path* holds no term its parser would drop silently.

    The JSON-LD algorithms leave out, without an error, a node whose ``@id`` (or a
    value of an IRI-typed term) is not a valid IRI, a ``@type`` that is none, a value
    with an invalid ``@language``, and a key that is neither a keyword, an IRI, a
    compact IRI nor a term of a ``@context``. Here each is an error naming the term
    and where it is (as a JSON path).

    :raises LoadError: naming the file and the term, or the depth limit if the
        document is nested deeper than it.

    >>> import json, pathlib, tempfile
    >>> doc = pathlib.Path(tempfile.mkdtemp()) / "a.jsonld"
    >>> _ = doc.write_text(json.dumps({"@id": "http://example.org/a", "namn": "x"}))
    >>> check_json_ld(doc, base_iri=doc.as_uri())
    Traceback (most recent call last):
    ...
    goalgraph.errors.LoadError: ...Nyckeln "namn" (i $) är varken en IRI...
    """
    try:
        with open(path, encoding="utf-8") as stream:
            document = json.load(stream)
    except RecursionError:
        raise exceeded("depth", path=path, amount=limit("depth").value + 1) from None
    except (ValueError, OSError):
        return  # pyoxigraph's parser reports a syntax error with its line
    context = _context(document, path)
    for where, kind, value in _terms(document, path, context):
        problem = _term_problem(kind, value, context, base_iri)
        if problem is not None:
            raise LoadError(message(f"load.jsonld_{problem}", term=value, where=where), path=path)


def _walk(document: Any, path: str | Path) -> Iterator[tuple[str, Any]]:
    """Every JSON value of *document* with where it is (``$.@graph[2].name``), depth-first."""
    depth_limit = limit("depth").value
    stack: list[tuple[str, Any, int]] = [("$", document, 0)]
    while stack:
        where, value, depth = stack.pop()
        if depth > depth_limit:
            raise exceeded("depth", path=path, amount=depth)
        yield where, value
        if isinstance(value, dict):
            for key, item in reversed(value.items()):
                stack.append((f"{where}.{key}", item, depth + 1))
        elif isinstance(value, list):
            for index, item in reversed(list(enumerate(value))):
                stack.append((f"{where}[{index}]", item, depth + 1))


@dataclass
class _Context:
    """What the document's embedded contexts define, all merged."""

    terms: dict[str, str | None] = field(default_factory=dict)  # term -> its IRI, if given
    iri_valued: set[str] = field(default_factory=set)  # terms whose string values are IRIs
    vocab: bool = False


def _context(document: Any, path: str | Path) -> _Context:
    """The terms defined by every embedded ``@context``, which of them take IRIs, any @vocab."""
    found = _Context()
    for _, value in _walk(document, path):
        if not isinstance(value, dict) or not isinstance(value.get("@context"), dict | list):
            continue
        contexts = value["@context"] if isinstance(value["@context"], list) else [value["@context"]]
        for context in contexts:
            if not isinstance(context, dict):
                continue
            found.vocab = found.vocab or "@vocab" in context
            for term, definition in context.items():
                if isinstance(definition, dict):
                    if definition.get("@type") in ("@id", "@vocab"):
                        found.iri_valued.add(term)
                    definition = definition.get("@id")
                found.terms[term] = definition if isinstance(definition, str) else None
    return found


def _terms(document: Any, path: str | Path, context: _Context) -> Iterator[tuple[str, str, str]]:
    """(where, kind, text) of every key, IRI and language tag outside the contexts."""
    for where, value in _walk(document, path):
        if not isinstance(value, dict) or "@context" in re.split(r"[.\[]", where):
            continue
        for key, item in value.items():
            texts = [t for t in (item if isinstance(item, list) else [item]) if isinstance(t, str)]
            if key == "@id" or key in context.iri_valued:
                yield from ((where, "id", text) for text in texts)
            elif key == "@type" and "@value" not in value:
                yield from ((where, "vocab", text) for text in texts)
            elif key == "@language":
                yield from ((where, "language", text) for text in texts)
            if not key.startswith("@"):
                yield where, "key", key


def _term_problem(kind: str, value: str, context: _Context, base_iri: str) -> str | None:
    """What is wrong with *value* (``bad_iri``, ``bad_language``, ``undefined``), or None.

    Keys and types are read against the vocabulary (terms, compact IRIs, @vocab),
    ids against the document's base.
    """
    import pyoxigraph as ox

    if kind == "language":
        try:
            ox.Literal("x", language=value)
        except ValueError:
            return "bad_language"
        return None
    if value.startswith("_:") or (kind != "id" and value in context.terms):
        return None
    prefix, colon, suffix = value.partition(":")
    if kind == "id":
        expanded = urljoin(base_iri, value)
    elif colon:
        expanded = (context.terms[prefix] or "") + suffix if prefix in context.terms else value
    elif context.vocab:
        # under @vocab a plain key or type becomes the vocabulary IRI followed by it
        expanded = f"urn:vocab:{value}"
    elif kind == "key":
        return "undefined"
    else:
        expanded = urljoin(base_iri, value)  # a type with no @vocab is document-relative
    try:
        ox.NamedNode(expanded)
    except ValueError:
        return "bad_iri"
    return None
