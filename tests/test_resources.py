"""Locating packaged files: the ontology, reference data, shapes and package data."""

from __future__ import annotations

import pytest

import goalgraph
from goalgraph import resources


def test_package_dir_is_the_goalgraph_package() -> None:
    """package_dir() is the folder holding goalgraph's __init__.py and message catalogues."""
    assert (resources.package_dir() / "__init__.py").is_file()
    assert resources.package_dir().samefile(goalgraph.__file__.rsplit("/", 1)[0])
    assert (resources.package_dir() / "messages" / "load.toml").is_file()


@pytest.mark.parametrize("name", ["ontology", "shapes"])
def test_data_dir_finds_the_shipped_folders(name: str) -> None:
    """data_dir() finds ontology/ and shapes/ in the checkout or the installed wheel."""
    assert resources.data_dir(name).is_dir()


def test_data_dir_of_an_unknown_folder_raises() -> None:
    """A folder goalgraph does not ship raises FileNotFoundError naming it."""
    with pytest.raises(FileNotFoundError, match="no-such-folder"):
        resources.data_dir("no-such-folder")


def test_ontology_file_is_the_turtle_ontology() -> None:
    """ontology_file() is ontology/goalgraph.ttl and ontology_dir() holds it."""
    assert resources.ontology_file() == resources.ontology_dir() / "goalgraph.ttl"
    assert resources.ontology_file().is_file()
    assert resources.shapes_dir() == resources.data_dir("shapes")


def test_vocabulary_files_start_with_the_ontology_then_reference_data() -> None:
    """vocabulary_files() is the ontology followed by every reference file, all existing."""
    files = resources.vocabulary_files()
    assert files[0] == resources.ontology_file()
    assert files[1:] == resources.reference_files()
    assert all(path.is_file() and path.suffix == ".ttl" for path in files)
    assert len(files) >= 9


def test_shapes_files_are_turtle_files_of_the_shapes_folder() -> None:
    """shapes_files() lists the .ttl files of shapes/, sorted."""
    files = resources.shapes_files()
    assert files == sorted(files)
    assert all(path.parent == resources.shapes_dir() and path.suffix == ".ttl" for path in files)
