"""Lessons as data: parse lessons/NN-slug/{lesson.toml, lesson.md}, check them, mark answers.

A lesson folder holds no Python.  `lesson.toml` gives the title, the
article part and section, and a list of steps; each step names the prose it
shows (a `## ` heading of lesson.md, by its slug), the step function it calls
(rnn_tui.steps.STEPS) with arguments, the visuals that draw fields of the
result, an optional text box whose value is passed to the call as one more
argument (so the user can type a word and watch it computed live), and an
optional question whose answer is a field of the result.  `check()` is the
content lint behind `rnn-tui check`: it runs every step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomllib

from . import steps
from .resources import content_root
from .steps.results import VISUAL_KINDS, Live, format_cell, live, plain_text

FORMAT_VERSION = 1
PARTS = {1: "Part 1 · An RNN built with matrices and trained with SGD",
         2: "Part 2 · Training an RNN with vectorized minibatch SGD",
         3: "Looking back, and beyond the article"}
QUESTION_KINDS = ("number", "vector", "choice")
MAX_VISIBLE_ANSWERS = 3        # questions whose answer may be on screen before they are answered
FOLDER = re.compile(r"^(\d{2})-[a-z0-9-]+$")


class LessonError(ValueError):
    """A lesson that cannot be read; one line naming the file."""


@dataclass(frozen=True)
class Show:
    """One visual drawing one field of a step's result; a hidden one waits for the question."""

    visual: str
    field: str
    title: str = ""
    hidden: bool = False          # drawn as "?" until the step's question is answered or revealed


@dataclass(frozen=True)
class TextBox:
    """A box whose text is passed to the step's call as `arg`, recomputed as the user types."""

    arg: str
    label: str
    default: str = ""


@dataclass(frozen=True)
class Question:
    """A question checked against a field of the step's result (computed with the default input)."""

    kind: str
    prompt: str
    answer: str
    hint: str
    explain: str = ""
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    """One screenful of a lesson."""

    prose: str
    call: str | None = None
    args: dict[str, Any] = field(default_factory=dict)
    show: tuple[Show, ...] = ()
    textbox: TextBox | None = None
    question: Question | None = None
    live: Live | None = None                 # a live training panel (lesson.toml's [steps.live] table)

    def arguments(self, typed: str | None = None) -> dict[str, Any]:
        """The call's arguments, with the text box's value (typed or default) added."""
        args = dict(self.args)
        if self.textbox is not None:
            args[self.textbox.arg] = self.textbox.default if typed is None else typed
        return args

    def compute(self, typed: str | None = None) -> dict[str, Any]:
        """Run the step's call; {} for a step that only shows prose."""
        return steps.run(self.call, self.arguments(typed)) if self.call else {}


@dataclass(frozen=True)
class Lesson:
    """A parsed lesson."""

    id: str
    number: int
    title: str
    part: int
    section: str
    summary: str
    steps: tuple[Step, ...]
    prose: dict[str, tuple[str, str]]       # slug -> (heading, markdown body)

    def markdown(self, step: Step) -> str:
        """The Markdown shown for a step: its heading and body."""
        heading, body = self.prose[step.prose]
        return f"## {heading}\n\n{body}"


def slug(heading: str) -> str:
    """'Why not 0, 1, 2?' -> 'why-not-0-1-2'."""
    return re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")


def _sections(text: str) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    current: str | None = None
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("## "):
            if current:
                out[slug(current)] = (current, "\n".join(lines).strip())
            current, lines = line[3:].strip(), []
        elif current is not None:
            lines.append(line)
    if current:
        out[slug(current)] = (current, "\n".join(lines).strip())
    return out


def _req(table: dict, key: str, kind: type, where: str) -> Any:
    if key not in table:
        raise LessonError(f"{where}: missing '{key}'")
    value = table[key]
    if not isinstance(value, kind):
        raise LessonError(f"{where}: '{key}' must be a {kind.__name__}")
    return value


def _step(raw: dict, where: str) -> Step:
    show = tuple(Show(_req(s, "visual", str, where), _req(s, "field", str, where), str(s.get("title", "")),
                      bool(s.get("hidden", False)))
                 for s in raw.get("show", []))
    box = raw.get("textbox")
    textbox = TextBox(_req(box, "arg", str, where), _req(box, "label", str, where),
                      str(box.get("default", ""))) if box else None
    q = raw.get("question")
    question = None
    if q:
        question = Question(kind=_req(q, "kind", str, where), prompt=_req(q, "prompt", str, where),
                            answer=_req(q, "answer", str, where), hint=_req(q, "hint", str, where),
                            explain=q.get("explain", ""), options=tuple(q.get("options", ())))
    preset = raw.get("live")
    if preset is not None and not isinstance(preset, dict):
        raise LessonError(f"{where}: 'live' must be a table of training settings ([steps.live])")
    return Step(prose=_req(raw, "prose", str, where), call=raw.get("call"), args=dict(raw.get("args", {})),
                show=show, textbox=textbox, question=question, live=live(preset) if preset is not None else None)


