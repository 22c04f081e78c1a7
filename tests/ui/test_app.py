"""The lesson player driven through Textual's Pilot."""

import json

import pytest
from textual.content import Content
from textual.widgets import OptionList, Static

from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.screens.help import HelpScreen
from rnn_tui.ui.screens.home import HomeScreen
from rnn_tui.ui.screens.lesson import LessonScreen
from rnn_tui.ui.screens.too_small import TooSmallScreen
from rnn_tui.ui.widgets.prose import Prose
from rnn_tui.ui.widgets.question import QuestionBox

SIZE = (120, 40)


async def settle(app, pilot) -> None:
    """Wait out the text box's pause, then the step's worker, then the messages it posted (and the
    step's question box, which is mounted a frame after its panels)."""
    await pilot.pause(0.25)
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    step = getattr(screen, "step", None)
    for _ in range(250):
        if getattr(step, "question", None) is None or screen.query("#question"):
            break
        await pilot.pause(0.02)


def focus(app, selector: str) -> None:
    """Put the keyboard focus on a widget of the current screen."""
    app.screen.query_one(selector).focus()


def text_of(widget) -> str:
    """The plain text a Static shows."""
    from rich.console import Console

    content = getattr(widget, "content", None)
    if isinstance(content, str):
        return content
    if isinstance(content, Content):
        return content.plain
    console = Console(width=200, record=True, file=open("/dev/null", "w"))
    console.print(content)
    return console.export_text()


