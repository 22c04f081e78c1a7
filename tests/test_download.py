"""`rnn-tui data get pytorch-names` against a local HTTP server that serves zips the tests build.

Nothing here reaches the network: the server listens on 127.0.0.1 and the
download address is pointed at it with RNN_TUI_DOWNLOAD_URL_PYTORCH_NAMES.
Every refusal must leave the datasets folder empty: no archive, no partial
folder, no half-installed data set.
"""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from rnn_tui import data, download
from rnn_tui.download import DownloadError

ENV_URL = "RNN_TUI_DOWNLOAD_URL_PYTORCH_NAMES"
NAMES = {"English": "Smith\nJones\nTaylor\n", "French": "Dubois\nMartin\n", "Klingon": "Worf\nKahless\nGowron\n"}


def build_zip(members: dict[str, bytes | str], links: tuple[str, ...] = ()) -> bytes:
    """A zip holding these members (str content is UTF-8), plus symlink entries pointing at /etc/passwd."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return buf.getvalue()


def tutorial_zip(**extra: bytes | str) -> bytes:
    """The shape of the real data.zip: data/eng-fra.txt beside data/names/<Language>.txt."""
    members: dict[str, bytes | str] = {"data/eng-fra.txt": "Go.\tVa !\n"}
    members.update({f"data/names/{lang}.txt": text for lang, text in NAMES.items()})
    members.update(extra)
    return build_zip(members)


ROUTES: dict[str, tuple[bytes, int | None]] = {}     # path -> (body, Content-Length sent, or None for len(body))


class Handler(BaseHTTPRequestHandler):
    """Serves ROUTES; a declared length above the body's imitates a connection cut mid-download."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if self.path not in ROUTES:
            self.send_error(404, "Not Found")
            return
        body, length = ROUTES[self.path]
        self.send_response(200)
        self.send_header("Content-Type", "application/zip")
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        self.close_connection = True

    def log_message(self, *args) -> None:
        """Quiet."""


@pytest.fixture(scope="module")
def server():
    """A server on a free port of 127.0.0.1; yields its base address."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh user data folder."""
    folder = tmp_path / "home"
    monkeypatch.setenv("RNN_TUI_HOME", str(folder))
    return folder


def serve(server: str, monkeypatch, path: str, body: bytes, length: int | None = None) -> str:
    ROUTES[path] = (body, length)
    monkeypatch.setenv(ENV_URL, server + path)
    return server + path


def test_fetch_installs_checks_and_reports_progress(server, home, monkeypatch):
    """A good archive: the names files land in datasets/pytorch-names, progress reaches the total."""
    body = tutorial_zip()
    serve(server, monkeypatch, "/data.zip", body)
    seen: list[tuple[int, int | None]] = []
    got = download.fetch("pytorch-names", lambda done, total: seen.append((done, total)))
    target = home / "datasets" / "pytorch-names"
    assert got.path == target and got.languages == 3 and got.names == 8 and not got.already
    assert sorted(p.name for p in target.iterdir()) == [".source.json", "English.txt", "French.txt", "Klingon.txt"]
    assert seen[-1] == (len(body), len(body)) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert sorted(p.name for p in (home / "datasets").iterdir()) == ["pytorch-names"]
    corpus = data.load("pytorch-names")
    assert corpus.counts() == {"English": 3, "French": 2, "Klingon": 3}
    again = download.fetch("pytorch-names")
    assert again.already
    ROUTES["/data.zip"] = (tutorial_zip(**{"data/names/German.txt": "Schmidt\n"}), None)
    assert download.fetch("pytorch-names", force=True).languages == 4
    assert sorted(p.name for p in (home / "datasets").iterdir()) == ["pytorch-names"]


def test_missing_download_gives_a_one_line_hint(home):
    """--data pytorch-names before `data get`: the command to run, nothing downloaded."""
    with pytest.raises(data.DataError, match=r"pytorch-names is not downloaded yet; run 'rnn-tui data get "
                       r"pytorch-names'"):
        data.load("pytorch-names")
    assert not (home / "datasets").exists()


def test_a_home_that_cannot_exist_is_one_line(monkeypatch):
    """RNN_TUI_HOME='~nosuchuser/x': data get and --data pytorch-names each say so in one line."""
    monkeypatch.setenv("RNN_TUI_HOME", "~nosuchuser_rnn_tui/x")
    with pytest.raises(DownloadError, match="cannot find the user data folder"):
        download.fetch("pytorch-names")
    with pytest.raises(data.DataError, match="cannot find the user data folder"):
        data.load("pytorch-names")


