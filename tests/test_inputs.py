"""The checks every input file passes before a parser sees it (goalgraph.inputs)."""

from __future__ import annotations

import builtins
import json
import os
import socket
from pathlib import Path
from typing import Any

import pytest

from goalgraph import load
from goalgraph.errors import LoadError
from goalgraph.inputs import (
    check_file,
    check_json_ld,
    check_utf8,
    check_xml,
    chunks,
    first_line_with,
)

TURTLE = "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Check the English messages (the Swedish ones are covered by the corpus)."""
    monkeypatch.setenv("GOALGRAPH_LANG", "en")


def test_a_regular_file_passes_and_gives_its_size(tmp_path: Path) -> None:
    """A plain file within the limit passes; its size comes back."""
    path = tmp_path / "a.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    assert check_file(path) == len(TURTLE)


def test_a_named_pipe_is_refused_without_opening_it(tmp_path: Path) -> None:
    """A FIFO is named as one at once (opening it would block until a writer comes)."""
    pipe = tmp_path / "a.ttl"
    os.mkfifo(pipe)
    with pytest.raises(LoadError, match="named pipe"):
        check_file(pipe)


def test_a_socket_a_device_and_a_folder_are_each_named(tmp_path: Path) -> None:
    """Sockets, devices and folders are refused with what they are."""
    path = tmp_path / "s.ttl"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
    with pytest.raises(LoadError, match="socket"):
        check_file(path)
    with pytest.raises(LoadError, match="device"):
        check_file("/dev/null")
    with pytest.raises(LoadError, match="folder"):
        check_file(tmp_path)


def test_a_symlink_loop_and_a_dangling_link_are_not_file_not_found(tmp_path: Path) -> None:
    """A loop and a link to nothing each have their message; a missing file its own."""
    loop = tmp_path / "loop.ttl"
    loop.symlink_to("loop.ttl")
    with pytest.raises(LoadError, match="loop"):
        check_file(loop)
    dangling = tmp_path / "gone.ttl"
    dangling.symlink_to("nowhere.ttl")
    with pytest.raises(LoadError, match="does not exist"):
        check_file(dangling)
    with pytest.raises(LoadError, match="File not found"):
        check_file(tmp_path / "missing.ttl")


def test_an_unreadable_file_is_named_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file the user may not read is an error naming it (simulated: root reads anything)."""
    secret = tmp_path / "secret.ttl"
    secret.write_text(TURTLE, encoding="utf-8")
    real_open = builtins.open

    def refusing(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) == str(secret):
            raise PermissionError(13, "Permission denied", str(secret))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing)
    with pytest.raises(LoadError, match=r"secret.ttl.*Permission denied"):
        list(chunks(secret))


def test_an_unreadable_file_inside_a_folder_stops_the_load_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading a folder names the one file it cannot read, instead of leaving it out."""
    (tmp_path / "good.ttl").write_text(TURTLE, encoding="utf-8")
    secret = tmp_path / "secret.ttl"
    secret.write_text(TURTLE, encoding="utf-8")
    real_open = builtins.open

    def refusing(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) == str(secret):
            raise PermissionError(13, "Permission denied", str(secret))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing)
    with pytest.raises(LoadError, match=r"secret\.ttl"):
        load(tmp_path, vocabulary=False)


