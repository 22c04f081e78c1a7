"""Property-based tests of the command line's argument handling (in process, so hundreds of cases are cheap).

Whatever text reaches an option, argparse either takes a value inside the
stated range or exits 2 with one line; whatever name reaches `classify`
(markup, escape sequences, undecodable bytes kept as lone surrogates), the
output carries no control character and `--json` is valid UTF-8 JSON.  The
subprocess tests in test_cli_hardening.py check the same paths end to end.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_tui import cli, options

FUZZ = settings(max_examples=200, deadline=None)
HOSTILE = st.lists(st.one_of(
    st.sampled_from(["\x1b[31m", "[/]", "[b]", "\udcfc", "\ud800", "\x00", "\n", "\u202e", "-", "--", "1e309",
                     "nan", "inf", "-1", "0", "1_000", "٣", "0x10", " ", "99999999999999999999"]),
    st.characters(),
), max_size=8).map("".join)

# option: (lowest, highest) accepted, or None for options that are not numbers
RANGES = {
    "--hidden": (1, options.MAX_HIDDEN), "--batch": (1, options.MAX_BATCH), "--epochs": (1, options.MAX_EPOCHS),
    "--patience": (0, options.MAX_PATIENCE), "--seed": (0, options.MAX_SEED), "--lr": (0, options.MAX_LR),
    "--clip": (0, options.MAX_CLIP), "--valid": (0, 1),
}


def _parse(argv):
    """(namespace or None, exit code, stderr) without leaving the process."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            return cli.build_parser().parse_args(argv), 0, err.getvalue()
        except SystemExit as e:
            return None, e.code, err.getvalue()


def _clean(stream: str) -> bool:
    """No control character but newline, and nothing unencodable."""
    return not any(unicodedata.category(c) in ("Cc", "Cs") and c != "\n" for c in stream)


@pytest.mark.parametrize("option", sorted(RANGES))
@FUZZ
@given(value=HOSTILE | st.integers(-10**12, 10**12).map(str) | st.floats().map(repr)
       | st.sampled_from(["--=", "--", "--h", "--ver", "-=1"]))
def test_numeric_options_take_a_value_in_range_or_refuse_in_one_line(option, value):
    """Each numeric option: an in-range, finite value, or exit 2 with one line naming the option."""
    args, code, err = _parse(["train", option, value])
    low, high = RANGES[option]
    if args is None:
        assert code == 2 and len(err.strip().splitlines()) == 1 and f"argument {option}" in err, err
        return
    got = getattr(args, {"--hidden": "hidden", "--batch": "batch", "--epochs": "epochs"}.get(option,
                                                                                           option[2:]))
    if option == "--clip" and got is None:
        assert value.strip().lower() in ("none", "off")
        return
    assert math.isfinite(got) and low <= got <= high, (value, got)
    if option in ("--lr", "--clip", "--valid"):
        assert got > low                                  # open at the bottom: 0 is refused


@FUZZ
@given(value=HOSTILE)
def test_device_names(value):
    """--device: one of the known names, or one line."""
    args, code, err = _parse(["train", "--device", value])
    if args is None:
        assert code == 2 and len(err.strip().splitlines()) == 1
    else:
        assert args.device.split(":")[0] in options.DEVICES


@settings(max_examples=150, deadline=None)
@given(names=st.lists(HOSTILE | st.text(max_size=80), min_size=1, max_size=3), as_json=st.booleans())
def test_classify_any_name(names, as_json):
    """classify on any text: exit 0 or 2, no traceback, no control character out, --json always parses."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["classify", *(["--json"] if as_json else []), "--top", "2", "--", *names])
    assert code in (0, 2)
    assert _clean(out.getvalue()) and _clean(err.getvalue()), (out.getvalue(), err.getvalue())
    if code == 2:
        assert all(line.startswith("rnn-tui classify: error:") for line in err.getvalue().splitlines())
    if as_json:
        result = json.loads(out.getvalue())               # surrogate pairs decode; a lone one would stay
        strings = [r["name"] for r in result] + [p["language"] for r in result for p in r["predictions"]]
        assert not any(unicodedata.category(c) == "Cs" for s in strings for c in s)
