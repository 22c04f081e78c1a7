"""The lesson screen: computing off the event loop, predict-then-reveal, focus, and wide or hostile input."""

import json
import threading

import pytest
from textual.widgets import Input, Static

from rnn_tui import lessons
from rnn_tui.steps import registry, results
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.screens.home import HomeScreen
from rnn_tui.ui.screens.lesson import LessonScreen
from rnn_tui.ui.widgets.question import QuestionBox
from rnn_tui.ui.widgets.visuals import Visual

from .test_app import SIZE, focus, settle, text_of


def panel(app, n: int = 0) -> str:
    """The text of the step's n-th visual."""
    return text_of(list(app.screen.query(Visual))[n])


async def open_revealed(app, pilot, lesson_id: str, index: int) -> None:
    """Open a lesson's step, let it compute, and reveal its answer."""
    app.open_lesson(lesson_id, index)
    await settle(app, pilot)
    await app.screen.run_action("reveal")
    await pilot.pause()


async def typed_in_the_box(app, pilot, lesson_id: str, index: int, word: str) -> QuestionBox:
    """Open a step, type word in its text box, wait for the step to compute it; its question box."""
    app.open_lesson(lesson_id, index)
    await settle(app, pilot)
    focus(app, "#textbox")
    await pilot.press("ctrl+u", *word)
    await settle(app, pilot)
    return app.screen.query_one(QuestionBox)


async def codes_of_a_long_word(app, pilot) -> None:
    """Lesson 2 step 2 with a 21-letter word typed and its answer revealed: a table wider than the pane."""
    app.open_lesson("02-words-as-integers", 1)
    await settle(app, pilot)
    focus(app, "#textbox")
    await pilot.press("ctrl+u", *"hatkatzetackzetacheat")
    await settle(app, pilot)
    await app.screen.run_action("reveal")


class TestWorkers:
    """A step is computed in a worker thread; the screen never waits for it."""

    @pytest.fixture
    def gate(self, monkeypatch, tmp_path):
        """A two-step course whose first step blocks until the test opens the gate."""
        opened = threading.Event()
        calls: list[str] = []

        def gated(word: str = "slow") -> dict:
            calls.append(word)
            opened.wait(10)
            return {"t": results.text(f"result for {word}")}

        def quick(word: str = "quick") -> dict:
            return {"t": results.text(f"result for {word}")}

        monkeypatch.setitem(registry.STEPS, "gated", gated)
        monkeypatch.setitem(registry.STEPS, "quick", quick)
        folder = tmp_path / "01-demo"
        folder.mkdir()
        (folder / "lesson.md").write_text("## One\n\nFirst.\n\n## Two\n\nSecond.\n")
        (folder / "lesson.toml").write_text(
            'format_version = 1\ntitle = "Demo"\npart = 1\n'
            '[[steps]]\nprose = "one"\ncall = "gated"\nshow = [{ visual = "text", field = "t" }]\n'
            'textbox = { arg = "word", label = "a word", default = "slow" }\n'
            '[[steps]]\nprose = "two"\ncall = "quick"\nshow = [{ visual = "text", field = "t" }]\n')
        return opened, calls, lessons.load_all(tmp_path)

    async def test_a_placeholder_at_once_and_keys_work_while_computing(self, gate):
        """The panel says 'computing' before the result; the spinner counts; right still moves on."""
        opened, calls, course = gate
        app = RnnTuiApp(lessons=course)
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("01-demo", 0)
            await pilot.pause(0.5)
            assert "computing" in panel(app)
            assert "computing…" in text_of(app.screen.query_one("#step-status", Static))
            await pilot.press("right")
            await pilot.pause()
            assert app.screen.index == 1
            await settle(app, pilot)
            assert panel(app) == "result for quick\n"
            opened.set()                                     # step 1's result arrives late: ignored
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert panel(app) == "result for quick\n"

    async def test_typing_recomputes_once_after_a_pause(self, gate, monkeypatch):
        """Five quick keystrokes make one computation, with the whole word."""
        from rnn_tui.ui.screens import lesson as lesson_screen

        # Pilot's keys can come more than the usual 0.15 s apart on a loaded machine: "quick" here is
        # within a second, so the test checks the debouncing, not the machine's speed
        monkeypatch.setattr(lesson_screen, "DEBOUNCE", 1.0)
        opened, calls, course = gate
        opened.set()
        app = RnnTuiApp(lessons=course)
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("01-demo", 0)
            await settle(app, pilot)
            focus(app, "#textbox")
            await pilot.press("ctrl+u", *"hello")
            await pilot.pause(1.3)                           # the pause after typing
            await settle(app, pilot)
            assert calls == ["slow", "hello"]
            assert panel(app) == "result for hello\n"


