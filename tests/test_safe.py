"""The text boundary: nothing a file or a user supplies can drive the terminal or be read as markup."""

import io
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from textual.content import Content

from rnn_tui import safe

# text weighted towards what attacks a terminal: escapes, C0/C1 controls, bidi overrides, markup
HOSTILE = st.lists(st.one_of(
    st.sampled_from(["\x1b", "[", "]", "/", "\\", "$", "\x07", "\x9b", "\x9d", "\u202e", "\u2028", "\r", "\n",
                     "\t", "\x00", "\x7f", "\udcfc", "\ud800", "31m", "0;title", "b", "@", "#"]),
    st.characters(),
), max_size=40).map("".join)
FUZZ = settings(max_examples=300, deadline=None)


def _forbidden(c: str) -> bool:
    """A character that must never reach the terminal from outside text."""
    cat = unicodedata.category(c)
    return (cat == "Cc" and c not in "\t\n") or cat == "Cs" or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067" \
        "\u2068\u2069\u2028\u2029"


@FUZZ
@given(HOSTILE)
def test_printable_leaves_no_control_character_and_is_idempotent(text):
    """No C0/C1 control (tab and newline aside), no surrogate, no bidi override survives; twice is once."""
    out = safe.printable(text)
    assert not any(_forbidden(c) for c in out), repr(out)
    assert safe.printable(out) == out
    out.encode("utf-8")                                  # always encodable: no lone surrogates


@FUZZ
@given(HOSTILE)
def test_one_line_is_one_line(text):
    """one_line never returns a line break."""
    out = safe.one_line(text)
    assert "\n" not in out and "\r" not in out and not any(_forbidden(c) for c in out)


@FUZZ
@given(HOSTILE)
def test_text_prints_as_typed_on_a_markup_console(text):
    """A console that reads markup still prints text(x) as printable(x), with no style taken from x."""
    console = Console(file=io.StringIO(), width=400, color_system=None, markup=True, highlight=False)
    console.print(safe.text(text), end="")
    def squeeze(s):                                      # Rich expands tabs and wraps: compare the ink
        return "".join(s.split())

    assert squeeze(console.file.getvalue()) == squeeze(safe.printable(text))
    assert not safe.text(text).spans


@FUZZ
@given(HOSTILE)
def test_content_is_drawn_as_typed(text):
    """Textual Content from content(text) is printable(text), with no style from the text."""
    c = safe.content(text)
    assert isinstance(c, Content) and c.plain == safe.printable(text) and not c.spans


def test_known_attacks():
    """The cases from the hardening report, by hand."""
    assert safe.printable("\x1b[31mRED\x1b[0m") == "RED"
    assert safe.printable("a\x1b]0;pwned\x07b") == "ab"                   # window-title OSC
    assert safe.printable("\x9b2J") == ""                                # 8-bit CSI: clear screen
    assert safe.one_line("two\nlines\r\n") == "two lines "
    assert safe.content("C++ [stdlib] [/] [$warning]").plain == "C++ [stdlib] [/] [$warning]"
    assert safe.undecodable("M\udcfcller \udcff") == ["\\xfc", "\\xff"]
    assert safe.path("M\udcfcller\n[b]") == "M\\xfcller [b]"
