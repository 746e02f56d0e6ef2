"""How commands write tables as CSV: plain, or for Excel (``--format csv-excel``).

Swedish Excel opens a plain comma-separated file in a single column and
guesses its encoding, so ``csv-excel`` writes what it expects: UTF-8 with a
byte-order mark, semicolons between fields, a decimal comma and CRLF line
ends. Every command that writes CSV calls :func:`echo_csv`, so all of them
offer both flavours.

>>> import pandas as pd
>>> csv_bytes(pd.DataFrame({"mål": ["KF1"], "andel": [0.5]}), excel=True)
b'\\xef\\xbb\\xbfm\\xc3\\xa5l;andel\\r\\nKF1;0,5\\r\\n'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CSV_FORMATS", "csv_bytes", "echo_csv"]

#: The CSV flavours a ``--format`` option accepts.
CSV_FORMATS = ("csv", "csv-excel")


def csv_bytes(frame: pd.DataFrame, *, excel: bool = False, index: bool = False) -> bytes:
    """*frame* as CSV bytes: plain UTF-8 with commas, or for Excel (BOM, ``;``, decimal comma).

    :raises: nothing for a DataFrame; cells are written as pandas formats them.

    >>> import pandas as pd
    >>> csv_bytes(pd.DataFrame({"a": [1.5]}))
    b'a\\n1.5\\n'
    """
    if excel:
        text: str = frame.to_csv(index=index, sep=";", decimal=",", lineterminator="\r\n")
        return text.encode("utf-8-sig")
    plain: str = frame.to_csv(index=index)
    return plain.encode("utf-8")


def echo_csv(frame: pd.DataFrame, format: str = "csv", *, index: bool = False) -> None:
    """Write *frame* to standard output as CSV in *format* (``csv`` or ``csv-excel``).

    :raises ValueError: if *format* is not one of :data:`CSV_FORMATS`.
    """
    if format not in CSV_FORMATS:
        raise ValueError(f"unknown CSV format {format!r}: use {' or '.join(CSV_FORMATS)}")
    typer.echo(csv_bytes(frame, excel=format == "csv-excel", index=index), nl=False)
