"""Every app test gets its own empty progress folder."""

import pytest


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """Point RNN_TUI_HOME at a fresh folder for the test."""
    folder = tmp_path / "home"
    monkeypatch.setenv("RNN_TUI_HOME", str(folder))
    return folder
