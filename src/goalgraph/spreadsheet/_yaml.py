"""Read a YAML import file into tables of text, safely.

Before PyYAML builds its node tree, one pass over the parser's events (which keeps
no tree and needs no recursion) checks what the tree would cost and lose: the
nesting depth (composing is recursive), the number of nodes once every alias is
expanded (a "billion laughs" bomb is a few lines long), and keys given twice in one
mapping (the second would silently win).

>>> import pathlib, tempfile
>>> source = pathlib.Path(tempfile.mkdtemp()) / "twice.yaml"
>>> _ = source.write_text("{mål: [{id: V, id: W}]}", encoding="utf-8")
>>> read_yaml(source)[1][0].message.split(";")[0]
'nyckeln "id" står två gånger i samma mappning (först på rad 1)'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from goalgraph.errors import SpreadsheetProblem
from goalgraph.i18n import message
from goalgraph.limits import exceeded, limit
from goalgraph.positions import parser_problem
from goalgraph.spreadsheet._tables import RawRow, RawTable, problem

__all__ = ["read_yaml"]


class _DuplicateKey(Exception):
    """A key given twice in one mapping: where, and where it was first."""

    def __init__(self, key: str, line: int | None, first: int | None) -> None:
        self.key, self.line, self.first = key, line, first
        super().__init__(key)


@dataclass
class _Collection:
    """An open mapping or sequence while scanning events."""

    mapping: bool
    anchor: str | None
    size: int = 1
    expecting_key: bool = True
    keys: dict[str, int | None] = field(default_factory=dict)


def _scan(path: Path, text: str) -> None:
    """Check depth, expanded size and duplicate keys from the parser's events.

    :raises _DuplicateKey: for the first key given twice in a mapping.
    :raises LoadError: past the depth or node limit, naming the line.
    :raises yaml.YAMLError: if the text is not YAML.
    """
    depth_limit = limit("depth").value
    node_limit = limit("expansion").value
    anchors: dict[str, int] = {}
    stack: list[_Collection] = []
    total = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, yaml.CollectionEndEvent):
            done = stack.pop()
            if done.anchor is not None:
                anchors[done.anchor] = done.size
            if stack:
                stack[-1].size += done.size
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        if stack and stack[-1].mapping:
            _check_key(stack[-1], event, line)
        size = anchors.get(event.anchor or "", 1) if isinstance(event, yaml.AliasEvent) else 1
        total += size
        if total > node_limit:
            raise exceeded("expansion", path=path, amount=total, line=line)
        if isinstance(event, yaml.CollectionStartEvent):
            stack.append(_Collection(isinstance(event, yaml.MappingStartEvent), event.anchor))
            if len(stack) > depth_limit:
                raise exceeded("depth", path=path, amount=len(stack), line=line)
            continue
        if isinstance(event, yaml.ScalarEvent) and event.anchor is not None:
            anchors[event.anchor] = 1
        if stack:
            stack[-1].size += size


def _check_key(mapping: _Collection, event: yaml.NodeEvent, line: int | None) -> None:
    """Note a key (or skip a value) of an open mapping; a repeated plain key is an error."""
    if mapping.expecting_key and isinstance(event, yaml.ScalarEvent):
        if event.value in mapping.keys:
            raise _DuplicateKey(event.value, line, mapping.keys[event.value])
        mapping.keys[event.value] = line
    mapping.expecting_key = not mapping.expecting_key


def _yaml_value(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:null":
            return ""
        return node.value.strip()
    if isinstance(node, yaml.SequenceNode):
        return [_yaml_value(n) for n in node.value]
    if isinstance(node, yaml.MappingNode):
        return {str(_yaml_value(k)): _yaml_value(v) for k, v in node.value}
    return ""


def _yaml_cell(value: Any) -> str:
    if isinstance(value, list):
        return ";".join(_yaml_cell(v) for v in value)
    if isinstance(value, dict):
        return ";".join(f"{k}={_yaml_cell(v)}" for k, v in value.items())
    return str(value)


def read_yaml(path: Path) -> tuple[list[RawTable], list[SpreadsheetProblem]]:
    """Read a YAML import file into tables, with any problems reading it.

    :raises LoadError: if the file is nested deeper than the depth limit, or its
        aliases expand beyond the node limit (a "billion laughs" bomb).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return [], [problem(path, message("spreadsheet.not_utf8_text", position=exc.start))]
    try:
        _scan(path, text)
        # compose() builds PyYAML's node tree without constructing Python values, so dates,
        # numbers like 11.10 and booleans stay exactly as typed and every row keeps its line.
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except _DuplicateKey as exc:
        text = message("spreadsheet.yaml_duplicate_key", name=exc.key, first=exc.first)
        return [], [problem(path, text, row=exc.line)]
    except yaml.YAMLError as exc:
        found = parser_problem(exc)
        line, column = found.line, found.column
        if isinstance(exc, yaml.reader.ReaderError):
            line = text.count("\n", 0, exc.position) + 1
            column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        if column is None:
            said = message("spreadsheet.yaml_syntax_unplaced", detail=found.detail)
        else:
            said = message("spreadsheet.yaml_syntax", detail=found.detail, column=column)
        return [], [problem(path, said, row=line)]
    if root is None:
        return [], [problem(path, message("spreadsheet.empty_file", path=path))]
    if not isinstance(root, yaml.MappingNode):
        return [], [problem(path, message("spreadsheet.yaml_shape"), row=root.start_mark.line + 1)]
    tables = []
    for key_node, value_node in root.value:
        sheet = str(_yaml_value(key_node))
        entries = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        table = RawTable(str(path), sheet, [])
        for entry in entries:
            line = entry.start_mark.line + 1
            if not isinstance(entry, yaml.MappingNode):
                return [], [problem(path, message("spreadsheet.yaml_shape"), sheet=sheet, row=line)]
            values = {k: _yaml_cell(v) for k, v in _yaml_value(entry).items()}
            for header in values:
                if header not in table.headers:
                    table.headers.append(header)
            table.rows.append(RawRow(line, values))
        tables.append(table)
    return tables, []
