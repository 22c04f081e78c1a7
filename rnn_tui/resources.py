"""Where the content that ships with rnn-tui lives: data sets, the pretrained model, lessons.

In an installed wheel they sit inside the package (rnn_tui/_content/, mapped
there by pyproject.toml); in a source checkout they are the top-level data/
and lessons/ folders.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def content_root() -> Path:
    """The folder holding data/ and lessons/."""
    bundled = PACKAGE / "_content"
    return bundled if bundled.is_dir() else PACKAGE.parent


def shipped_data(name: str) -> Path:
    """A shipped data set folder, e.g. 'cats' or 'names'."""
    return content_root() / "data" / name


def pretrained_model() -> Path:
    """The model trained on data/names that classification uses by default."""
    return content_root() / "data" / "models" / "names.npz"
