"""Every app test gets its own empty progress folder and a 24-bit colour terminal."""

import pytest


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """Point RNN_TUI_HOME at a fresh folder for the test."""
    folder = tmp_path / "home"
    monkeypatch.setenv("RNN_TUI_HOME", str(folder))
    # the app reads the terminal's colours from the environment (the footer changes in 16 colours):
    # the same screens whatever TERM the test runs under (CI's, a developer's xterm)
    monkeypatch.setenv("COLORTERM", "truecolor")
    return folder
