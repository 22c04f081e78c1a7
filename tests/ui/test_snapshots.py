"""SVG snapshots at 120x40: regenerate on purpose with `pytest --snapshot-update`."""

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


def test_classify_a_name(snap_compare):
    """The classify screen after typing a name with an accent and a digit."""
    assert snap_compare(RnnTuiApp(), terminal_size=SIZE, press=["c", *"Müller-Łukasz9"])
