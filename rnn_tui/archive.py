"""Reading a NumPy .npz archive and its JSON without trusting either.

`np.load` trusts what a file says: a header that declares a (200000, 200000)
array makes it allocate 149 GiB, an extra 3 GiB member is inflated before
anyone looks at its name, and JSON with a hundred thousand nested brackets
blows Python's stack.  These functions look before they read:

- `Archive` lists a zip's members from its central directory alone, so a
  caller can refuse unexpected names and sizes before reading a byte of them;
- `Archive.array` parses one member's .npy header (version, dtype, shape,
  memory order) and checks it against what the caller expects, and that the
  member holds exactly that many bytes, before reading the data;
- `parse_json` refuses NaN and Infinity, huge integers and deep nesting.

Every refusal is an `ArchiveError` whose message is one short line (no
path: the caller adds it).  Nothing here ever unpickles.
"""

from __future__ import annotations

import json
import math
import zipfile
from typing import IO, Any

import numpy as np

MAX_JSON_DEPTH = 16          # nesting of arrays and objects in metadata
MAX_INT_DIGITS = 18          # an integer with more digits is not a size, a count or a seed


class ArchiveError(ValueError):
    """An archive (or its JSON) that cannot be used; the message is one line, without the path."""


class Archive:
    """An open .npz (zip) archive whose members are read only on request, and only after checks."""

    def __init__(self, file: IO[bytes]) -> None:
        try:
            self._zip = zipfile.ZipFile(file)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
                NotImplementedError) as e:
            raise ArchiveError(f"truncated or corrupted ({type(e).__name__})") from None
        self.sizes: dict[str, int] = {}
        for info in infos:
            if info.filename in self.sizes:
                raise ArchiveError(f"holds the member {info.filename!r} twice")
            if info.flag_bits & 0x1:
                raise ArchiveError(f"its member {info.filename!r} is encrypted")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise ArchiveError(f"its member {info.filename!r} uses an unsupported compression")
            self.sizes[info.filename] = info.file_size

    def close(self) -> None:
        """Release the zip (not the file it was opened on)."""
        self._zip.close()

    def array(self, member: str, shape: tuple[int, ...] | None, kinds: str = "f",
              itemsizes: tuple[int, ...] = (4, 8), max_items: int = 0) -> np.ndarray:
        """The member's array, read only if its header declares this shape and an allowed dtype.

        shape None accepts any 1-D array of at most max_items elements.
        kinds: allowed dtype kinds ("f" float, "u" unsigned); itemsizes: allowed
        bytes per element.  The member must hold the header and exactly the
        data it declares.
        """
        name = member.removesuffix(".npy")
        try:
            with self._zip.open(member) as f:
                try:
                    version = np.lib.format.read_magic(f)
                    if version == (1, 0):
                        header = np.lib.format.read_array_header_1_0(f, max_header_size=1024)
                    elif version in ((2, 0), (3, 0)):
                        header = np.lib.format.read_array_header_2_0(f, max_header_size=1024)
                    else:
                        raise ArchiveError(f"{name} has an unknown .npy version {version}")
                except (ValueError, SyntaxError, TypeError, KeyError) as e:
                    if isinstance(e, ArchiveError):
                        raise
                    raise ArchiveError(f"{name} is not a NumPy array file") from None
                declared, fortran, dtype = header
                if dtype.kind not in kinds or dtype.itemsize not in itemsizes or dtype.hasobject:
                    raise ArchiveError(f"{name} holds {dtype} values, not the numbers a model has")
                if shape is None:
                    if len(declared) != 1 or declared[0] > max_items:
                        raise ArchiveError(f"{name} is {tuple(declared)}, not a list of at most {max_items}")
                    shape = tuple(declared)
                elif tuple(declared) != tuple(shape):
                    raise ArchiveError(f"{name} is {tuple(declared)}, but the metadata implies {tuple(shape)}")
                nbytes = math.prod(shape) * dtype.itemsize
                if self.sizes[member] - f.tell() != nbytes:
                    raise ArchiveError(f"{name} holds {self.sizes[member] - f.tell()} bytes of data, "
                                       f"not the {nbytes} its header declares")
                data = f.read(nbytes)
                f.read(1)                              # reach the end: the zip checks the CRC there
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as e:
            raise ArchiveError(f"truncated or corrupted ({type(e).__name__} in {name})") from None
        except ValueError as e:
            if isinstance(e, ArchiveError):
                raise
            raise ArchiveError(f"truncated or corrupted (ValueError in {name})") from None
        if len(data) != nbytes:
            raise ArchiveError(f"{name} is truncated")
        values = np.frombuffer(data, dtype=dtype)
        return values.reshape(shape, order="F" if fortran else "C").astype(dtype.newbyteorder("="))


def _refuse_constant(name: str) -> Any:
    raise ArchiveError(f"its metadata holds {name}, which is not a number a model file uses")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ArchiveError(f"its metadata holds an integer of {len(text)} digits")
    return int(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ArchiveError(f"its metadata holds the number {text[:20]}, which overflows")
    return value


def json_depth(text: str) -> int:
    """The deepest nesting of [ and { in a JSON text, outside strings (a linear scan, no recursion)."""
    depth = deepest = 0
    in_string = escaped = False
    for c in text:
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}":
            depth -= 1
    return deepest


def parse_json(raw: bytes, what: str = "metadata") -> Any:
    """JSON from bytes, refusing invalid UTF-8, NaN/Infinity, huge integers and deep nesting."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ArchiveError(f"its {what} is not UTF-8 text") from None
    if json_depth(text) > MAX_JSON_DEPTH:
        raise ArchiveError(f"its {what} nests deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_int=_bounded_int,
                          parse_float=_finite_float)
    except ArchiveError:
        raise
    except (ValueError, RecursionError):
        raise ArchiveError(f"its {what} is not valid JSON") from None