async def test_leaving_the_lesson_stops_a_long_step(monkeypatch, tmp_path):
    """A step that trains until stopped ends at its next checkpoint once the learner leaves the lesson."""
    import time

    from rnn_tui.steps.common import checkpoint

    started, stopped = threading.Event(), threading.Event()

    def endless() -> dict:
        started.set()
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                checkpoint()
                time.sleep(0.01)
            return {"t": results.text("never cancelled")}
        finally:
            stopped.set()

    monkeypatch.setitem(registry.STEPS, "endless", endless)
    folder = tmp_path / "01-demo"
    folder.mkdir()
    (folder / "lesson.md").write_text("## One\n\nFirst.\n")
    (folder / "lesson.toml").write_text('format_version = 1\ntitle = "Demo"\npart = 1\n[[steps]]\nprose = "one"\n'
                                        'call = "endless"\nshow = [{ visual = "text", field = "t" }]\n')
    app = RnnTuiApp(lessons=lessons.load_all(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson("01-demo", 0)
        await pilot.pause()
        assert started.wait(5)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        t0 = time.monotonic()
        assert stopped.wait(5) and time.monotonic() - t0 < 2


class TestPredictThenReveal:
    """Hidden panels wait for the answer; r reveals, t tries again, R resets."""

    @pytest.fixture
    def course(self, tmp_path):
        """One step: the running sum of cat in a hidden table, and a question asking for it."""
        folder = tmp_path / "01-demo"
        folder.mkdir()
        (folder / "lesson.md").write_text("## One\n\nAdd the codes.\n")
        (folder / "lesson.toml").write_text(
            'format_version = 1\ntitle = "Demo"\npart = 1\n[[steps]]\nprose = "one"\ncall = "running_sum"\n'
            'args = { word = "cat" }\nshow = [{ hidden = true, visual = "table", field = "steps" }]\n'
            '[steps.question]\nkind = "number"\nprompt = "h for cat?"\nanswer = "total"\nhint = "add"\n')
        return lessons.load_all(tmp_path)

    async def test_hidden_panel_until_answered_then_shown(self, course):
        """The table that holds the answer is '?' until the question is answered."""
        app = RnnTuiApp(lessons=course)
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("01-demo", 0)
            await settle(app, pilot)
            assert "hidden until you answer" in panel(app) and "h_t" not in panel(app)
            await pilot.press("6", "enter")
            await pilot.pause()
            assert app.screen.query_one(QuestionBox).solved
            assert "h_t" in panel(app) and "hidden" not in panel(app)

    async def test_reveal_then_try_again_hides_it_again(self, course):
        """r shows the worked answer and the panel; t reopens the question and hides the panel."""
        app = RnnTuiApp(lessons=course)
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("01-demo", 0)
            await settle(app, pilot)
            await pilot.press("escape", "r")
            await pilot.pause()
            box = app.screen.query_one(QuestionBox)
            assert box.solved and "Revealed: the answer is 6" in text_of(box.query_one("#q-feedback"))
            assert "hidden" not in panel(app)
            await pilot.press("t")
            await pilot.pause()
            assert not box.solved and "hidden until you answer" in panel(app)
            assert app.focused is box.query_one("#q-answer")
            await pilot.press("6", "enter")
            await pilot.pause()
            assert box.solved and "Right" in text_of(box.query_one("#q-feedback"))

    async def test_reset_forgets_the_lessons_answers(self, home):
        """R once only asks; R again clears the answered questions and goes back to step 1, in the
        saved file too."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("01-words-need-vectors", 0)
            await settle(app, pilot)
            await pilot.press("3", "enter", "escape", "right")
            await pilot.pause()
            assert app.progress.of("01-words-need-vectors").answered == {0}
            await pilot.press("escape", "R")
            await settle(app, pilot)
            assert app.screen.index == 1 and app.progress.of("01-words-need-vectors").answered == {0}
            assert any("Press R again" in n.message for n in app._notifications)
            await pilot.press("R")
            await settle(app, pilot)
            assert app.screen.index == 0 and app.progress.of("01-words-need-vectors").answered == set()
            assert not app.screen.query_one(QuestionBox).solved
        saved = json.loads((home / "progress.json").read_text())
        assert saved["lessons"]["01-words-need-vectors"]["answered"] == []

    async def test_the_answer_follows_the_typed_word(self):
        """Lesson 2 step 4 sums katze by default; typed hat, the expected answer is hat's sum."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            box = await typed_in_the_box(app, pilot, "02-words-as-integers", 3, "hat")
            assert box.expected == 3 + 0 + 5
            box.attempt("8")
            await pilot.pause()
            assert box.solved and "Right" in text_of(box.query_one("#q-feedback"))

    async def test_several_right_choices_are_named_and_only_those_offered(self):
        """Lesson 1 step 2 with dog added: chat and dog both sit halfway, but only chat is a choice, so the
        verdict names chat (it said 'any of chat or dog is right', dog not being one of the choices)."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            box = await typed_in_the_box(app, pilot, "01-words-need-vectors", 1, "dog")
            assert set(box.expected) == {"chat", "dog"}
            box.attempt("chat")
            await pilot.pause()
            feedback = text_of(box.query_one("#q-feedback"))
            assert box.solved and "the answer is chat." in feedback and "dog" not in feedback

class TestFocus:
    """Issue 11 item 10: the question box has the keys."""

    async def test_the_prose_shows_when_tab_gives_it_the_keys(self):
        """Tab goes from the boxes to the prose (arrows scroll it; letters there are the app's keys):
        it was a stop that nothing showed, where 'cat' typed opened classify. Now its colours change."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("02-words-as-integers", 3)
            await settle(app, pilot)
            prose = app.screen.query_one("#prose-pane")
            before = (prose.styles.background, prose.styles.border_right)
            while not prose.has_focus:
                await pilot.press("tab")
            await pilot.pause()
            assert (prose.styles.background, prose.styles.border_right) != before

    async def test_enter_on_text_the_step_refuses_keeps_the_focus_in_the_box(self):
        """Lesson 1 step 2: enter on 'ca7' shows the one-line reason and stays in the box, so backspace
        fixes the text instead of going back a step; enter on a word then goes on to the question."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("01-words-need-vectors", 1)
            await settle(app, pilot)
            focus(app, "#textbox")
            await pilot.press("ctrl+u", *"ca7", "enter")
            await settle(app, pilot)
            box = app.screen.query_one("#textbox", Input)
            assert "letters" in text_of(app.screen.query_one("#textbox-error")) and box.has_focus
            await pilot.press("backspace")
            await settle(app, pilot)
            assert app.screen.index == 1 and box.value == "ca" and box.has_focus
            await pilot.press("t", "enter")
            await settle(app, pilot)
            assert app.screen.focused is app.screen.query_one("#q-answer")
            assert text_of(app.screen.query_one("#textbox-error")).strip() == ""

    async def test_enter_in_the_box_after_the_question_settled_keeps_the_focus_there(self):
        """Lesson 12 step 1, answered: a name typed in the box and entered leaves the focus in the box,
        so a second name is typed there too; before, the focus went to the prose, where 'kowalski'
        opened the lab (l) and trained a batch in it (s)."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("12-bptt-made-visible", 0)
            await settle(app, pilot)
            box = app.screen.query_one(QuestionBox)
            box.attempt(str(box.expected))
            assert box.solved
            focus(app, "#textbox")
            await pilot.press("ctrl+u", *"Kowalski", "enter")
            await settle(app, pilot)
            textbox = app.screen.query_one("#textbox", Input)
            assert textbox.has_focus
            await pilot.press("ctrl+u", *"kowalski")
            await settle(app, pilot)
            assert isinstance(app.screen, LessonScreen) and textbox.value == "kowalski"

    async def test_a_name_typed_in_one_step_carries_to_the_next_steps_box(self):
        """Lesson 10's three steps ask for "your family name": the name typed in step 1 is in the box of
        steps 2 and 3, and what they compute is for it (they were back at the default)."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("10-classify-your-name", 0)
            await settle(app, pilot)
            focus(app, "#textbox")
            await pilot.press("ctrl+u", *"Nakamura")
            await settle(app, pilot)
            for _ in range(2):
                await app.screen.run_action("next_step")
                await settle(app, pilot)
                assert app.screen.query_one("#textbox", Input).value == "Nakamura"
                assert "nakamura" in repr(app.screen._result).lower()

    async def test_a_box_with_another_default_starts_from_its_own(self):
        """Lesson 13's radius box is 4 at step 1 and 0.5 at step 2, on purpose (exploding, then
        vanishing): what was typed at step 1 is not carried there."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("13-vanishing-and-exploding", 0)
            await settle(app, pilot)
            first = app.screen.step.textbox
            focus(app, "#textbox")
            await pilot.press("ctrl+u", *"3")
            await app.screen.run_action("next_step")
            await settle(app, pilot)
            second = app.screen.step.textbox
            assert (second.arg, second.label) == (first.arg, first.label) and second.default != first.default
            assert app.screen.query_one("#textbox", Input).value == second.default

    async def test_typing_goes_to_the_question_and_escape_after_an_answer_stays(self):
        """Typing 2 then enter answers at once; escape leaves the box, a second escape the lesson."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.focused, Input) and app.focused.id == "q-answer"
            await pilot.press("2", "enter")
            await pilot.pause()
            assert "Not quite" in text_of(app.screen.query_one("#q-feedback"))
            await pilot.press("ctrl+u", "3", "enter")
            await pilot.pause()
            assert app.screen.query_one(QuestionBox).solved
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, LessonScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)

    async def test_a_digit_typed_right_after_tab_reaches_the_answer(self):
        """Tab from the step's text box goes to the answer field, not to the box around it: 3 is not lost."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("02-words-as-integers", 3)
            await settle(app, pilot)
            focus(app, "#textbox")
            await pilot.press("tab", "3")
            answer = app.screen.query_one("#q-answer", Input)
            assert app.focused is answer and answer.value == "3"

    @pytest.mark.parametrize(("step", "typed"), [(0, "3"), (1, "chat")])
    async def test_an_escape_queued_behind_the_answer_stays_in_the_lesson(self, step, typed):
        """The box takes the focus in the same call that settles it, so an escape handled before any
        other message leaves the box, never the lesson (a number question and a choice)."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("01-words-need-vectors", step)
            await settle(app, pilot)
            box = app.screen.query_one(QuestionBox)
            box.attempt(typed)
            assert box.solved and app.screen.focused is box
            await app.screen.run_action("back")
            assert isinstance(app.screen, LessonScreen)
            await pilot.pause()
            assert isinstance(app.screen, LessonScreen) and app.focused.id == "prose-pane"

    async def test_the_footer_says_what_escape_does(self):
        """Inside the question escape leaves the box, and the footer says so; outside it names the lessons."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("01-words-need-vectors", 0)
            await settle(app, pilot)
            assert app.focused.id == "q-answer"
            assert app.screen.active_bindings["escape"].binding.description == "Leave box"
            await pilot.press("escape")
            assert isinstance(app.screen, LessonScreen) and app.focused.id == "prose-pane"
            assert app.screen.active_bindings["escape"].binding.description == "Lessons"
            app.open_lesson("02-words-as-integers", 1)                 # the step's own text box
            await settle(app, pilot)
            focus(app, "#textbox")
            await pilot.pause()
            assert app.screen.active_bindings["escape"].binding.description == "Leave box"
            await pilot.press("escape")
            assert isinstance(app.screen, LessonScreen) and app.focused.id == "prose-pane"

    async def test_the_screen_says_how_to_move_focus(self):
        """A hint line names tab and escape."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            await pilot.pause()
            hint = text_of(app.screen.query_one("#step-keys", Static))
            assert "tab: move between the text and the boxes" in hint and "esc: leave a box" in hint


class TestLayout:
    """Long input and small terminals."""

    @pytest.mark.parametrize("size", [(80, 24), (120, 40)])
    async def test_step_label_keeps_to_one_line(self, size):
        """'step 1 of 4' and the lesson's title are never split over two lines, even lesson 5's long one."""
        app = RnnTuiApp()
        async with app.run_test(size=size) as pilot:
            await pilot.press("enter")
            await pilot.pause()
            label = app.screen.query_one("#step-label", Static)
            steps = len(app.screen.lesson.steps)
            assert label.region.height == 1 and text_of(label).startswith(f"step 1 of {steps}")
            app.open_lesson("05-training-a-classifier", 0)
            await settle(app, pilot)
            label = app.screen.query_one("#step-label", Static)
            assert label.region.height == 1 and label.region.width <= app.screen.query_one("#work-pane").region.width

    async def test_at_80x24_the_question_shows_above_its_box_then_the_verdict(self):
        """The box is taller than the pane at 80x24: focus on its choices scrolls its question into
        view too (not only the choices), also when the step is reached with the next-step key; the
        answer then scrolls its verdict into view.  (Before, the box stayed below the pane.)"""
        app = RnnTuiApp()
        async with app.run_test(size=(80, 24)) as pilot:
            app.open_lesson("04-matrix-transforms", 3)
            await settle(app, pilot)
            await app.screen.run_action("next_step")
            await settle(app, pilot)
            await pilot.pause(0.5)                  # the scroll to the focus is animated
            box, pane = app.screen.query_one(QuestionBox), app.screen.query_one("#work-pane")
            assert box.answer_field.has_focus and box.region.height > pane.scrollable_content_region.height
            assert pane.scrollable_content_region.y <= box.region.y + 1 < pane.scrollable_content_region.bottom
            await pilot.press("down", "enter")
            await pilot.pause(0.5)
            feedback = box.query_one("#q-feedback")
            assert box.solved and pane.scrollable_content_region.contains_region(feedback.region)

    async def test_at_80x24_a_wrong_try_scrolls_its_hint_into_view(self):
        """A first wrong answer leaves the question open with a hint under the field: the hint is
        scrolled into view (before, it stayed below the pane and enter seemed to do nothing)."""
        app = RnnTuiApp()
        async with app.run_test(size=(80, 24)) as pilot:
            app.open_lesson("12-bptt-made-visible", 0)
            await settle(app, pilot)
            box, pane = app.screen.query_one(QuestionBox), app.screen.query_one("#work-pane")
            assert box.expected is not None and box.answer_field.has_focus
            wrong = "2" if str(box.expected) == "1" else "1"
            await pilot.press(wrong, "enter")
            await pilot.pause(0.5)
            feedback = box.query_one("#q-feedback")
            assert not box.solved and "Hint:" in text_of(feedback)
            assert pane.scrollable_content_region.contains_region(feedback.region)

    async def test_a_wide_matrix_writes_shorter_numbers_to_fit_its_pane(self):
        """Lesson 4's h for katzekat: eight columns of +0.719 are wider than the pane at 120 columns,
        so the numbers drop their leading 0 and every column shows; wider, they keep it; narrower
        again, they drop it again (the panel draws itself anew when the pane is resized)."""
        app = RnnTuiApp()
        async with app.run_test(size=(120, 40)) as pilot:
            app.open_lesson("04-matrix-transforms", 4)
            await settle(app, pilot)
            widget, pane = app.screen.query(Visual).first(), app.screen.query_one("#work-pane")
            for width, whole in ((120, False), (170, True), (120, False)):
                await pilot.resize_terminal(width, 40)
                await pilot.pause()
                lines = panel(app).splitlines()
                assert lines[1].split() == list("katzekat")
                numbers = [x for line in lines[2:] for x in line.split()[1:]]
                assert len(numbers) == 8 * len(lines[2:]) and all(x[0] in "+-" for x in numbers)
                assert all(x[1:3] == "0." for x in numbers if abs(float(x)) < 1) == whole
                assert widget.region.width <= pane.scrollable_content_region.width

    async def test_a_wide_table_wraps_its_headers_but_no_word(self):
        """Lesson 5's table of the four words with and without biases: too wide at 120 columns even
        with its columns closer, so headers and names wrap to the pane; every word is still whole."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            await open_revealed(app, pilot, "05-training-a-classifier", 5)
            widget, pane = app.screen.query(Visual).first(), app.screen.query_one("#work-pane")
            value = widget.value
            assert widget.compact == 2 and widget.region.width <= pane.scrollable_content_region.width
            shown = panel(app)
            assert all(word in shown for c in value.columns for word in c.split())
            assert all(word in shown for row in value.rows for word in str(row[0]).split())

    async def test_facts_too_wide_for_the_pane_wrap_and_keep_every_word(self):
        """Lesson 1 step 2: 'chat = (cat + katze) / 2' ran past the pane (its 2 cut off); the value now
        wraps to the pane, every word whole, also once the pane shows its scrollbar."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            await open_revealed(app, pilot, "01-words-need-vectors", 1)
            widget, pane = list(app.screen.query(Visual))[1], app.screen.query_one("#work-pane")
            assert widget.compact == 1 and widget.region.width <= pane.scrollable_content_region.width
            shown = panel(app, 1)
            assert all(word in shown for label, v in widget.value.items for word in f"{label} {v}".split())

    @pytest.mark.parametrize("word", ["katzekathat", "hatkatzetackzetacheat"])
    async def test_tables_keep_their_columns_for_long_words(self, word):
        """A 12- or 20-letter word in lesson 2 leaves every header and code readable (issue 11 item 12)."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("02-words-as-integers", 1)
            await settle(app, pilot)
            focus(app, "#textbox")
            await pilot.press(*word)
            await settle(app, pilot)
            await app.screen.run_action("reveal")
            await pilot.pause()
            table = panel(app)
            assert "…" not in table and word in table and f"x{len(word)}" in table
            widget = app.screen.query(Visual).first()
            assert widget.region.width >= len(table.splitlines()[1].rstrip())

    async def test_a_panel_is_drawn_once_per_value_not_per_repaint(self, monkeypatch):
        """Lesson 4 step 2's matrix of U: repaints reuse the lines drawn when the value came (Rich is not
        asked to lay the table out again); a new value, or revealing, draws it again; the screen shows it."""
        from rich.table import Table

        calls = []
        drawn = Table.__rich_console__

        def counted(table, console, options):
            calls.append(table)
            return drawn(table, console, options)

        monkeypatch.setattr(Table, "__rich_console__", counted)
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("04-matrix-transforms", 1)
            await settle(app, pilot)
            matrix = app.screen.query(Visual).first()
            assert "h0" in text_of(matrix) and matrix.value is not None
            calls.clear()
            for _ in range(3):
                matrix.refresh(layout=True)
                app.screen.refresh()
                await pilot.pause()
            assert calls == []                       # three repaints and layouts, no table laid out again
            screen_text = "\n".join(line.text for line in app.screen._compositor.render_strips())
            assert "h0" in screen_text and "h3" in screen_text
            matrix.show(matrix.value)
            assert len(calls) == 1                   # a new value: drawn once, at once
            await pilot.pause()
            assert len(calls) == 1
            assert matrix.region.height == len(text_of(matrix).rstrip("\n").splitlines())

    async def test_wide_panels_start_at_their_first_column(self):
        """A panel wider than the pane (lesson 2's codes of a 21-letter word): the focused question does
        not scroll it sideways, so no first letter is cut (found in tmux at 120x40 in lesson 5)."""
        from rnn_tui.ui.screens.lesson import WorkPane

        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            await codes_of_a_long_word(app, pilot)
            focus(app, "#q-answer")
            await pilot.pause()
            pane = app.screen.query_one(WorkPane)
            assert pane.max_scroll_x > 0                  # the panels really are wider than the pane
            assert isinstance(app.screen.focused, Input) and pane.scroll_x == 0
            pane.scroll_to(x=pane.max_scroll_x, animate=False)    # the reader scrolls sideways ...
            await pilot.pause()
            assert pane.scroll_x > 0
            await app.screen.run_action("next_step")       # ... and the next step starts at column 0
            await settle(app, pilot)
            assert pane.scroll_x == 0

    @pytest.mark.parametrize("size", [(80, 24), (120, 40)])
    async def test_the_question_fits_the_pane_beside_a_wider_table(self, size):
        """Lesson 2 step 2 with a 21-letter word: its table is wider than the pane, the question box and its
        feedback are not."""
        app = RnnTuiApp()
        async with app.run_test(size=size) as pilot:
            await codes_of_a_long_word(app, pilot)
            await pilot.pause()
            pane = app.screen.query_one("#work-pane")
            box = app.screen.query_one(QuestionBox)
            assert app.screen.query(Visual).first().region.width > pane.scrollable_content_region.width
            assert box.region.right <= pane.scrollable_content_region.right
            assert box.query_one("#q-feedback").region.right <= pane.scrollable_content_region.right

    @pytest.mark.parametrize("opening", ["lesson", "classify", "help", "lab"])
    async def test_the_first_paint_is_not_in_the_callback_that_styles_and_lays_out(self, monkeypatch, opening):
        """Opening a screen: Textual styles, lays out and paints a pushed screen in one callback (the longest
        the loop was held); a CalmScreen's first layout and first paint come in callbacks of their own, and
        the screen they paint is the new one."""
        from textual.screen import Screen

        from rnn_tui.ui.screens.calm import CalmScreen

        displays: list[tuple[Screen, bool]] = []
        resuming = []
        resume = Screen._on_screen_resume

        def timed_resume(screen, event):
            resuming.append(True)
            try:
                return resume(screen, event)
            finally:
                resuming.pop()

        monkeypatch.setattr(Screen, "_on_screen_resume", timed_resume)
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            display = app._display

            def noted(screen, renderable):
                displays.append((screen, bool(resuming)))
                return display(screen, renderable)

            monkeypatch.setattr(app, "_display", noted)
            {"lesson": lambda: app.open_lesson("01-words-need-vectors", 0), "classify": app.action_classify,
             "help": app.action_help, "lab": app.action_lab}[opening]()
            await settle(app, pilot)
            opened = app.screen
            assert isinstance(opened, CalmScreen)
            frames = [inside for screen, inside in displays if screen is opened]
            assert frames and not any(frames)

    async def test_the_selected_column_of_u_is_marked(self):
        """Lesson 4 step 2: the column of U that k selects is highlighted (issue 11 item 16c)."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            await open_revealed(app, pilot, "04-matrix-transforms", 1)
            assert "▼k" in panel(app) and "▼a" not in panel(app)


@pytest.mark.parametrize("typed", ["[/]", "[b]bold[/b] [link=x]", "x" * 1000, "😀🐈", "\x1b[31mred"])
async def test_hostile_text_in_every_box_of_a_lesson_step(typed):
    """Markup, a thousand characters, emoji and escapes in the text box and the answer box: shown, never run."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson("02-words-as-integers", 1)
        await settle(app, pilot)
        app.screen.query_one("#textbox", Input).value = typed
        await settle(app, pilot)
        error = text_of(app.screen.query_one("#textbox-error", Static))
        assert "not in the vocabulary" in error or "at most" in error      # refused in one line, shown as typed
        answer = app.screen.query_one("#q-answer", Input)
        answer.value = typed
        answer.focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        feedback = text_of(app.screen.query_one("#q-feedback", Static))
        assert "type numbers separated by spaces" in feedback or "Not quite" in feedback
        assert isinstance(app.screen, LessonScreen)


class TestLive:
    """A step with a [steps.live] table trains live in the lesson."""

    TOML = ('format_version = 1\ntitle = "Live"\npart = 1\n[[steps]]\nprose = "intro"\n'
            '[steps.live]\nwords = ["cat", "chat", "katze"]\nlanguages = ["English", "French", "German"]\n'
            'init = "article"\nnhidden = 4\nepochs = {epochs}\nlr = 0.01\nstrategy = "sgd"\n')

    def course(self, tmp_path, epochs="150"):
        folder = tmp_path / "01-live"
        folder.mkdir()
        (folder / "lesson.md").write_text("## Intro\n\nWatch it learn.\n")
        (folder / "lesson.toml").write_text(self.TOML.format(epochs=epochs))
        return lessons.load_all(tmp_path)

    async def test_the_live_panel_grows_on_a_tall_terminal(self, tmp_path):
        """30 lines at 120x40 (as before); on a 60-line terminal, more of it for the heatmaps."""
        from rnn_tui.ui.widgets.live_panel import LivePanel

        course = self.course(tmp_path)
        heights = []
        for size in (SIZE, (200, 60)):
            app = RnnTuiApp(lessons=course)
            async with app.run_test(size=size) as pilot:
                app.open_lesson("01-live", 0)
                await pilot.pause(0.5)
                heights.append(app.screen.query_one(LivePanel).region.height)
        assert heights[0] == 30 and heights[1] >= 40

    async def test_the_live_panel_is_mounted_with_the_preset(self, tmp_path):
        """The step's panel is a LivePanel built from the lesson's preset."""
        from rnn_tui.ui.widgets.live_panel import LivePanel

        course = self.course(tmp_path)
        assert lessons.check(course) == []
        app = RnnTuiApp(lessons=course)
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("01-live", 0)
            await pilot.pause(0.5)
            live = app.screen.query_one(LivePanel)
            assert live.region.height >= 20
            # the prose says "press space": with no question on the step, space trains, it does not turn the page
            assert app.screen.focused is live
            for _ in range(200):
                if live.state == "ready":
                    break
                await pilot.pause(0.05)
            await pilot.press("space")
            for _ in range(200):
                if live.state == "running" or (live.frame is not None and live.frame.step > 0):
                    break
                await pilot.pause(0.05)
            assert isinstance(app.screen, LessonScreen) and live.frame is not None and live.frame.step > 0
        assert course[0].steps[0].live.preset["words"] == ["cat", "chat", "katze"]

    def test_a_bad_preset_is_a_problem_for_check(self, tmp_path):
        """rnn-tui check validates the preset without training."""
        problems = lessons.check(self.course(tmp_path, epochs='"many"'))
        assert len(problems) == 1 and problems[0].startswith("01-live step 1: live:") and "epochs" in problems[0]


class TestRecurrence:
    """The recurrence with its numbers plugged in: lesson 4, lesson 10 and the classify screen."""

    @pytest.mark.parametrize("size", [(80, 24), (120, 40)])
    async def test_arrows_move_t_along_the_word(self, size):
        """Lesson 4's recurrence step: focused, right and left move t; every row is drawn."""
        from rnn_tui.ui.widgets.recurrence import RecurrenceView

        app = RnnTuiApp()
        async with app.run_test(size=size) as pilot:
            lesson = app.lesson("04-matrix-transforms")
            index = next(i for i, s in enumerate(lesson.steps) if s.call == "recurrence_steps")
            app.open_lesson(lesson.id, index)
            await settle(app, pilot)
            view = app.screen.query_one(RecurrenceView)
            assert "hidden until you answer" in text_of(view) and not view.focusable
            await app.screen.run_action("reveal")
            await pilot.pause()
            assert view.t == 1 and "h_1 = tanh(W h_0 + U x_1)" in text_of(view)
            view.focus()
            await pilot.press("right", "right")
            assert view.t == 3 and app.screen.index == index          # the view has the arrows, not the lesson
            text = text_of(view)
            for row in ("U x_3", "W h_2", "sum", "h_3", "'t': column 5 of U"):
                assert row in text, row
            await pilot.press("right", "left")
            assert view.t == 2
            assert view.region.width <= size[0]

    async def test_the_signs_of_h1_are_asked_before_the_recurrence_opens(self):
        """Lesson 4: tab from the word goes to the answer, not to the hidden panel; the engine's signs of
        h_1 = tanh(U x_1) for the typed word are the answer, and answering opens the panel."""
        import numpy as np

        from rnn_tui.ui.widgets.recurrence import RecurrenceView

        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            lesson = app.lesson("04-matrix-transforms")
            index = next(i for i, s in enumerate(lesson.steps) if s.call == "recurrence_steps")
            app.open_lesson(lesson.id, index)
            await settle(app, pilot)
            focus(app, "#textbox")
            await pilot.press("ctrl+u", *"hat")
            await settle(app, pilot)
            view = app.screen.query_one(RecurrenceView)
            assert view.value.word == "hat" and "hidden until you answer" in text_of(view)
            signs = [int(np.sign(x)) for x in view.value.steps[0].Ux]       # tanh keeps the signs of U x_1
            await pilot.press("tab", *" ".join(map(str, signs)), "enter")
            await pilot.pause()
            box = app.screen.query_one(QuestionBox)
            assert box.solved and "Right" in text_of(box.query_one("#q-feedback"))
            assert "h_1 = tanh(W h_0 + U x_1)" in text_of(view) and view.focusable

    async def test_classify_swaps_in_the_recurrence_for_the_typed_name(self):
        """ctrl+t on the classify screen shows the recurrence of the name; typing keeps it current."""
        from rnn_tui.ui.screens.classify import ClassifyScreen
        from rnn_tui.ui.widgets.recurrence import RecurrenceView

        app = RnnTuiApp()
        async with app.run_test(size=(80, 24)) as pilot:
            app.push_screen(ClassifyScreen("Kowalski"))
            await pilot.pause()
            await pilot.press("ctrl+t")
            await pilot.pause()
            view = app.screen.query_one(RecurrenceView)
            assert view.display and view.has_focus and view.value.word == "kowalski"
            assert view.border_subtitle == "←/→ move t"          # the keys work now, and it says so
            await pilot.press("end")
            assert view.t == 8
            text = text_of(view)
            nhidden = app.screen.model.params["W"].shape[0]             # the pretrained model's size
            assert "h_8 = tanh(W h_7 + U x_8)" in text and f"{nhidden} numbers" in text
            app.screen.query_one("#cls-name", Input).value = "Nakamura"
            await pilot.pause()
            assert view.value.word == "nakamura"
            await pilot.press("ctrl+t")                  # hidden, it is not drawn for each keystroke ...
            await pilot.pause()
            app.screen.query_one("#cls-name", Input).value = "Tanaka"
            await pilot.pause()
            assert not view.display and view.value.word == "nakamura"
            await pilot.press("ctrl+t")                  # ... and shows the name typed meanwhile
            await pilot.pause()
            assert view.display and view.value.word == "tanaka" and "t = 6 of 6" in text_of(view)


async def test_leaving_a_lesson_mid_training_stops_its_training_loop(monkeypatch):
    """Lesson 11's hand-written training loop (updates_per_epoch) runs in the step process; leaving
    the lesson while it trains ends it there at its next checkpoint, before it finishes."""
    import time

    from rnn_tui.steps.process import StepServer
    from rnn_tui.ui.screens import lesson as lesson_screen

    server = StepServer()                        # its own, so no earlier test's cache answers at once
    monkeypatch.setattr(lesson_screen, "shared", lambda: server)
    app = RnnTuiApp()
    try:
        async with app.run_test(size=SIZE) as pilot:
            tldr = next(x for x in app.lessons if x.number == 11)
            index = next(i for i, st in enumerate(tldr.steps) if st.call == "updates_per_epoch")
            app.open_lesson(tldr.id, index)
            end = time.monotonic() + 60                 # spawning the step process is slow under load
            while not server.in_flight and time.monotonic() < end:
                await pilot.pause(0.05)
            await pilot.pause(0.5)
            assert server.in_flight and "computing" in panel(app) + text_of(app.screen.query_one("#step-status"))
            focus(app, "#prose-pane")                 # outside the boxes, escape goes back to the lessons
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            end = time.monotonic() + 60
            while server.in_flight and time.monotonic() < end:
                await pilot.pause(0.05)
            assert server.in_flight == 0
            assert server.outcomes["updates_per_epoch", "cancelled"] >= 1, dict(server.outcomes)
            assert server.outcomes["updates_per_epoch", "done"] == 0, dict(server.outcomes)
    finally:
        server.close()
