"""The classify screen: the shown guess is the engine's, and no input can break it."""

import numpy as np
from textual.widgets import Input, Static

from rnn_tui.model import MAX_NAME, load
from rnn_tui.resources import pretrained_model
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.screens.classify import ClassifyScreen
from rnn_tui.ui.widgets.charts import HiddenTimeline
from rnn_tui.ui.widgets.heatmap import Heatmap

from .test_app import text_of

SIZE = (120, 40)


async def open_and_type(pilot, name: str) -> ClassifyScreen:
    await pilot.press("c")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ClassifyScreen) and isinstance(pilot.app.focused, Input)
    for ch in name:
        await pilot.press(ch)
    await pilot.pause()
    return screen


async def test_typed_name_shows_the_engines_top_language():
    """The first bar is the engine's own prediction, and every panel covers every character."""
    model = load(pretrained_model())
    expected = model.read("Papadopoulos").top(model.languages, 1)[0][0]
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_and_type(pilot, "Papadopoulos")
        bars = text_of(screen.query_one("#cls-bars"))
        assert bars.strip().splitlines()[0].startswith(expected)
        timeline = screen.query_one(HiddenTimeline)
        assert timeline.data.shape == (model.params["W"].shape[0], len("papadopoulos"))
        assert timeline.col_labels == list("papadopoulos")
        prefix = screen.query_one("#cls-prefix", Heatmap)
        np.testing.assert_allclose(prefix.data[0], screen.reading.trace.probs[:, model.languages.index(expected)])
        assert "pretrained names model" in text_of(screen.query_one("#cls-model"))


async def test_updates_on_every_keystroke():
    """Each key changes the reading; backspace too."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_and_type(pilot, "Ko")
        assert screen.reading.used == "ko"
        await pilot.press("w")
        assert screen.reading.used == "kow"
        await pilot.press("backspace")
        await pilot.pause()
        assert screen.reading.used == "ko"


async def test_unknown_characters_are_shown_with_what_happened():
    """Accents fold to ASCII, characters outside the alphabet are dropped; both are reported."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_and_type(pilot, "Müller9")
        notes = text_of(screen.query_one("#cls-notes", Static))
        assert "folded to ASCII: ü→u" in notes and "dropped" in notes and "'9'" in notes
        assert screen.reading.used == "muller"


async def test_empty_and_symbol_only_input_give_hints():
    """Nothing typed: a hint; only symbols: a note, no bars, no crash."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_and_type(pilot, "")
        assert "Type a family name" in text_of(screen.query_one("#cls-notes", Static))
        for ch in "1!?":
            await pilot.press(ch)
        await pilot.pause()
        assert "no letter this model knows" in text_of(screen.query_one("#cls-notes", Static))
        assert text_of(screen.query_one("#cls-bars")).strip() == ""


async def test_long_input_is_cut_with_a_notice():
    """More than 64 characters: only the first 64 are read, and the screen says so."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#cls-name", Input).value = "abcdefghij" * 10
        await pilot.pause()
        assert len(screen.reading.used) == MAX_NAME
        assert f"cut to the first {MAX_NAME} characters" in text_of(screen.query_one("#cls-notes", Static))


async def test_model_choice_and_bad_model_files(tmp_path):
    """A broken model file is refused with a notice and the current model stays."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_and_type(pilot, "Rossi")
        bad = tmp_path / "bad.npz"
        bad.write_bytes(b"PK\x03\x04 junk")
        box = screen.query_one("#cls-model-path", Input)
        box.value = str(bad)
        box.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert screen.model_label == "the pretrained names model"
        assert any("truncated or corrupted" in n.message for n in app._notifications)
        await pilot.press("ctrl+o")                  # no lab model yet: explained, nothing breaks
        await pilot.pause()
        assert any("No lab model yet" in n.message for n in app._notifications)
        await pilot.press("escape")
        assert not isinstance(app.screen, ClassifyScreen)


async def test_the_lab_model_is_offered_not_preferred(tmp_path):
    """A model saved in the lab does not replace the names model; ctrl+o switches, and the screen says which."""
    from rnn_tui.model import save

    names = load(pretrained_model())
    lab = save(tmp_path / "lab.npz", names.params, names.vocab, names.languages,
               {"data": {"source": "cats"}, "nhidden": names.params["W"].shape[0]})
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        app.lab_model = lab
        screen = await open_and_type(pilot, "Kowalski")
        box = text_of(screen.query_one("#cls-model"))
        assert screen.model_label == "the pretrained names model" and "ctrl+o: use the model you saved" in box
        assert "pretrained names model" in screen.sub_title
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert screen.model.path == lab and "trained on cats" in text_of(screen.query_one("#cls-model"))
        assert "from the lab" in screen.sub_title
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert screen.model_label == "the pretrained names model"


async def test_clearing_the_box_clears_every_panel_and_marks_are_explained():
    """Green letters come with a key naming the language they raised; an empty box empties the heatmaps."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_and_type(pilot, "Kowalski")
        top = screen.reading.top(screen.model.languages, 1)[0][0]
        assert f"green: raised {top} most" in text_of(screen.query_one("#cls-reading"))
        timeline, prefix = screen.query_one(HiddenTimeline), screen.query_one("#cls-prefix", Heatmap)
        assert timeline.empty_message is None and prefix.sequential
        screen.query_one("#cls-name", Input).value = ""
        await pilot.pause()
        assert timeline.empty_message and prefix.empty_message
        assert "▀" not in "".join(s.text for s in timeline._strips)


async def test_model_file_names_are_not_markup(tmp_path):
    """A model path full of markup is reported as typed."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_and_type(pilot, "Rossi")
        box = screen.query_one("#cls-model-path", Input)
        box.value = str(tmp_path / "[b]x[/b].npz")
        box.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert any("[b]x[/b].npz" in n.message and not n.markup for n in app._notifications)


async def test_a_paste_longer_than_the_box_is_cut_to_fit_and_says_so():
    """Input refuses the whole of a too-long paste with a bell most terminals mute; the name box keeps what
    fits, the reading says what the model read of it, and a notice counts what was left out."""
    from textual import events

    from rnn_tui.ui.screens.classify import NAME_BOX

    pasted = "Öztürk[/]😀" * 100
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_and_type(pilot, "")
        box = screen.query_one("#cls-name", Input)
        box.post_message(events.Paste(pasted))
        await pilot.pause()
        assert box.value == pasted[:NAME_BOX]
        left_out = len(pasted) - NAME_BOX
        assert any(f"{left_out} of the {len(pasted)} pasted" in n.message for n in app._notifications)
        assert screen.reading is not None and len(screen.reading.folded) <= MAX_NAME
        await pilot.press("a")                           # full: the key is refused, and the box says why
        await pilot.pause()
        assert box.value == pasted[:NAME_BOX]
        assert any(n.message == f"The name box holds {NAME_BOX} characters." for n in app._notifications)
        box.value = ""
        box.post_message(events.Paste("Nakamura\nSmith\n"))     # one line taken, once, and said
        await pilot.pause()
        assert box.value == "Nakamura"
        assert any("only the first line" in n.message for n in app._notifications)
