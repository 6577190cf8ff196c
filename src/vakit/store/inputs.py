"""Files vakit reads as input (imports, calendars): read in chunks, refused past a size limit, with refusals
worded for the kind of file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vakit.core.errors import InvalidValue

#: bytes per unit of the size limit named in a refusal
SIZE_UNITS = {"MiB": 1 << 20, "MB": 1_000_000}

#: bytes read at a time by :func:`read_bounded`
READ_CHUNK = 1 << 20


@dataclass(frozen=True)
class InputWording:
    """How the refusals of :func:`read_bounded` name one kind of input file.

    ``what`` is what such a file is ("a calendar export": "… more than a calendar export can be"), ``unit`` the
    unit the limit is given in (a key of :data:`SIZE_UNITS`), ``smaller`` the hint for a file too large,
    ``to_a_file`` the hint for a pipe or a device. ``folder`` ("not a calendar file") and ``folder_hint`` word
    the refusal of a folder; without them a folder is refused as not a regular file.
    """

    what: str
    unit: str
    smaller: str
    to_a_file: str
    folder: str | None = None
    folder_hint: str | None = None


def read_bounded(path: Path, limit: int, wording: InputWording) -> bytes:
    """The bytes of the input file ``path``, read in chunks of ``READ_CHUNK`` bytes and refused as soon as more
    than ``limit`` bytes have been read, so that ``/dev/zero`` or a mistaken disk image never exhausts memory.

    ``limit`` is in bytes; a file of exactly ``limit`` bytes is read. Raises InvalidValue (one line, worded by
    ``wording``) when ``path`` is a folder, is not a regular file (a pipe, a device), is larger than ``limit``
    ("… is larger than 64 MiB, …": the limit in ``wording.unit``, rounded down), or cannot be opened or read
    ("cannot read PATH: No such file or directory", "… Permission denied", any other OSError's text).
    """
    chunks, size = [], 0
    try:
        if wording.folder is not None and path.is_dir():
            raise InvalidValue(f"{path} is a folder, {wording.folder}", wording.folder_hint)
        if path.exists() and not path.is_file():
            raise InvalidValue(f"{path} is not a regular file", wording.to_a_file)
        with open(path, "rb") as f:
            while chunk := f.read(READ_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise InvalidValue(f"{path} is larger than {limit // SIZE_UNITS[wording.unit]} {wording.unit}, "
                                       f"more than {wording.what} can be", wording.smaller)
                chunks.append(chunk)
    except OSError as exc:
        raise InvalidValue(f"cannot read {path}: {exc.strerror or exc}") from exc
    return b"".join(chunks)
