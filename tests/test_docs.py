"""The documentation's examples are real: the worked Turtle example parses and uses minted IRIs."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from goalgraph.namespace import mint

ROOT = Path(__file__).parent.parent


def _turtle_blocks(path: Path) -> list[str]:
    return re.findall(r"```turtle\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


def test_worked_example_in_modelling_guide_is_valid_turtle_with_minted_iris() -> None:
    """The worked example parses and names its nämnd goal with the IRI mint() gives."""
    (block,) = _turtle_blocks(ROOT / "docs" / "modelling.md")
    triples = list(ox.parse(block, format=ox.RdfFormat.TURTLE))
    subjects = {t.subject.value for t in triples}
    assert str(mint("0685", "goal", "KFN-1")) in subjects
    assert "https://w3id.org/goalgraph/ref/kommun/0685" in {t.object.value for t in triples}


def test_a_broken_turtle_block_would_be_caught() -> None:
    """An unescaped slash in a prefixed name is a syntax error, which the test above relies on."""
    with pytest.raises(SyntaxError):
        list(
            ox.parse(
                "@prefix ref: <https://x/> . ref:a/b ref:p ref:c .", format=ox.RdfFormat.TURTLE
            )
        )
