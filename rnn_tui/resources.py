"""Where the content rnn-tui uses lives: shipped data sets, the pretrained model, lessons, downloads.

In an installed wheel the shipped content sits inside the package
(rnn_tui/_content/, mapped there by pyproject.toml); in a source checkout it
is the top-level data/ and lessons/ folders.  Downloaded data sets live in
the user data folder (see progress.data_dir), under datasets/<name>/, and
appear only after `rnn-tui data get <name>`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
SHIPPED = ("cats", "names")


@dataclass(frozen=True)
class Remote:
    """A data set that `rnn-tui data get` can fetch."""

    url: str        # the official address
    members: str    # the folder inside the zip that holds <Language>.txt files
    about: str      # one line for --help and hints


DOWNLOADS = {
    "pytorch-names": Remote(
        url="https://download.pytorch.org/tutorial/data.zip", members="data/names/",
        about="the PyTorch tutorial's names, 18 languages (data.zip, about 3 MB)"),
}
# Tests point a download at a local server with RNN_TUI_DOWNLOAD_URL_<NAME> (name upper-cased,
# '-' as '_', e.g. RNN_TUI_DOWNLOAD_URL_PYTORCH_NAMES); nothing else reads it.
URL_OVERRIDE = "RNN_TUI_DOWNLOAD_URL_"


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


def downloads_dir() -> Path:
    """The folder that downloaded data sets go in (progress.HomeError if RNN_TUI_HOME cannot be a folder)."""
    from .progress import data_dir

    return data_dir() / "datasets"


def downloaded_data(name: str) -> Path:
    """Where a downloaded data set lives, whether or not it has been fetched yet."""
    return downloads_dir() / name
