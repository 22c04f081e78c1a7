"""SVG snapshots at fixed sizes: regenerate on purpose with `pytest --snapshot-update`, then look at them."""

from rnn_tui.ui.app import RnnTuiApp

SIZE = (120, 40)


def test_home_screen(snap_compare):
    """The lesson list on a first start."""
    assert snap_compare(RnnTuiApp(), terminal_size=SIZE)


async def open_and_settle(pilot, lesson: str, step: int, reveal: bool = False) -> None:
    """Open a lesson step, wait for its worker, and optionally reveal its hidden panels."""
    pilot.app.open_lesson(lesson, step)
    await pilot.pause(0.3)
    await settle(pilot)
    if reveal:
        await pilot.app.screen.run_action("reveal")
        await settle(pilot)


async def settle(pilot) -> None:
    """Wait until no worker runs and two quiet pauses have passed (a worker may start another)."""
    quiet = 0
    while quiet < 2:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.1)
        quiet = quiet + 1 if not any(w.is_running for w in pilot.app.workers) else 0


def test_lesson_with_a_live_table_and_question(snap_compare):
    """Lesson 2, step 5: before the answer, the weighted encoding's panels are '?' beside the question."""
    async def run_before(pilot):
        await open_and_settle(pilot, "02-words-as-integers", 4)

    assert snap_compare(RnnTuiApp(), terminal_size=SIZE, run_before=run_before)


def test_lesson_vector_heat_strip(snap_compare):
    """Lesson 1, step 3, revealed: the pretrained RNN's 128-number vector for katze."""
    async def run_before(pilot):
        await open_and_settle(pilot, "01-words-need-vectors", 2, reveal=True)

    assert snap_compare(RnnTuiApp(), terminal_size=SIZE, run_before=run_before)


def test_lesson_recurrence_at_80x24(snap_compare):
    """Lesson 4's recurrence for cat at t = 2, revealed and focused: every vector of one step."""
    async def run_before(pilot):
        lesson = pilot.app.lesson("04-matrix-transforms")
        index = next(i for i, s in enumerate(lesson.steps) if s.call == "recurrence_steps")
        await open_and_settle(pilot, lesson.id, index, reveal=True)
        pilot.app.screen.query_one("RecurrenceView").focus()
        await pilot.press("right")
        await pilot.pause()

    assert snap_compare(RnnTuiApp(), terminal_size=(80, 24), run_before=run_before)


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
