"""Reading names files with bounded memory and time: the byte-level half of data loading.

Everything here streams.  A file is opened without following it into a
FIFO or a device (only regular files are read), gzip is decompressed
chunk by chunk under a size and a ratio bound, and lines are split on
"\\n", "\\r\\n" and a lone "\\r" (old Mac files) and on nothing else, so
U+0085, U+2028 or "\\x1c" inside a name stay inside it.  A line longer
than MAX_LINE bytes is cut there and flagged; the rest of it is skipped
without being held.  Decoding is strict UTF-8 and a failure names its line.
Every problem is a DataError, whose message is one line (data.py re-exports it).
"""

from __future__ import annotations

import os
import stat
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

from . import safe

MAX_FILE = 1 << 30          # bytes of a plain file, or of a gzip's content: 1 GiB
MAX_RATIO = 100             # a gzip whose content is over 100x its size is a bomb, not names
RATIO_GRACE = 1 << 18       # ... judged once 256 KiB have come out (names compress about 4x)
MAX_LINE = 64 << 10         # bytes of one line that are kept: 64 KiB
CHUNK = 1 << 18             # bytes of a plain file read at a time
PACKED_CHUNK = 1 << 14      # gzip bytes fed to the inflater at a time, so its ratio is judged closely


class DataError(ValueError):
    """A data source that cannot be used; the message is one line for the user."""


def shown(value: object) -> str:
    """A path or text for a one-line message: through safe.path (no escapes or control characters, undecodable
    bytes as \\xNN), and at most 200 characters."""
    out = safe.path(value if isinstance(value, os.PathLike) else str(value))
    return out if len(out) <= 200 else out[:120] + "..." + out[-60:]


def size_text(n: int) -> str:
    """Bytes in the largest binary unit that keeps a number of at least 1: '1 GiB', '4 KiB'."""
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if n >= 1 << shift:
            return f"{n / (1 << shift):.3g} {unit}"
    return f"{n} bytes"


def resolve(source: str | Path) -> Path:
    """A user's path with ~ expanded; a one-line DataError for ~nosuchuser."""
    try:
        return Path(source).expanduser()
    except RuntimeError:
        raise DataError(f"{shown(source)}: cannot expand '~': no such user") from None


