"""Which rows a names source holds: the layouts of a folder and of a CSV or TSV table.

A row is (file, line number, name text, language, line was cut, problem);
data.py cleans them.  A table either has a header row naming a `name` and a
`language` column, or has none and two columns, name then language (Parr's
notebooks' names_train.csv.gz starts "Adsit,Czech").  The first row is
taken for a header when it names those columns, or when one of its two
cells is a word like "name" or "country" and its second cell never recurs
as a language in the next thousand rows ("Lang,German" is a German name).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from itertools import chain
from pathlib import Path

from .reading import MAX_LINE, DataError, blocks, shown

# first-row cells that mark a header rather than a name and a language
HEADER_WORDS = {"name", "names", "surname", "surnames", "family name", "family_name", "last name",
                "last_name", "lastname", "language", "languages", "lang", "country", "nationality",
                "origin", "label", "class", "category", "target"}

# (file, line number, name text, language, line was cut, why the row is unusable or "")
Row = tuple[str, int, str, str, bool, str]


def folder_rows(path: Path, max_files: int) -> tuple[str, Iterator[Row]]:
    """How the folder is read, and its rows: one name per line of each <Language>.txt, dot-files skipped."""
    try:
        entries = sorted(os.scandir(path), key=lambda e: e.name)
    except OSError as e:
        raise DataError(f"{shown(path)}: cannot list the folder ({e.strerror})") from None
    files = [e for e in entries if e.name.lower().endswith(".txt") and not e.name.startswith(".")
             and not e.is_dir()]
    if not files:
        raise DataError(f"{shown(path)}: no <Language>.txt files in this folder")
    if len(files) > max_files:
        raise DataError(f"{shown(path)}: {len(files):,} .txt files; at most {max_files:,} languages are allowed")

    def rows() -> Iterator[Row]:
        for entry in files:
            language = entry.name[:-4]
            for block in blocks(Path(entry.path)):
                cut = set(block.cut)
                for number, text in enumerate(block.texts, block.first):
                    yield entry.name, number, text, language, number in cut, ""

    return f"a folder of {len(files)} <Language>.txt files, one name per line", rows()


Record = tuple[list[str], int, bool]        # (cells, number of the row's last line, a line of it was cut)


def table_rows(path: Path, kind: str) -> tuple[str, Iterator[Row]]:
    """How a CSV or TSV is read (the header is read now), and its rows."""
    cut_at: set[int] = set()                   # numbers of lines cut at MAX_LINE (read ahead of the rows)

    def texts() -> Iterator[list[str]]:
        for block in blocks(path):
            cut_at.update(block.cut)
            yield block.texts

    reader = csv.reader(chain.from_iterable(texts()), delimiter="\t" if kind == "tsv" else ",")

    def records() -> Iterator[Record]:
        end = 0
        try:
            for cells in reader:
                start, end = end, reader.line_num
                yield cells, end, _was_cut(cut_at, start, end)
        except csv.Error as e:
            raise DataError(f"{shown(path)}, line {reader.line_num}: {e} (an unclosed quote?)") from None

    rows = records()
    header = next((r for r in rows if any(cell.strip() for cell in r[0])), None)
    if header is None:
        raise DataError(f"{shown(path)}: the file is empty")
    cells = header[0]
    columns = [h.strip().lower() for h in cells]
    ahead: list[Record] = []
    if "name" in columns and "language" in columns:
        ni, li, two = columns.index("name"), columns.index("language"), False
        layout = (f"a {kind.upper()} with a header row: names from column {ni + 1}, "
                  f"languages from column {li + 1}")
    elif len(cells) == 2 and _headerless(columns, rows, ahead):
        ni, li, two = 0, 1, True
        ahead.insert(0, header)
        layout = f"a {kind.upper()} with no header row: two columns read as name, language"
    else:
        found = ", ".join(shown(c)[:40] for c in cells[:6]) or "none"
        raise DataError(f"{shown(path)}: needs a header row with 'name' and 'language' columns, or no header "
                        f"and two columns (name, language); found {found}")
    return layout, _cells(path, ahead, reader, cut_at, ni, li, two)


def _was_cut(cut_at: set[int], start: int, end: int) -> bool:
    """Whether a line after start, up to end, was cut."""
    return bool(cut_at) and any(n in cut_at for n in range(start + 1, end + 1))


def _cells(path: Path, ahead: list[Record], reader, cut_at: set[int], ni: int, li: int,
           two: bool) -> Iterator[Row]:
    """Rows from the records read ahead, then straight from the csv reader (one Python step a row)."""
    where, need = path.name, max(ni, li)
    too_long = f"line longer than {MAX_LINE >> 10} KiB"
    for cells, number, cut in ahead:
        yield _row(where, cells, number, cut, ni, li, two, too_long)
    end = ahead[-1][1] if ahead else reader.line_num
    try:
        for cells in reader:
            start, end = end, reader.line_num
            fits = len(cells) == 2 if two else len(cells) > need
            cut = bool(cut_at) and _was_cut(cut_at, start, end)
            if fits and not cut:
                yield where, end, cells[ni], cells[li], False, ""
            else:
                yield _row(where, cells, end, cut, ni, li, two, too_long)
    except csv.Error as e:
        raise DataError(f"{shown(path)}, line {reader.line_num}: {e} (an unclosed quote?)") from None


def _row(where: str, cells: list[str], number: int, cut: bool, ni: int, li: int, two: bool, too_long: str) -> Row:
    """A row the slow way: cut, short, too wide, or fine."""
    if cut:
        return where, number, ",".join(cells)[:80], "", True, too_long
    if len(cells) > max(ni, li) and (not two or len(cells) == 2):
        return where, number, cells[ni], cells[li], False, ""
    if not any(c.strip() for c in cells):
        return where, number, "", "", False, "blank"
    problem = f"{len(cells)} columns, not 2" if two and len(cells) > 2 else "no language given"
    return where, number, ",".join(cells), "", False, problem


def _headerless(columns: list[str], rows: Iterator[Record], ahead: list[Record]) -> bool:
    """Whether a two-cell first row is data: its cells are not header words, or its language recurs."""
    if not (set(columns) & HEADER_WORDS):
        return True
    for record in rows:                # 'Lang,German' is a name; 'name,country' a header
        ahead.append(record)
        if len(record[0]) == 2 and record[0][1].strip().lower() == columns[1]:
            return True
        if len(ahead) >= 1000:
            break
    return False
