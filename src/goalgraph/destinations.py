"""Where commands write: every output checked before any work, written whole or not at all.

:func:`check_outputs` runs before a command reads anything. An output may not
be one of the inputs, nor a data file (RDF or spreadsheet) inside an input
folder: loading the folder reads such files, so writing one would destroy the
data or mix results into it. Two outputs of one command may not be the same
file; a file output may not be an existing folder, and its folder must exist
and be writable. A folder output (a folder of CSV files) may not be a file, an
input folder, or a folder holding an input.

:func:`write_atomically` and :func:`atomic_file` write through a temporary
file beside the target that replaces it only when complete, and is removed
on every failure, so an error (a full disk, a read-only folder) leaves the old
file as it was and no ``*.tmp`` behind. A device or pipe (``/dev/stdout``) is
written straight through.

>>> from pathlib import Path
>>> check_outputs([Path("rapport.html")], inputs=[Path("data.ttl")])
>>> check_outputs([Path("data.ttl")], inputs=[Path("data.ttl")])
Traceback (most recent call last):
goalgraph.errors.OutputError: Utfilen data.ttl är också en indatafil; ...
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from goalgraph.errors import OutputError
from goalgraph.i18n import message

__all__ = ["atomic_file", "atomic_folder", "check_outputs", "write_atomically"]


def check_outputs(
    outputs: Sequence[Path],
    *,
    inputs: Sequence[Path],
    folders: Sequence[Path] = (),
    lang: str | None = None,
) -> None:
    """Refuse, before any work, outputs that would overwrite an input or cannot be written.

    :param outputs: the files a command will write.
    :param inputs: the files and folders it reads.
    :param folders: the folders it will fill with files (created if missing).
    :raises OutputError: naming the file, before anything is read or written.

    >>> import tempfile
    >>> check_outputs([Path(tempfile.gettempdir())], inputs=[])
    Traceback (most recent call last):
    goalgraph.errors.OutputError: Kan inte skriva ... det är en mapp. ...
    """
    sources = _data_files(inputs)
    for index, output in enumerate(outputs):
        for source in sources:
            if _same(output, source):
                raise OutputError(message("destinations.output_is_input", lang, path=output))
        for other in outputs[index + 1 :]:
            if _same(output, other):
                raise OutputError(message("destinations.outputs_clash", lang, path=output))
        if output.is_dir():
            raise OutputError(message("destinations.is_folder", lang, path=output))
        if output.exists() and not _is_stream(output) and not output.is_file():
            raise OutputError(message("destinations.not_a_file", lang, path=output))
        folder = output.parent if str(output.parent) else Path(".")
        if not folder.is_dir():
            raise OutputError(message("destinations.no_folder", lang, path=output, folder=folder))
        if not _is_stream(output) and not os.access(folder, os.W_OK | os.X_OK):
            raise OutputError(message("destinations.read_only", lang, path=output, folder=folder))
    for folder in folders:
        if folder.exists() and not folder.is_dir():
            raise OutputError(message("destinations.folder_is_file", lang, path=folder))
        for source in inputs:
            if _same(folder, source) or _inside(source, folder):
                raise OutputError(
                    message("destinations.folder_holds_input", lang, path=folder, source=source)
                )
        existing = next(p for p in [folder, *folder.absolute().parents] if p.exists())
        if not os.access(existing, os.W_OK | os.X_OK):
            raise OutputError(message("destinations.read_only", lang, path=folder, folder=existing))


def write_atomically(path: str | Path, data: str | bytes) -> None:
    """Write *data* (text as UTF-8) to *path* whole, or leave *path* as it was.

    :raises OutputError: naming *path* and the reason if it cannot be written
        (no temporary file is left behind).

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "a.ttl"
    >>> write_atomically(target, "<a:x> <a:y> <a:z> .\\n")
    >>> target.read_text(encoding="utf-8")
    '<a:x> <a:y> <a:z> .\\n'
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target = Path(path)
    if _is_stream(target):
        _write_stream(target, payload)
        return
    with atomic_file(target) as temporary:
        temporary.write_bytes(payload)


@contextlib.contextmanager
def atomic_file(path: str | Path) -> Iterator[Path]:
    """A new temporary path beside *path* to write to; it replaces *path* when the block ends.

    If the block raises, or the replacement fails, the temporary file is removed
    and *path* is left as it was. A symbolic link at *path* keeps pointing to
    its (replaced) target; an existing file's permissions are kept.

    :raises OutputError: if the temporary file cannot be made or the write
        fails with an OSError (a full disk, a read-only folder), naming *path*.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "b.txt"
    >>> with atomic_file(target) as temporary:
    ...     _ = temporary.write_text("whole", encoding="utf-8")
    >>> target.read_text(encoding="utf-8"), sorted(p.name for p in target.parent.iterdir())
    ('whole', ['b.txt'])
    """
    given = Path(path)
    target = given.resolve() if given.is_symlink() else given
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        raise _unwritable(given, exc) from exc
    try:
        yield temporary
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temporary, stat.S_IMODE(target.stat().st_mode))
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise _unwritable(given, exc) from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_folder(path: str | Path) -> Iterator[Path]:
    """A new temporary folder beside *path* to fill; its files move into *path* when the block ends.

    *path* is created if missing, and files of the same name in it are replaced;
    if the block raises, the temporary folder and everything in it is removed and
    *path* is left as it was (a full disk strikes while writing, not while moving).

    :raises OutputError: if the folders cannot be made or a file cannot be moved.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "csv"
    >>> with atomic_folder(target) as temporary:
    ...     _ = (temporary / "mal.csv").write_text("id\\n", encoding="utf-8")
    >>> sorted(p.name for p in target.iterdir()), len(list(target.parent.iterdir()))
    (['mal.csv'], 1)
    """
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        temporary.mkdir(parents=True)
    except OSError as exc:
        raise _unwritable(target, exc) from exc
    try:
        yield temporary
        target.mkdir(parents=True, exist_ok=True)
        for item in sorted(temporary.iterdir()):
            os.replace(item, target / item.name)
    except OSError as exc:
        raise _unwritable(target, exc) from exc
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def _write_stream(path: Path, payload: bytes) -> None:
    """Write *payload* straight into the device or pipe at *path* (nothing to rename over)."""
    try:
        # non-blocking open: a pipe nobody reads fails at once instead of waiting forever
        descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise _unwritable(path, exc) from exc
    try:
        os.set_blocking(descriptor, True)
        view = memoryview(payload)
        while view:
            view = view[os.write(descriptor, view) :]
    except OSError as exc:
        raise _unwritable(path, exc) from exc
    finally:
        os.close(descriptor)


def _unwritable(path: Path, exc: OSError) -> OutputError:
    reason = exc.strerror or str(exc) or type(exc).__name__
    return OutputError(message("destinations.unwritable", path=path, reason=reason))


def _is_stream(path: Path) -> bool:
    """Whether *path* is an existing character device or pipe (``/dev/null``, ``/dev/stdout``)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


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


def _inside(path: Path, folder: Path) -> bool:
    """Whether *path* lies below *folder* (both resolved)."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def _same(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return a.samefile(b)
    except OSError:
        pass
    return a.resolve() == b.resolve()