class TestNavigation:
    """Moving between the lesson list, lessons and steps by keyboard."""

    async def test_home_lists_lessons_by_part_with_resume_first(self):
        """The first option starts the course; every lesson is listed as not started."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            listing = app.screen.query_one(OptionList)
            prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
            assert prompts[0].startswith("▶ Start: 01 Words need vectors")
            assert any("Part 1" in p for p in prompts)
            assert sum("not started" in p for p in prompts) == len(app.lessons)

    async def test_steps_and_lessons_move_with_the_keys(self):
        """enter opens; right/space/enter go on; left/backspace go back; n/p change lesson; escape leaves a box,
        then returns."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            screen = app.screen
            assert isinstance(screen, LessonScreen) and screen.index == 0
            for key, index in (("right", 1), ("space", 2), ("left", 1), ("backspace", 0)):
                await pilot.press("escape")                  # out of the question box that took the focus
                assert app.screen is screen
                await pilot.press(key)
                assert screen.index == index, key
            await pilot.press("escape", "n")
            await pilot.pause()
            assert isinstance(app.screen, LessonScreen) and app.screen.lesson.number == 2
            await pilot.press("escape", "p")
            await pilot.pause()
            assert app.screen.lesson.number == 1
            await pilot.press("escape", "escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)

    async def test_prose_follows_the_step(self):
        """Each step shows its own section of lesson.md."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter", "escape", "right")
            await pilot.pause()
            md = app.screen.query_one("#prose", Prose)
            assert "Why not number the words?" in md.source

    async def test_typing_in_the_text_box_recomputes_live(self):
        """A word typed into a step's box is numbered by the engine at once."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter", "escape", "right")
            focus(app, "#textbox")
            await pilot.press("d", "o", "g")
            await settle(app, pilot)
            await app.screen.run_action("reveal")            # the table answers the step's question
            await pilot.pause()
            table = text_of(app.screen.query(".visual").first())
            assert "dog" in table and "3" in table

    async def test_bad_typed_input_shows_a_message_not_a_crash(self):
        """Letters outside the article's vocabulary give a one-line hint in the panel."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("02-words-as-integers", 1)
            await settle(app, pilot)
            focus(app, "#textbox")
            await pilot.press("d", "o", "g")
            await settle(app, pilot)
            assert "not in the vocabulary acehktz" in text_of(app.screen.query_one("#textbox-error", Static))

    async def test_help_lists_the_keys_of_the_screen(self):
        """? opens help with the lesson keys; escape closes it."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter", "escape", "question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            keys = dict(app.screen.keys)
            assert keys.get("n") == "Next lesson" and keys.get("q") == "Quit"
            await pilot.press("escape")
            assert isinstance(app.screen, LessonScreen)

    async def test_palette_offers_every_lesson(self):
        """The command palette has a 'Go to lesson' entry per lesson."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
            for lesson in app.lessons:
                help_text = commands[f"Go to lesson {lesson.number:02d}: {lesson.title}"]
                # a section number where the article has one; lessons beyond it ("all", "+") show none
                assert help_text.startswith(lesson.section) == lesson.section[:1].isdigit()
            await pilot.press("ctrl+p")
            await pilot.pause()
            for ch in "go to lesson 02":
                await pilot.press("space" if ch == " " else ch)
            await pilot.pause(0.5)
            await pilot.press("enter")
            await pilot.pause(0.3)
            assert isinstance(app.screen, LessonScreen) and app.screen.lesson.number == 2


class TestQuestions:
    """Answers are marked against the engine's value."""

    async def test_right_answer(self):
        """3 classes is right, and the step is recorded as answered."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            await settle(app, pilot)
            await pilot.press("3", "enter")
            await pilot.pause()
            box = app.screen.query_one(QuestionBox)
            assert box.solved and "Right" in text_of(box.query_one("#q-feedback"))
            assert 0 in app.progress.of("01-words-need-vectors").answered

    async def test_wrong_then_hint_then_worked_answer(self):
        """A wrong try shows the hint; a second shows the worked answer and settles the question."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            await settle(app, pilot)
            await pilot.press("2", "enter")
            await pilot.pause()
            box = app.screen.query_one(QuestionBox)
            feedback = box.query_one("#q-feedback")
            assert "Hint: Count the different languages" in text_of(feedback) and not box.solved
            await pilot.press("backspace", "5", "enter")
            await pilot.pause()
            assert box.solved and "The answer is 3" in text_of(feedback)

    async def test_unreadable_answers_do_not_count_as_tries(self):
        """Text that is not a number gets a note, and no try is used up."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            await settle(app, pilot)
            await pilot.press("x", "enter")
            await pilot.pause()
            box = app.screen.query_one(QuestionBox)
            assert box.tries == 0 and "'x' is not a number" in text_of(box.query_one("#q-feedback"))

    async def test_choice_and_vector_questions(self):
        """A choice picked from the list, and a vector typed with commas, are marked."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("01-words-need-vectors", 1)
            await settle(app, pilot)
            await pilot.press("down", "enter")      # the options have the focus; cat -> chat
            await pilot.pause()
            assert app.screen.query_one(QuestionBox).solved
            app.open_lesson("02-words-as-integers", 1)
            await settle(app, pilot)
            await pilot.press(*"4, 0, 5, 6, 2", "enter")
            await pilot.pause()
            box = app.screen.query_one(QuestionBox)
            assert box.solved and "Right" in text_of(box.query_one("#q-feedback"))


class TestProgress:
    """Progress lives in the user's data folder and survives restarts."""

    async def test_progress_survives_a_restart(self, home):
        """Step and answers come back; the home screen offers to resume."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            await settle(app, pilot)
            await pilot.press("3", "enter")
            await pilot.pause()
            await pilot.press("right", "right")
            await pilot.pause()
        saved = json.loads((home / "progress.json").read_text())
        assert saved["lessons"]["01-words-need-vectors"]["step"] == 2
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            first = str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
            steps_in_lesson_1 = len(app.lessons[0].steps)
            assert first.startswith(f"▶ Resume where I left off: 01 Words need vectors, step 3 of {steps_in_lesson_1}")
            prompts = [str(app.screen.query_one(OptionList).get_option_at_index(i).prompt)
                       for i in range(app.screen.query_one(OptionList).option_count)]
            lesson_lines = [p for p in prompts if p.lstrip().startswith(("○", "◐", "●"))]
            assert "in progress" in lesson_lines[0]
            # the home screen counting answers must not mark the lessons it only read as begun
            assert all("not started" in p for p in lesson_lines[1:]), lesson_lines
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen.index == 2
            await pilot.press("escape", "left", "left")          # out of the answer box, then back
            await pilot.pause()
            assert app.screen.query_one(QuestionBox).solved      # answered before the restart

    async def test_corrupt_progress_is_kept_aside_and_reset_with_a_notice(self, home):
        """A garbled file becomes a backup; the app starts afresh and says so."""
        home.mkdir(parents=True)
        (home / "progress.json").write_text('{"format_version": 1, "lessons": {"x": ')
        app = RnnTuiApp()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            notes = [n.message for n in app._notifications]
            assert any("could not be read" in m and "starting afresh" in m for m in notes)
        backups = list(home.glob("progress.json.corrupt-*"))
        assert len(backups) == 1 and backups[0].read_text().endswith('"x": ')

    async def test_theme_choice_persists(self, home):
        """A theme set in the app is there on the next start."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            app.theme = "nord"
            await pilot.pause()
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert app.theme == "nord"


class TestLayout:
    """Terminal sizes."""

    async def test_too_small_terminal_shows_a_message_and_recovers(self):
        """Under 80x24 a message covers the app; enlarging brings the app back."""
        app = RnnTuiApp()
        async with app.run_test(size=(70, 20)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, TooSmallScreen)
            assert "70×20" in text_of(app.screen.query_one(Static)) and "80×24" in text_of(app.screen.query_one(Static))
            await pilot.resize_terminal(100, 30)
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)

    async def test_narrow_terminal_stacks_prose_above_visuals(self):
        """Below 110 columns the lesson's panes stack."""
        app = RnnTuiApp()
        async with app.run_test(size=(90, 40)) as pilot:
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen.has_class("narrow")
            prose, work = app.screen.query_one("#prose-pane"), app.screen.query_one("#work-pane")
            assert work.region.y > prose.region.y


    async def test_a_lesson_follows_the_terminal_through_resizes(self):
        """A lesson screen is laid out again for each new size (wide, narrow, wide), and a resize to the
        size it already has changes nothing (LessonScreen skips that second layout)."""
        app = RnnTuiApp()
        async with app.run_test(size=(120, 40)) as pilot:
            app.open_lesson("02-words-as-integers", 1)
            await pilot.pause(0.3)
            prose, work = app.screen.query_one("#prose-pane"), app.screen.query_one("#work-pane")
            assert not app.screen.has_class("narrow") and work.region.x > prose.region.x
            await pilot.resize_terminal(90, 40)
            await pilot.pause(0.2)
            assert app.screen.has_class("narrow") and work.region.y > prose.region.y
            assert app.screen.size == (90, 40) and prose.region.width > 80
            await pilot.resize_terminal(90, 40)
            await pilot.pause(0.2)
            assert app.screen.has_class("narrow") and work.region.y > prose.region.y
            await pilot.resize_terminal(130, 45)
            await pilot.pause(0.2)
            assert not app.screen.has_class("narrow") and work.region.x > prose.region.x
            assert app.screen.size == (130, 45) and work.region.right == 130

