"""Where commands write: every output is checked before any work is done, never over an input.

An output may not be one of the inputs, nor a data file (RDF or spreadsheet)
inside an input folder: loading the folder reads such files, so writing one
would destroy the data or mix results into it. Two outputs of one command may
not be the same file, and each must go to a folder that exists.

>>> from pathlib import Path
>>> check_outputs([Path("rapport.html")], inputs=[Path("data.ttl")])
>>> check_outputs([Path("data.ttl")], inputs=[Path("data.ttl")])
Traceback (most recent call last):
goalgraph.errors.OutputError: Utfilen data.ttl är också en indatafil; ...
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from goalgraph.errors import OutputError
from goalgraph.i18n import message

__all__ = ["check_outputs"]


def check_outputs(
    outputs: Sequence[Path], *, inputs: Sequence[Path], lang: str | None = None
) -> None:
    """Refuse an output that is an input or a data file inside an input folder, two outputs
    naming one file, and an output whose folder does not exist.

    :raises OutputError: naming the file, before anything is read or written.
    """
    sources = _data_files(inputs)
    for index, output in enumerate(outputs):
        for source in sources:
            if _same(output, source):
                raise OutputError(message("destinations.output_is_input", lang, path=output))
        for other in outputs[index + 1 :]:
            if _same(output, other):
                raise OutputError(message("destinations.outputs_clash", lang, path=output))
        folder = output.parent if str(output.parent) else Path(".")
        if not folder.is_dir():
            raise OutputError(message("destinations.no_folder", lang, path=output, folder=folder))


def _data_files(inputs: Sequence[Path]) -> list[Path]:
    """The *inputs*, with each folder replaced by every data file in it (at any depth)."""
    from goalgraph.loading import RDF_SUFFIXES
    from goalgraph.spreadsheet import SPREADSHEET_SUFFIXES

    suffixes = {*RDF_SUFFIXES, *SPREADSHEET_SUFFIXES}
    files: list[Path] = []
    for source in inputs:
        if source.is_dir():
            files += [p for p in source.rglob("*") if p.suffix.lower() in suffixes]
        else:
            files.append(source)
    return files


def _same(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return a.samefile(b)
    except OSError:
        pass
    return a.resolve() == b.resolve()
