"""Widgets' CSS read before the first lesson opens (ui/css_preload.py)."""

from rnn_tui.ui import css_preload
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.screens.lesson import LessonScreen

from .test_app import SIZE, settle


async def test_opening_lessons_after_the_preload_adds_no_css():
    """After the preload the stylesheet holds every source the lesson screen's widgets bring: opening
    lessons with text boxes, questions, tables and matrices adds none (so nothing is parsed again)."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        css_preload.preload(app)
        assert not app.stylesheet._require_parse
        sources = set(app.stylesheet.source)
        for lesson, step in (("02-words-as-integers", 4), ("04-matrix-transforms", 1), ("03-one-hot-vectors", 3)):
            app.open_lesson(lesson, step)
            await settle(app, pilot)
            assert isinstance(app.screen, LessonScreen)
        assert set(app.stylesheet.source) - sources == set()


async def test_the_app_preloads_after_its_first_paint():
    """The app runs the preload by itself once the lesson list is on screen: the question box's CSS is
    there before any lesson opens, and a second preload finds nothing to add."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause(0.2)
        assert not isinstance(app.screen, LessonScreen)
        assert any(name == "QuestionBox.DEFAULT_CSS" for _, name in app.stylesheet.source)
        assert css_preload.preload(app) == 0


async def test_other_textual_internals_mean_no_preload(monkeypatch):
    """If Textual's method is not there (another version), nothing is added and nothing breaks."""
    class OtherDOMNode:
        """A DOMNode without the private method the preload reads."""

    monkeypatch.setattr(css_preload, "DOMNode", OtherDOMNode)
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        sources = dict(app.stylesheet.source)
        assert css_preload.preload(app) == 0
        assert dict(app.stylesheet.source) == sources
        app.open_lesson("02-words-as-integers", 4)        # Textual reads the CSS itself, as before
        await settle(app, pilot)
        assert isinstance(app.screen, LessonScreen)


async def test_a_lesson_that_trains_live_reads_the_panels_css_while_it_warms():
    """Lesson 5's warm-up imports the live panel off the event loop and reads its widgets' CSS; going on
    to the live step then adds no CSS."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lesson = app.lesson("05-training-a-classifier")
        live = next(i for i, st in enumerate(lesson.steps) if st.live is not None)
        app.open_lesson(lesson.id, live - 1)
        await settle(app, pilot)
        await pilot.pause(1.5)                          # the warm-up starts a second after the lesson opens
        await settle(app, pilot)
        sources = set(app.stylesheet.source)
        assert any("Heatmap" in name for _, name in sources)
        await app.screen.run_action("next_step")
        await settle(app, pilot)
        await pilot.pause(0.3)
        assert app.screen.query("#live")
        assert set(app.stylesheet.source) - sources == set()