async def test_every_lesson_walked_start_to_end_answering_every_question():
    """Open each lesson, answer each question with the engine's value, reach the end: all done."""
    from rnn_tui.lessons import format_answer

    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        for lesson in app.lessons:
            app.open_lesson(lesson.id, 0)
            await pilot.pause()
            for i, st in enumerate(lesson.steps):
                assert app.screen.index == i
                await settle(app, pilot)
                if st.question:
                    box = app.screen.query_one(QuestionBox)
                    # the value the app computed (in its step process): a timing answer such as lesson 15's
                    # "fastest" can differ from a second computation here
                    assert box.expected is not None, (lesson.id, i)
                    box.attempt(format_answer(box.expected))
                    await pilot.pause()
                    assert box.solved and "Right" in text_of(box.query_one("#q-feedback")), (lesson.id, i)
                assert not text_of(app.screen.query_one("#textbox-error")).strip(), (lesson.id, i)
                await app.screen.run_action("next_step")
                await pilot.pause()
            assert app.status(lesson) == "done"


class TestHome:
    """Issue 10 item 6: an introduction, the course's progress, and its end."""

    async def test_first_visit_introduces_the_course(self):
        """With no progress the home screen explains what the course is."""
        app = RnnTuiApp()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            intro = text_of(app.screen.query_one("#home-intro", Static))
            assert "h = tanh(W h + U x)" in intro and "predict" in intro

    async def test_progress_counts_lessons_and_questions(self):
        """After one answer: 0 of 15 lessons, 1 of all questions."""
        app = RnnTuiApp()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            await settle(app, pilot)
            await pilot.press("3", "enter", "escape", "escape")
            await pilot.pause()
            total = sum(1 for x in app.lessons for s in x.steps if s.question)
            line = text_of(app.screen.query_one("#home-intro", Static)).strip()
            assert line == f"0 of {len(app.lessons)} lessons done · 1 of {total} questions answered"

    async def test_a_finished_course_says_so(self):
        """Every step seen and every question answered: the course is complete."""
        app = RnnTuiApp()
        for lesson in app.lessons:
            app.progress.visit(lesson.id, len(lesson.steps) - 1)
            for i, st in enumerate(lesson.steps):
                if st.question:
                    app.progress.answer(lesson.id, i)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert text_of(app.screen.query_one("#home-intro", Static)).startswith("Course complete")

    @pytest.mark.parametrize("size", [(80, 24), (120, 40)])
    async def test_every_lesson_is_one_line(self, size):
        """Titles and statuses never wrap onto a second line, whatever the width."""
        app = RnnTuiApp()
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            listing = app.screen.query_one(OptionList)
            for i in range(listing.option_count):
                prompt = listing.get_option_at_index(i).prompt
                assert "\n" not in str(prompt)
                if hasattr(prompt, "no_wrap"):
                    assert prompt.no_wrap