def kind_of(path: Path) -> str:
    """'folder', 'csv' or 'tsv' (the latter two possibly gzipped); DataError for anything else."""
    try:
        st = os.stat(path)
    except OSError as e:
        if e.errno == 2:
            raise DataError(f"{shown(path)}: no such file or folder (give a folder of <Language>.txt "
                              "files, a .csv/.tsv file, or a data set name such as 'names')") from None
        raise DataError(f"{shown(path)}: {e.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
        return "folder"
    ext = path.name.lower().removesuffix(".gz").rsplit(".", 1)[-1]
    if ext not in ("csv", "tsv"):
        raise DataError(f"{shown(path)}: not a folder, .csv, .tsv or gzipped one; names data comes as "
                          "<Language>.txt files in a folder or as a table with name and language columns")
    return ext


def is_gzip(path: Path) -> bool:
    """Named .gz (any case)."""
    return path.name.lower().endswith(".gz")


def open_regular(path: Path) -> BinaryIO:
    """Open for reading only if it is a regular file: a FIFO, device or socket is refused, never waited on."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        raise DataError(f"{shown(path)}: cannot open it ({e.strerror})") from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise DataError(f"{shown(path)}: not a regular file (a FIFO, device or socket); "
                          "give a file or a folder")
    if st.st_size > MAX_FILE:
        os.close(fd)
        raise DataError(f"{shown(path)}: {size_text(st.st_size)} is more than the {size_text(MAX_FILE)} "
                        "a names file may be")
    return os.fdopen(fd, "rb")


def chunks(path: Path) -> Iterator[bytes]:
    """The file's content in chunks, gunzipped when named .gz, bounded in size and in gzip ratio."""
    with open_regular(path) as f:
        if not is_gzip(path):
            while block := f.read(CHUNK):
                yield block
            return
        inflate = zlib.decompressobj(wbits=31)          # 31: gzip header and trailer
        packed = out = 0
        try:
            while True:
                block = f.read(PACKED_CHUNK)
                packed += len(block)
                data = inflate.decompress(block, RATIO_GRACE) if block else b""
                while True:
                    out += len(data)
                    used = packed - len(inflate.unconsumed_tail)     # compressed bytes behind `out`
                    if out > MAX_FILE:
                        raise DataError(f"{shown(path)}: decompresses to more than {size_text(MAX_FILE)}; refusing it")
                    if out > RATIO_GRACE and out > MAX_RATIO * max(used, 1):
                        raise DataError(f"{shown(path)}: decompresses over {MAX_RATIO} times its size "
                                        "(a gzip bomb, not names); refusing it")
                    if data:
                        yield data
                    if not inflate.unconsumed_tail:
                        break
                    data = inflate.decompress(inflate.unconsumed_tail, RATIO_GRACE)
                if inflate.eof:
                    if inflate.unused_data.strip(b"\0") or f.read(1).strip(b"\0"):
                        raise DataError(f"{shown(path)}: holds more than one gzip member; "
                                        "recompress it as one")
                    return
                if not block:
                    raise DataError(f"{shown(path)}: the gzip data ends too soon (a truncated file?)")
        except zlib.error as e:
            raise DataError(f"{shown(path)}: not valid gzip data ({e})") from None


class Line(NamedTuple):
    """One line of text, its 1-based number, and whether it was cut at MAX_LINE bytes."""

    number: int
    text: str
    cut: bool = False


class Block(NamedTuple):
    """Consecutive lines from one chunk of a file: the first one's number, the texts, the numbers of cut ones."""

    first: int
    texts: list[str]
    cut: list[int]


def lines(path: Path) -> Iterator[Line]:
    """The lines of a UTF-8 file one by one (see blocks)."""
    for block in blocks(path):
        cut = set(block.cut)
        for number, text in enumerate(block.texts, block.first):
            yield Line(number, text, number in cut)


def blocks(path: Path) -> Iterator[Block]:
    """A UTF-8 file's lines a chunk at a time, split on \\n, \\r\\n and \\r only; a BOM at the start is dropped."""
    number = 0                  # lines yielded so far
    carry = b""                 # the unfinished line
    skipping = False            # inside a line already cut at MAX_LINE
    pending_cr = False          # the previous chunk ended with \r: a \n first in this one belongs to it
    for chunk in chunks(path):
        if pending_cr and chunk.startswith(b"\n"):
            chunk = chunk[1:]
        pending_cr = chunk.endswith(b"\r")
        parts = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
        done, tail = parts[:-1], parts[-1]
        if done:
            head = carry + done[0]
            first = _decode(path, number + 1, head[:MAX_LINE], skipping or len(head) > MAX_LINE)
            rest = done[1:]
            texts = [first.text, *_decode_many(path, number + 1, rest)]
            cut = [number + 1] if first.cut else []
            for i, raw in enumerate(rest):
                if len(raw) > MAX_LINE:
                    texts[i + 1] = _decode(path, number + 2 + i, raw[:MAX_LINE], True).text
                    cut.append(number + 2 + i)
            yield Block(number + 1, texts, cut)
            number += len(done)
            carry, skipping = b"", False
        if not skipping:
            carry += tail
            if len(carry) > MAX_LINE:
                carry, skipping = carry[:MAX_LINE], True
    if carry or skipping:
        last = _decode(path, number + 1, carry, skipping)
        yield Block(number + 1, [last.text], [number + 1] if skipping else [])


def _not_utf8(path: Path, number: int) -> DataError:
    return DataError(f"{shown(path)}, line {number}: not UTF-8 text; save the file as UTF-8 and try again")


def _decode(path: Path, number: int, raw: bytes, cut: bool) -> Line:
    """One line; a line cut at MAX_LINE may end inside a character, which is dropped."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        if not (cut and e.reason == "unexpected end of data" and e.start >= len(raw) - 3):
            raise _not_utf8(path, number) from None
        text = raw[:e.start].decode("utf-8")
    return Line(number, text.removeprefix("\ufeff") if number == 1 else text, cut)


def _decode_many(path: Path, before: int, raws: list[bytes]) -> list[str]:
    """Decode many lines at once (one C call); on failure, find the line that is not UTF-8."""
    if not raws:
        return []
    joined = b"\n".join(raws)
    try:
        return joined.decode("utf-8").split("\n")
    except UnicodeDecodeError as e:
        raise _not_utf8(path, before + joined[:e.start].count(b"\n") + 1) from None