def test_a_folder_names_a_pipe_among_its_files(tmp_path: Path) -> None:
    """A named pipe with an RDF suffix in a data folder is named, not skipped or read."""
    (tmp_path / "good.ttl").write_text(TURTLE, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.ttl")
    with pytest.raises(LoadError, match=r"pipe\.ttl"):
        load(tmp_path, vocabulary=False)


def test_utf8_split_across_chunks_passes(tmp_path: Path) -> None:
    """A two-byte character cut by the 1 MB chunk boundary is still valid UTF-8."""
    path = tmp_path / "a.ttl"
    path.write_bytes(b"#" * ((1 << 20) - 1) + "å\n".encode())
    check_utf8(path)


def test_a_bad_byte_after_the_first_chunk_names_its_line_and_position(tmp_path: Path) -> None:
    """The line and byte offset of a bad byte count every chunk before it."""
    path = tmp_path / "a.ttl"
    line = b"# " + b"x" * 1021 + b"\n"  # 1024 bytes
    path.write_bytes(line * 2048 + b"# Sm\xe5land\n")
    with pytest.raises(LoadError, match=r"line 2049.*byte 2097156") as caught:
        check_utf8(path)
    assert caught.value.line == 2049


def test_a_file_cut_in_a_character_is_not_utf8(tmp_path: Path) -> None:
    """A file ending inside a multi-byte character fails at its end."""
    path = tmp_path / "a.ttl"
    path.write_bytes("# å".encode()[:-1])
    with pytest.raises(LoadError, match="UTF-8"):
        check_utf8(path)


RDF = (
    '<?xml version="1.0"?>\n'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"\n'
    '         xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
    '  <rdf:Description rdf:about="http://example.org/a">\n'
    '    <rdfs:label xml:lang="sv">Mål</rdfs:label>\n'
    "  </rdf:Description>\n"
    "</rdf:RDF>\n"
)


def test_well_formed_xml_passes_and_cut_off_xml_names_the_line(tmp_path: Path) -> None:
    """A whole document passes; the same document cut after line 5 fails there or after."""
    whole = tmp_path / "a.rdf"
    whole.write_text(RDF, encoding="utf-8")
    check_xml(whole)
    cut = tmp_path / "cut.rdf"
    cut.write_text("".join(RDF.splitlines(keepends=True)[:5]), encoding="utf-8")
    with pytest.raises(LoadError, match="cut off") as caught:
        check_xml(cut)
    assert caught.value.line is not None and caught.value.line >= 5


def test_empty_xml_is_an_error(tmp_path: Path) -> None:
    """An empty RDF/XML file is not an empty graph: it is a broken file."""
    empty = tmp_path / "empty.rdf"
    empty.write_bytes(b"")
    with pytest.raises(LoadError, match="empty"):
        check_xml(empty)
    with pytest.raises(LoadError, match="empty"):
        load(empty, vocabulary=False)


def test_entity_declarations_are_refused_and_an_external_dtd_skipped(tmp_path: Path) -> None:
    """An internal entity (bomb material) is refused; an external DTD is neither read nor fatal."""
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text(
        RDF.replace("<rdf:RDF", '<!DOCTYPE rdf:RDF [<!ENTITY a "aaaa">]>\n<rdf:RDF', 1),
        encoding="utf-8",
    )
    with pytest.raises(LoadError, match="DOCTYPE"):
        check_xml(bomb)
    dtd = tmp_path / "dtd.rdf"
    dtd.write_text(
        RDF.replace(
            "<rdf:RDF", '<!DOCTYPE rdf:RDF SYSTEM "http://example.invalid/x.dtd">\n<rdf:RDF', 1
        ),
        encoding="utf-8",
    )
    check_xml(dtd)


def _json_ld(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "a.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


BASE = "file:///data/a.jsonld"


def test_json_ld_with_terms_compact_iris_and_vocab_passes(tmp_path: Path) -> None:
    """Defined terms, compact IRIs, relative ids, blank nodes and @vocab keys all pass."""
    document = {
        "@context": {"ex": "http://example.org/", "label": {"@id": "http://e.org/label"}},
        "@graph": [
            {"@id": "ex:a", "label": {"@value": "x", "@language": "sv-SE"}, "ex:p": "1"},
            {"@id": "relative/b", "http://example.org/q": {"@id": "_:n"}},
            {"@context": {"@vocab": "http://example.org/v#"}, "@id": "_:c", "plain": "y"},
        ],
    }
    check_json_ld(_json_ld(tmp_path, document), base_iri=BASE)


@pytest.mark.parametrize(
    ("document", "term"),
    [
        ({"@id": "http://example.org/a b", "http://example.org/p": "x"}, "a b"),
        ({"@id": "http://example.org/a", "http://example.org/%zz": "x"}, "%zz"),
        ({"@id": "http://example.org/a", "undefined": "x"}, "undefined"),
        (
            {"@id": "http://example.org/a", "http://e.org/p": {"@value": "x", "@language": "x y"}},
            "x y",
        ),
        ({"@context": {"@vocab": "http://e.org/"}, "@id": "http://e.org/a", "a b": "x"}, "a b"),
        ({"@id": "http://e.org/a", "@type": ["http://e.org/T", "http://e.org/U V"]}, "U V"),
        (
            {
                "@context": {"goal": {"@id": "http://e.org/goal", "@type": "@id"}},
                "@id": "http://e.org/a",
                "goal": "http://e.org/g 1",
            },
            "g 1",
        ),
    ],
)
def test_json_ld_terms_that_would_be_dropped_are_errors_naming_them(
    tmp_path: Path, document: Any, term: str
) -> None:
    """An invalid @id, property IRI or language tag, or an undefined key is named."""
    with pytest.raises(LoadError, match=term) as caught:
        check_json_ld(_json_ld(tmp_path, document), base_iri=BASE)
    assert "a.jsonld" in str(caught.value)


def test_json_ld_deeper_than_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nesting beyond GOALGRAPH_MAX_DEPTH is an error naming the variable."""
    monkeypatch.setenv("GOALGRAPH_MAX_DEPTH", "5")
    document: Any = "x"
    for _ in range(8):
        document = [document]
    with pytest.raises(LoadError, match="GOALGRAPH_MAX_DEPTH"):
        check_json_ld(_json_ld(tmp_path, {"http://e.org/p": document}), base_iri=BASE)


def test_loading_streams_from_the_path_without_reading_the_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """load() never reads a file into one bytes object (the parser streams it)."""
    path = tmp_path / "a.ttl"
    path.write_text(TURTLE, encoding="utf-8")

    def whole(self: Path) -> bytes:
        raise AssertionError(f"{self} was read whole")

    monkeypatch.setattr(Path, "read_bytes", whole)
    monkeypatch.setattr(Path, "read_text", whole)
    assert len(load(path, vocabulary=False)) == 1


def test_the_first_line_holding_a_text_is_found_across_chunks(tmp_path: Path) -> None:
    """A term cut by the 1 MB chunk boundary is found on its line; a missing one is None."""
    path = tmp_path / "a.rdf"
    filler = b"<!-- " + b"x" * 1000 + b" -->\n"  # 1010 bytes a line
    lines = (1 << 20) // len(filler)
    padding = b"y" * ((1 << 20) - lines * len(filler) - 4)
    path.write_bytes(filler * lines + padding + b"http://example.org/goal 1\n")
    assert first_line_with(path, "http://example.org/goal 1") == lines + 1
    assert first_line_with(path, "absent") is None


def test_an_rdfxml_error_without_a_position_gets_the_line_of_its_term(tmp_path: Path) -> None:
    """The RDF/XML parser names a bad IRI but not its line: the line is found in the file."""
    path = tmp_path / "a.rdf"
    path.write_text(RDF.replace("http://example.org/a", "http://example.org/a b"), "utf-8")
    with pytest.raises(LoadError, match="a b") as caught:
        load(path, vocabulary=False)
    assert caught.value.line == 4
