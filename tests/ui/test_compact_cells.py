"""A panel too wide for its pane writes its numbers in fewer cells, never a different number."""

import math

from hypothesis import example, given
from hypothesis import strategies as st

from rnn_tui.steps.results import format_cell
from rnn_tui.ui.widgets.visuals import compact_cell

floats = st.floats(allow_nan=True, allow_infinity=True, width=64)


@given(floats)
@example(0.7194)
@example(-0.0004)
@example(0.9996)
@example(-12.3456)
@example(3.0)
def test_compact_numbers_read_as_the_same_value(x):
    """Each level is no longer than the one before, and reads back within its last place."""
    texts = [compact_cell(x, level) for level in (0, 1, 2)]
    assert texts[0] == format_cell(x)
    assert len(texts[2]) <= len(texts[1]) <= len(texts[0])
    if not math.isfinite(x) or (x.is_integer() and abs(x) < 1e6):
        assert texts[1] == texts[2] == texts[0]
        return
    for level, (text, place) in enumerate(zip(texts, (1e-3, 1e-3, 1e-2))):
        assert abs(float(text) - x) <= place / 2 + 1e-9 * abs(x)
        assert text[0] in "+-" and (level == 0 or not text[1:].startswith("0."))


@given(st.one_of(st.integers(), st.text(max_size=12)), st.integers(0, 2))
def test_what_is_not_a_float_is_written_as_it_is(x, level):
    """Counts and labels are never shortened."""
    assert compact_cell(x, level) == format_cell(x)
