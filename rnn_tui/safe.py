"""The boundary for text that comes from users and files, before it reaches a terminal.

Strings that rnn-tui did not write itself (language names in a model or
data file, names typed on the command line, paths, error messages that
quote them) pass through here before they are printed or drawn:

- `printable` removes terminal escape sequences and control characters, so
  a file cannot colour, move or clear the user's terminal, and replaces
  what cannot be encoded (lone surrogates from undecodable bytes);
- `one_line` does that and folds line breaks and tabs into spaces, for
  messages that must stay on one line;
- `text` and `content` wrap what `printable` leaves as a Rich Text or a
  Textual Content, which are drawn as they are: `[b]` or `[/]` in a name
  or a path is never read as markup;
- `undecodable` finds the bytes of a command-line argument that were not
  valid in the locale's encoding (Python keeps them as lone surrogates).

Nothing here imports Rich or Textual at module level: the command line's
`--help` stays instant.
"""

from __future__ import annotations

import os
import re

# ANSI/VT sequences: CSI (ESC [ or the 8-bit 0x9b), OSC (ESC ] ... BEL or ST),
# DCS/PM/APC/SOS strings, and two-character escapes; then any lone C0 or C1
# control character, DEL included.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"            # CSI: colours, cursor moves, clearing
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])"      # OSC, DCS, SOS, PM, APC ...
    r"[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"         # ... up to their terminator
    r"|\x1b[ -/]*[0-~]?"                             # ESC followed by one final byte
)
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"                   # C0 (except tab, newline), DEL, C1
    "\u202a-\u202e\u2066-\u2069"                     # bidirectional overrides ("Trojan source")
    "\u2028\u2029]"                                  # line and paragraph separators
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_BREAKS = re.compile(r"[\t\n\r]+")


def printable(text: str) -> str:
    """text without escape sequences or control characters (tab and newline kept); lone surrogates as U+FFFD."""
    text = _ESCAPES.sub("", text)
    text = _CONTROL.sub("", text)
    return _SURROGATE.sub("\ufffd", text)


def one_line(text: str) -> str:
    """printable(text) on one line: runs of newlines, carriage returns and tabs become one space."""
    return _BREAKS.sub(" ", printable(text.replace("\r\n", "\n")))


def text(value: str, style: str = ""):
    """printable(value) as a Rich Text: printed as it is, never parsed as Rich markup."""
    from rich.text import Text

    return Text(printable(value), style=style)


def content(value: str, style: str = ""):
    """printable(value) as Textual Content: drawn as it is, never parsed as Textual markup.

    Escaping is not offered on purpose: Rich's and Textual's markup differ
    (`[$warning]` is a tag in Textual only, and their backslash rules
    differ), and an escaped string is one f-string away from being
    unescaped.  Widgets get Content, consoles get Text.
    """
    from textual.content import Content

    return Content.styled(printable(value), style) if style else Content(printable(value))


def undecodable(text: str) -> list[str]:
    """The bytes that the locale could not decode in a command-line argument, as '\\xNN', in order."""
    return [f"\\x{ord(c) - 0xDC00:02x}" if 0xDC80 <= ord(c) <= 0xDCFF else f"\\u{ord(c):04x}"
            for c in _SURROGATE.findall(text)]


def path(p: str | os.PathLike[str]) -> str:
    """A path for display: undecodable bytes as \\xNN, control characters removed, one line."""
    text = os.fspath(p)
    if _SURROGATE.search(text):
        try:
            text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:       # a surrogate that is not an escaped byte: printable() replaces it
            pass
    return one_line(text)