async def test_an_answer_given_while_the_step_computes_is_checked_when_its_value_comes():
    """Found by helper review: answering during 'computing…' said 'try again in a moment' and dropped the
    answer, so the learner had to enter it again. Now it is kept and marked when the value arrives."""
    from textual.app import App

    from rnn_tui.lessons import Question

    class One(App):
        def compose(self):
            yield QuestionBox(Question(kind="number", prompt="How many?", answer="n", hint="Count them."),
                              None, id="question")

    app = One()
    async with app.run_test() as pilot:
        box = app.query_one(QuestionBox)
        box.attempt("7")
        await pilot.pause()
        assert not box.solved and "checked as soon as" in text_of(box.query_one("#q-feedback"))
        box.set_expected(7)
        await pilot.pause()
        assert box.solved and box.has_class("right") and "Right" in text_of(box.query_one("#q-feedback"))


async def test_ctrl_c_twice_quits_and_once_only_says_so():
    """Textual's ctrl+c only names the key that quits; here one press says a second quits, the second
    does, on any screen, also with the focus in a text box (where ctrl+c would copy a selection)."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson("01-words-need-vectors", 1)
        await settle(app, pilot)
        focus(app, "#textbox")
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.is_running and any("ctrl+c again" in n.message for n in app._notifications)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not app.is_running


async def test_ctrl_c_with_text_selected_copies_it_and_does_not_quit():
    """Text dragged over with the mouse is copied by ctrl+c, as Textual's screen does, however often it
    is pressed; the quitting pair is for a screen with nothing selected."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.get_selected_text = lambda: "A recurrent neural network"     # what a drag selects
        await pilot.press("ctrl+c", "ctrl+c")
        await pilot.pause()
        assert app.is_running and app.clipboard == "A recurrent neural network"