BAD = {
    "not a zip": (b"<html>502 Bad Gateway</html>", "not a zip archive"),
    "climbs out": (tutorial_zip(**{"data/names/../../../evil.txt": "x\n"}), "unsafe path"),
    "absolute": (tutorial_zip(**{"/tmp/evil.txt": "x\n"}), "unsafe path"),
    "backslash": (tutorial_zip(**{"data\\names\\..\\..\\evil.txt": "x\n"}), "unsafe path"),
    "unexpected top folder": (tutorial_zip(**{"other/readme.txt": "x\n"}), "unexpected entry"),
    "symlink": (build_zip({f"data/names/{k}.txt": v for k, v in NAMES.items()}, links=("data/names/Link.txt",)),
                "link or special file"),
    "no names": (build_zip({"data/eng-fra.txt": "Go.\tVa !\n"}), "holds no data/names/<Language>.txt files"),
    "names that do not load": (build_zip({"data/names/A.txt": b"\xff\xfe", "data/names/B.txt": "x\n"}),
                               "the archive's names do not load"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_archives_are_refused_and_leave_nothing(server, home, monkeypatch, case):
    """A non-zip, paths that escape or surprise, links, no names, bad names: one line, nothing left."""
    body, message = BAD[case]
    serve(server, monkeypatch, f"/{case.replace(' ', '-')}.zip", body)
    with pytest.raises(DownloadError, match=message) as e:
        download.fetch("pytorch-names")
    assert "\n" not in str(e.value)
    assert list((home / "datasets").iterdir()) == []
    assert not (home.parent / "evil.txt").exists() and not os.path.exists("/tmp/evil.txt")


def test_truncated_download_is_refused(server, home, monkeypatch):
    """The server promises more bytes than it sends: 'cut short', nothing kept."""
    body = tutorial_zip()
    serve(server, monkeypatch, "/short.zip", body[: len(body) // 2], length=len(body))
    with pytest.raises(DownloadError, match="cut short|cannot download"):
        download.fetch("pytorch-names")
    assert list((home / "datasets").iterdir()) == []


def test_sizes_are_bounded(server, home, monkeypatch):
    """An archive over the download bound, and names files over the extraction bound, are refused."""
    body = tutorial_zip(**{"data/names/Big.txt": "Abcdef\n" * 20_000})
    serve(server, monkeypatch, "/big.zip", body)
    monkeypatch.setattr(download, "MAX_EXTRACTED", 50_000)
    with pytest.raises(DownloadError, match=r"names files would take more than 48.8 KiB"):
        download.fetch("pytorch-names")
    monkeypatch.setattr(download, "MAX_DOWNLOAD", len(body) - 1)
    with pytest.raises(DownloadError, match="is more than this data set can be"):
        download.fetch("pytorch-names")
    assert list((home / "datasets").iterdir()) == []


def test_http_error_and_refused_scheme(server, home, monkeypatch):
    """A 404 and a file:// address: one line each."""
    monkeypatch.setenv(ENV_URL, server + "/nothing-here.zip")
    with pytest.raises(DownloadError, match="answered 404"):
        download.fetch("pytorch-names")
    monkeypatch.setenv(ENV_URL, "file:///etc/passwd")
    with pytest.raises(DownloadError, match="only http and https"):
        download.fetch("pytorch-names")


def test_leftovers_of_a_killed_run_are_removed(server, home, monkeypatch):
    """A partial folder and archive older than a day (a SIGKILLed run) go on the next fetch; fresh ones stay."""
    base = home / "datasets"
    old_dir, old_zip = base / ".pytorch-names.x.partial", base / ".pytorch-names.y.zip.part"
    fresh = base / ".pytorch-names.z.partial"
    for d in (old_dir, fresh):
        d.mkdir(parents=True)
    old_zip.write_bytes(b"half")
    for p in (old_dir, old_zip):
        os.utime(p, (1, 1))
    serve(server, monkeypatch, "/data.zip", tutorial_zip())
    download.fetch("pytorch-names")
    assert not old_dir.exists() and not old_zip.exists() and fresh.exists()


# ----------------------------------------------------------------------------
# the command line, as a user runs it

def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rnn_tui", *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "COLUMNS": "160", "NO_COLOR": "1", **env})


def test_cli_get_then_use_everywhere(server, tmp_path):
    """data get, then --data pytorch-names in data stats, train and evaluate; no traceback anywhere."""
    ROUTES["/cli.zip"] = (tutorial_zip(), None)
    env = {"RNN_TUI_HOME": str(tmp_path / "home"), ENV_URL: server + "/cli.zip"}
    missing = cli("data", "stats", "pytorch-names", env=env)
    assert missing.returncode == 2 and "rnn-tui data get pytorch-names" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1
    got = cli("data", "get", "pytorch-names", env=env)
    assert got.returncode == 0, got.stderr
    assert "saved 8 names in 3 languages" in got.stdout and "--data pytorch-names" in got.stdout
    assert "already" in cli("data", "get", "pytorch-names", env=env).stdout
    stats = cli("data", "stats", "pytorch-names", env=env)
    assert stats.returncode == 0 and "Klingon" in stats.stdout and "folder of 3 <Language>.txt" in stats.stdout
    model = tmp_path / "m.npz"
    train = cli("train", "--data", "pytorch-names", "--epochs", "2", "--hidden", "4", "--out", str(model), env=env)
    assert train.returncode == 0, train.stderr
    ev = cli("evaluate", "--data", "pytorch-names", "--model", str(model), env=env)
    assert ev.returncode == 0 and "accuracy" in ev.stdout and "note" not in ev.stderr
    ROUTES["/cli.zip"] = (b"not a zip", None)
    bad = cli("data", "get", "pytorch-names", "--force", env=env)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    assert cli("data", "stats", "pytorch-names", env=env).returncode == 0     # the old copy is intact
