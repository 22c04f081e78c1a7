"""The engine and the data layer never import the UI toolkits, and start without torch."""

import subprocess
import sys

import pytest

HEADLESS = ["rnn_tui.engine", "rnn_tui.engine.train", "rnn_tui.engine.batched",
            "rnn_tui.engine.rnn", "rnn_tui.engine.vocab", "rnn_tui.engine.optim",
            "rnn_tui.engine.metrics", "rnn_tui.engine.cells", "rnn_tui.engine.gru", "rnn_tui.engine.lstm",
            "rnn_tui.engine.backend", "rnn_tui.engine.config", "rnn_tui.engine.control",
            "rnn_tui.engine.dataset", "rnn_tui.engine.devices", "rnn_tui.engine.speedups",
            "rnn_tui.archive", "rnn_tui.data", "rnn_tui.model",
            "rnn_tui.trainhost", "rnn_tui.trainhost.host", "rnn_tui.trainhost.child"]


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_module_imports_no_ui_and_no_torch(module):
    """Importing the module in a fresh interpreter loads neither textual, rich nor torch."""
    code = (f"import sys, {module}\n"
            "bad = sorted(m for m in ('textual', 'rich', 'torch') if m in sys.modules)\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_no_engine_source_mentions_the_ui_toolkits():
    """No import line in rnn_tui/engine names textual or rich (the static check behind the runtime one)."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[1] / "rnn_tui" / "engine"
    pattern = re.compile(r"^\s*(from|import)\s+(textual|rich)\b", re.M)
    offenders = [p.name for p in root.glob("*.py") if pattern.search(p.read_text())]
    assert offenders == []


@pytest.mark.parametrize("module", ["rnn_tui.cli", "rnn_tui.ui.app", "rnn_tui.lessons", "rnn_tui.steps"])
def test_the_app_starts_without_torch(module):
    """Opening the app (and the command line) never imports torch: the first screen must be fast."""
    code = f"import sys, {module}\nprint('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("module", ["rnn_tui.lessons", "rnn_tui.steps", "rnn_tui.progress"])
def test_lesson_content_layer_imports_no_ui(module):
    """Lessons, steps and progress are headless: no textual or rich."""
    code = f"import sys, {module}\nprint(','.join(m for m in ('textual', 'rich') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
