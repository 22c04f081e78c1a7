"""Opening the app somewhere: `launch --lesson N[.S]`, `--lab`, `--classify NAME`."""

import os
import pty
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnn_tui.lessons import load_all
from rnn_tui.ui.app import RnnTuiApp, Start, start_at
from rnn_tui.ui.screens.home import HomeScreen
from rnn_tui.ui.screens.lesson import LessonScreen

LESSONS = load_all()


def test_lesson_and_step_numbers_are_the_ones_on_screen():
    """3.2 is lesson 3, second step (index 1); 3 alone keeps the saved step."""
    third = next(x for x in LESSONS if x.number == 3)
    assert start_at(LESSONS, "3.2") == Start(lesson=third.id, step=1)
    assert start_at(LESSONS, "3") == Start(lesson=third.id, step=None)
    assert start_at(LESSONS, None, lab=True) == Start(lab=True)
    assert start_at(LESSONS, None, classify="Kowalski") == Start(classify="Kowalski")


@pytest.mark.parametrize("ref,why", [("99", "there is no lesson 99"), ("3.0", "has steps 1 to"),
                                     ("3.99", "not 99"), ("x", "N or N.S"), ("3.2.1", "N or N.S")])
def test_bad_lesson_references_say_what_is_wrong(ref, why):
    """Each bad reference is one line naming the problem."""
    with pytest.raises(ValueError, match=why.replace(".", r"\.")) as e:
        start_at(LESSONS, ref)
    assert "\n" not in str(e.value)


@given(st.text(max_size=30))
def test_any_text_is_a_start_or_a_value_error(ref):
    """Whatever is typed after --lesson: a Start or a one-line ValueError, never anything else."""
    try:
        start = start_at(LESSONS, ref)
    except ValueError as e:
        assert "\n" not in str(e)
    else:
        assert start.lesson in {x.id for x in LESSONS}


async def test_the_app_opens_at_a_lesson_step_above_the_list():
    """The lesson screen at the asked step; escape (after one that leaves the answer box) goes back to the list."""
    lesson = next(x for x in LESSONS if x.number == 4)
    app = RnnTuiApp(start=Start(lesson=lesson.id, step=1))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson.id == lesson.id
        assert app.screen.index == 1
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_the_app_opens_on_classify_with_a_name_or_on_the_lab():
    """--classify NAME types the name in; --lab opens the lab."""
    from rnn_tui.ui.screens.classify import ClassifyScreen
    from rnn_tui.ui.screens.lab import LabScreen

    app = RnnTuiApp(start=Start(classify="Kowalski"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ClassifyScreen) and app.screen.reading.used == "kowalski"
    app = RnnTuiApp(start=Start(lab=True))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LabScreen)


def run_in_terminal(*args: str, home) -> tuple[int, str]:
    """Run `rnn-tui ARGS` with a pseudo-terminal as stdin and stdout (launch needs one)."""
    leader, follower = pty.openpty()
    env = dict(os.environ, RNN_TUI_HOME=str(home), TERM="xterm")
    process = subprocess.Popen([sys.executable, "-m", "rnn_tui", *args], stdin=follower, stdout=follower,
                               stderr=subprocess.PIPE, env=env, text=True)
    os.close(follower)
    try:
        _, err = process.communicate(timeout=60)
    finally:
        os.close(leader)
    return process.returncode, err


def test_cli_refuses_a_missing_lesson_in_one_line(tmp_path):
    """`rnn-tui launch --lesson 99` in a terminal: exit 2, one line on stderr, no app."""
    code, err = run_in_terminal("launch", "--lesson", "99", home=tmp_path)
    assert code == 2
    assert err.startswith("rnn-tui launch: error: there is no lesson 99") and err.count("\n") == 1
