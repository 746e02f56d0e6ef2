"""Kolada answers kept on disk, so a second run needs no network.

One file per request URL (named by the URL's SHA-256), holding the URL, when
the answer was fetched and the answer's text. Files are written through a
temporary file and renamed, so an interrupted run never leaves half an
answer behind. Entries do not expire: ``--refresh`` (``refresh=True`` on the
client) fetches again and replaces them.

>>> import tempfile
>>> cache = ResponseCache(tempfile.mkdtemp())
>>> url = "https://api.kolada.se/v3/municipality"
>>> cache.put(url, b'{"values": []}', fetched_at="2025-01-31T08:00:00Z")
>>> cache.get(url)
CachedResponse(body=b'{"values": []}', fetched_at='2025-01-31T08:00:00Z')
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from goalgraph.errors import KoladaError
from goalgraph.i18n import message

__all__ = ["CACHE_ENV", "CachedResponse", "ResponseCache", "default_cache_dir"]

#: Environment variable naming the cache folder (else the user cache folder is used).
CACHE_ENV = "GOALGRAPH_KOLADA_CACHE"


def default_cache_dir() -> Path:
    """``$GOALGRAPH_KOLADA_CACHE``, else ``$XDG_CACHE_HOME/goalgraph/kolada``, else ``~/.cache/…``.

    >>> import os
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"GOALGRAPH_KOLADA_CACHE": "/tmp/kolada-cache"}):
    ...     default_cache_dir()
    PosixPath('/tmp/kolada-cache')
    """
    if chosen := os.environ.get(CACHE_ENV):
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "goalgraph" / "kolada"


@dataclass(frozen=True)
class CachedResponse:
    """A stored answer: its body and when it was fetched from Kolada (ISO 8601, UTC)."""

    body: bytes
    fetched_at: str


class ResponseCache:
    """A folder of Kolada answers keyed by request URL.

    :param directory: where the answers are kept; created on the first write.
    """

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def _path(self, url: str) -> Path:
        return self.directory / (hashlib.sha256(url.encode("utf-8")).hexdigest() + ".json")

    def get(self, url: str) -> CachedResponse | None:
        """The stored answer for *url*, or ``None`` if there is none (or it cannot be read).

        An entry that cannot be read counts as missing, so it is fetched again
        and replaced rather than trusted.

        >>> ResponseCache("/nonexistent").get("https://api.kolada.se/v3/kpi") is None
        True
        """
        try:
            entry = json.loads(self._path(url).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if (
            not isinstance(entry, dict)
            or entry.get("url") != url
            or not isinstance(entry.get("body"), str)
            or not isinstance(entry.get("fetched_at"), str)
        ):
            return None
        return CachedResponse(entry["body"].encode("utf-8"), entry["fetched_at"])

    def put(self, url: str, body: bytes, *, fetched_at: str) -> None:
        """Store *body* as the answer for *url*, atomically.

        :raises KoladaError: if the folder cannot be created or written; the
            message names it.

        >>> ResponseCache("/proc/no-such-place").put("u", b"{}", fetched_at="2025-01-31T08:00:00Z")
        Traceback (most recent call last):
        ...
        goalgraph.errors.KoladaError: Cachemappen /proc/no-such-place kan inte skrivas ...
        """
        entry = {"url": url, "fetched_at": fetched_at, "body": body.decode("utf-8")}
        temporary: Path | None = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=self.directory, suffix=".tmp", delete=False
            ) as handle:
                temporary = Path(handle.name)
                json.dump(entry, handle, ensure_ascii=False)
            temporary.replace(self._path(url))
        except OSError as exc:
            if temporary is not None:
                temporary.unlink(missing_ok=True)
            raise KoladaError(
                message("kolada.cache_unwritable", path=self.directory, reason=exc.strerror or exc)
            ) from exc
