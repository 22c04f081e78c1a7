"""SVG snapshots at fixed sizes: regenerate on purpose with `pytest --snapshot-update`, then look at them."""

from rnn_tui.ui.app import RnnTuiApp

SIZE = (120, 40)


def test_home_screen(snap_compare):
    """The lesson list on a first start."""
    assert snap_compare(RnnTuiApp(), terminal_size=SIZE)


def test_lesson_with_a_live_table_and_question(snap_compare):
    """Lesson 2, step 5: the weighted encoding of cat beside its prose, with the question."""
    async def open_step(pilot):
        pilot.app.open_lesson("02-words-as-integers", 4)
        await pilot.pause()

    assert snap_compare(RnnTuiApp(), terminal_size=SIZE, run_before=open_step)


def test_lesson_vector_heat_strip(snap_compare):
    """Lesson 1, step 3: the pretrained RNN's 128-number vector for katze."""
    assert snap_compare(RnnTuiApp(), terminal_size=SIZE, press=["enter", "right", "right"])


class TestClassify:
    """The classify screen at the smallest, the usual and a large terminal."""

    def test_classify_a_name(self, snap_compare):
        """120x40, after typing a name with an accent and a digit: notes, marks and their key."""
        assert snap_compare(RnnTuiApp(), terminal_size=SIZE, press=["c", *"Müller-Łukasz9"])

    def test_classify_at_80x24(self, snap_compare):
        """80x24: every panel on screen, bars and percentages uncut, labels two to a line."""
        assert snap_compare(RnnTuiApp(), terminal_size=(80, 24), press=["c", *"O'Brien"])

    def test_classify_at_200x60(self, snap_compare):
        """200x60: the prefix probabilities as numbers on the sequential scale."""
        assert snap_compare(RnnTuiApp(), terminal_size=(200, 60), press=["c", *"Papadopoulos"])
