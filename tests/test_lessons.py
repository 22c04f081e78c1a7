"""Lesson content: the shipped lessons pass the check, and broken lessons are caught."""

import subprocess
import sys

import pytest

from rnn_tui import lessons
from rnn_tui.lessons import LessonError, Question, mark


def test_shipped_lessons_pass_the_check():
    """Every shipped lesson parses, runs and has computable answers."""
    found = lessons.load_all()
    assert [x.number for x in found] == sorted(x.number for x in found) and len(found) >= 2
    assert lessons.check(found) == []


def test_rnn_tui_check_command():
    """`rnn-tui check` prints a summary and exits 0."""
    out = subprocess.run([sys.executable, "-m", "rnn_tui", "check"], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0 and "all good" in out.stdout


def make(root, name="01-demo", toml=None, md="## Intro\n\nHello.\n"):
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "lesson.toml").write_text(toml if toml is not None else
                                        'format_version = 1\ntitle = "Demo"\npart = 1\n[[steps]]\nprose = "intro"\n')
    if md is not None:
        (folder / "lesson.md").write_text(md)
    return folder


def test_a_minimal_lesson_loads(tmp_path):
    """Folder NN-slug, a TOML with one prose step and a Markdown heading."""
    make(tmp_path)
    (lesson,) = lessons.load_all(tmp_path)
    assert lesson.number == 1 and lesson.markdown(lesson.steps[0]).startswith("## Intro")
    assert lessons.check([lesson]) == []


@pytest.mark.parametrize("name,toml,md,message", [
    ("demo", None, "## Intro\n", "named NN-slug"),
    ("01-demo", "title = ", "## Intro\n", "not valid TOML"),
    ("01-demo", 'format_version = 1\ntitle = "x"\npart = 1\n', "## Intro\n", "missing 'steps'"),
    ("01-demo", 'format_version = 2\ntitle = "x"\npart = 1\nsteps = []\n', "## Intro\n", "format_version must be 1"),
    ("01-demo", None, None, "missing lesson.md"),
])
def test_unreadable_lessons_raise_one_line(tmp_path, name, toml, md, message):
    """Bad folder names, bad TOML, missing keys or files: LessonError naming the file."""
    make(tmp_path, name, toml, md)
    with pytest.raises(LessonError, match=message):
        lessons.load_all(tmp_path)


def test_check_finds_every_kind_of_content_error(tmp_path):
    """Unknown call, unknown visual, missing field, missing prose, impossible answer: all reported."""
    toml = '''format_version = 1
title = "Broken"
part = 1
[[steps]]
prose = "nowhere"
call = "no_such_function"
[[steps]]
prose = "intro"
call = "running_sum"
args = { word = "cat" }
show = [{ visual = "hologram", field = "steps" }, { visual = "table", field = "nothing" }]
[steps.question]
kind = "choice"
prompt = "?"
answer = "total"
hint = "h"
options = ["a", "b"]
[[steps]]
prose = "intro"
call = "running_sum"
args = { word = "dog" }
'''
    make(tmp_path, toml=toml)
    problems = lessons.check(lessons.load_all(tmp_path))
    joined = "\n".join(problems)
    for text in ("prose 'nowhere' is not a '## ' heading", "unknown step function 'no_such_function'",
                 "unknown visual 'hologram'", "shows no field 'nothing'", "not among the options",
                 "running_sum({'word': 'dog'}) failed: 'dog' is not in the vocabulary"):
        assert text in joined
    out = subprocess.run([sys.executable, "-m", "rnn_tui", "check", "--lessons", str(tmp_path)],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 1 and "problem(s)" in out.stderr


@pytest.mark.parametrize("kind,expected,typed,ok", [
    ("number", 17, "17", True), ("number", 17, " 17.0 ", True), ("number", 17, "14", False),
    ("vector", [4, 0, 5, 6, 2], "4 0 5 6 2", True), ("vector", [4, 0, 5, 6, 2], "[4, 0, 5, 6, 2]", True),
    ("vector", [4, 0, 5, 6, 2], "1 0 5 6 2", False), ("choice", "weighted", "Weighted", True),
    ("choice", "weighted", "sum", False),
])
def test_marking(kind, expected, typed, ok):
    """Numbers within tolerance, vectors in any common notation, choices ignoring case."""
    q = Question(kind=kind, prompt="?", answer="x", hint="h")
    assert mark(q, expected, typed).correct is ok


def test_unreadable_answers_explain_themselves():
    """Empty, non-numeric and wrong-length answers say what is wrong."""
    num = Question(kind="number", prompt="?", answer="x", hint="h")
    vec = Question(kind="vector", prompt="?", answer="x", hint="h")
    assert mark(num, 3, "").message == "type an answer first"
    assert "not a number" in mark(num, 3, "three").message
    assert "that is 2 numbers; the answer has 3" == mark(vec, [1, 2, 3], "1 2").message