def load_lesson(folder: Path) -> Lesson:
    """Parse one lesson folder."""
    m = FOLDER.match(folder.name)
    if not m:
        raise LessonError(f"{folder}: lesson folders are named NN-slug, e.g. 01-words-need-vectors")
    toml_path, md_path = folder / "lesson.toml", folder / "lesson.md"
    try:
        meta = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        prose = _sections(md_path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise LessonError(f"{folder}: missing {Path(e.filename).name}") from None
    except tomllib.TOMLDecodeError as e:
        raise LessonError(f"{toml_path}: not valid TOML ({e})") from None
    except UnicodeDecodeError:
        raise LessonError(f"{folder}: lesson files must be UTF-8") from None
    where = str(toml_path)
    if meta.get("format_version") != FORMAT_VERSION:
        raise LessonError(f"{where}: format_version must be {FORMAT_VERSION}")
    raw_steps = _req(meta, "steps", list, where)
    lesson_steps = tuple(_step(s, f"{where}, step {i}") for i, s in enumerate(raw_steps, 1))
    return Lesson(id=folder.name, number=int(m.group(1)), title=_req(meta, "title", str, where),
                  part=_req(meta, "part", int, where), section=str(meta.get("section", "")),
                  summary=str(meta.get("summary", "")), steps=lesson_steps, prose=prose)


def load_all(root: Path | None = None) -> list[Lesson]:
    """Every lesson under root (default: the shipped lessons/), in number order."""
    root = root or content_root() / "lessons"
    if not root.is_dir():
        raise LessonError(f"{root}: no lessons folder")
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    return [load_lesson(f) for f in folders]


@dataclass(frozen=True)
class Visibility:
    """Whether one question's expected answer can be read off the panels shown before it is answered."""

    lesson: Lesson
    step: int                      # 0-based
    visible: bool

    def line(self) -> str:
        """One line of `rnn-tui check`'s report."""
        q = self.lesson.steps[self.step].question
        prompt = q.prompt if q else ""
        where = f"{self.lesson.number:02d}.{self.step + 1}"
        return f"{where:>6}  {'VISIBLE' if self.visible else 'hidden ':7}  {prompt[:90]}"


def check(lessons: list[Lesson], report: list[Visibility] | None = None) -> list[str]:
    """Every problem in the lessons, one line each; [] when all is well.

    When `report` is a list, one Visibility per question is appended to it.
    More than MAX_VISIBLE_ANSWERS questions with a visible answer is a problem.
    """
    problems: list[str] = []
    seen: list[Visibility] = [] if report is None else report
    numbers = [lesson.number for lesson in lessons]
    if len(set(numbers)) != len(numbers):
        problems.append("two lessons share a number")
    for lesson in lessons:
        if lesson.part not in PARTS:
            problems.append(f"{lesson.id}: part must be one of {sorted(PARTS)}")
        if not lesson.steps:
            problems.append(f"{lesson.id}: no steps")
        for i, st in enumerate(lesson.steps, 1):
            problems.extend(f"{lesson.id} step {i}: {p}" for p in _check_step(st, lesson, i - 1, seen))
    visible = [v for v in seen if v.visible]
    if len(visible) > MAX_VISIBLE_ANSWERS:
        where = ", ".join(f"{v.lesson.number:02d}.{v.step + 1}" for v in visible)
        problems.append(f"{len(visible)} questions show their answer before it is asked (at most "
                        f"{MAX_VISIBLE_ANSWERS}): {where}; hide the panels that give it away (hidden = true)")
    return problems


def _check_step(st: Step, lesson: Lesson, index: int, seen: list[Visibility]) -> list[str]:
    problems = []
    if any(s.hidden for s in st.show) and st.question is None:
        problems.append("hides a panel until the question is answered, but asks no question")
    if st.prose not in lesson.prose:
        problems.append(f"prose '{st.prose}' is not a '## ' heading of lesson.md")
    if st.live is not None:
        from .trainhost import preset

        try:
            preset.check(st.live.preset)
        except ValueError as e:
            problems.append(f"live: {e}")
    if st.call is None:
        if st.show or st.question or st.textbox:
            problems.append("shows, asks or takes input but calls nothing")
        return problems
    if st.call not in steps.STEPS:
        return problems + [f"calls unknown step function '{st.call}'"]
    try:
        result = st.compute()
    except Exception as e:  # a lint reports, it does not stop at the first failure
        return problems + [f"{st.call}({st.arguments()}) failed: {e}"]
    for s in st.show:
        if s.visual not in VISUAL_KINDS:
            problems.append(f"unknown visual '{s.visual}' (choose from {', '.join(VISUAL_KINDS)})")
            continue
        try:
            value = steps.resolve(result, s.field)
        except KeyError as e:
            problems.append(f"shows {e.args[0]}")
            continue
        wanted = VISUAL_KINDS[s.visual]
        if not isinstance(value, wanted):
            problems.append(f"field '{s.field}' is a {type(value).__name__}, but a {s.visual} visual draws "
                            f"a {wanted.__name__} (build it with steps.results.{s.visual}())")
    q = st.question
    if q is not None:
        if q.kind not in QUESTION_KINDS:
            problems.append(f"question kind '{q.kind}' is not one of {', '.join(QUESTION_KINDS)}")
        try:
            expected = steps.resolve(result, q.answer)
        except KeyError as e:
            return problems + [f"question answer: {e.args[0]}"]
        if q.kind == "number" and not _is_number(expected):
            problems.append(f"answer '{q.answer}' is {expected!r}, not a number")
        if q.kind == "vector" and not (isinstance(expected, (list, tuple)) and all(map(_is_number, expected))):
            problems.append(f"answer '{q.answer}' is {expected!r}, not a list of numbers")
        if q.kind == "choice" and not any(str(x) in q.options for x in choices(expected)):
            problems.append(f"answer '{q.answer}' is {expected!r}, which is not among the options {list(q.options)}")
        seen.append(Visibility(lesson, index, answer_on_screen(st, result)))
    return problems


def answer_on_screen(st: Step, result: dict[str, Any]) -> bool:
    """Whether the question's expected answer can be read off the panels shown before it is answered."""
    if st.question is None:
        return False
    expected = steps.resolve(result, st.question.answer)
    shown = []
    for s in st.show:
        if not s.hidden:
            try:
                shown.append(plain_text(steps.resolve(result, s.field)))
            except KeyError:
                continue
    return appears_in(expected, "\n".join(shown))


_TOKEN = re.compile(r"[+-]?(?:\d[\d,]*\.?\d*(?:e[+-]?\d+)?|\.\d+)", re.I)


def appears_in(expected: Any, text: str) -> bool:
    """Whether expected is written in text: a number (within marking tolerance), a run of numbers, or words."""
    if isinstance(expected, (list, tuple)) and expected and all(map(_is_number, expected)):
        numbers = _numbers_in(text)
        want = [float(x) for x in expected]
        return any(all(_close(a, b) for a, b in zip(numbers[i:i + len(want)], want))
                   for i in range(len(numbers) - len(want) + 1))
    if _is_number(expected):
        return any(_close(n, float(expected)) for n in _numbers_in(text))
    for written in {format_answer(expected), format_cell(expected)}:
        if written and re.search(rf"(?<![\w]){re.escape(written)}(?![\w])", text, re.I):
            return True
    return False


def _numbers_in(text: str) -> list[float]:
    out = []
    for token in _TOKEN.findall(text):
        try:
            out.append(float(token.replace(",", "")))
        except ValueError:
            continue
    return out


def _is_number(x: Any) -> bool:
    try:
        float(x)
    except (TypeError, ValueError):
        return False
    return not isinstance(x, (str, bool))


# ----------------------------------------------------------------------------
# marking an answer

@dataclass(frozen=True)
class Verdict:
    """The outcome of one try."""

    correct: bool
    message: str               # what went wrong with the typed text, if it could not be read


def mark(question: Question, expected: Any, typed: str) -> Verdict:
    """Compare a typed answer with the computed one."""
    typed = typed.strip()
    if not typed:
        return Verdict(False, "type an answer first")
    if question.kind == "choice":
        return Verdict(typed.lower() in {str(x).lower() for x in choices(expected)}, "")
    if question.kind == "number":
        try:
            value = float(typed)
        except ValueError:
            return Verdict(False, f"{typed!r} is not a number")
        return Verdict(_close(value, float(expected)), "")
    parts = [p for p in re.split(r"[\s,;\[\]()]+", typed) if p]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        return Verdict(False, "type numbers separated by spaces or commas, e.g. 1, 0, 5")
    if len(values) != len(expected):
        return Verdict(False, f"that is {len(values)} numbers; the answer has {len(expected)}")
    return Verdict(all(_close(a, float(b)) for a, b in zip(values, expected)), "")


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(1e-6, 1e-3 * abs(b))


def choices(expected: Any) -> list[Any]:
    """The right answers of a choice question: a step may give several (a list), or one."""
    return list(expected) if isinstance(expected, (list, tuple)) else [expected]


def format_answer(expected: Any) -> str:
    """An answer as the user would type it."""
    if isinstance(expected, (list, tuple)):
        return ", ".join(format_answer(x) for x in expected)
    if isinstance(expected, float) and expected.is_integer():
        return str(int(expected))
    return str(expected)
