"""`rnn-tui data get`: fetch a names data set, check it, and install it whole or not at all.

The only code that touches the network, and it runs only when asked.  The
archive goes to a temporary file beside the destination; its member list is
checked before anything is extracted (no absolute paths, no `..`, no links,
nothing outside the expected folders, bounded sizes and counts); the names
files are extracted into a temporary folder, loaded as a data set to prove
they are usable, and only then renamed into place.  Any failure, Ctrl+C
included, removes what was written; a folder left by a killed process is
removed on the next run.  Headless: progress goes to a callback.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .reading import DataError, shown, size_text
from .resources import DOWNLOADS, URL_OVERRIDE, downloads_dir

MAX_DOWNLOAD = 64 << 20         # bytes of archive; data.zip is about 3 MB
MAX_EXTRACTED = 32 << 20        # bytes of names files taken out of it; data/names is under 1 MB
MAX_MEMBERS = 2000              # entries in the archive
TIMEOUT = 30                    # seconds without data before giving up
STALE = 24 * 3600               # a partial download older than this is a leftover


class DownloadError(DataError):
    """A download that failed or was refused; the message is one line."""


@dataclass(frozen=True)
class Fetched:
    """What `fetch` installed (or found already there)."""

    path: Path
    names: int = 0
    languages: int = 0
    already: bool = False


Report = Callable[[int, "int | None"], None]      # (bytes so far, total bytes or None)


def url_of(name: str) -> str:
    """The address to fetch: the official one, unless a test set RNN_TUI_DOWNLOAD_URL_<NAME>."""
    override = os.environ.get(URL_OVERRIDE + name.upper().replace("-", "_"))
    return override or DOWNLOADS[name].url


def fetch(name: str, report: Report | None = None, force: bool = False) -> Fetched:
    """Download, check and install data set `name`; DownloadError with one line if anything is wrong."""
    from . import data
    from .progress import HomeError

    try:
        base = downloads_dir()
    except HomeError as e:                  # RNN_TUI_HOME='~nosuchuser/...'
        raise DownloadError(f"cannot find the user data folder ({shown(e)})") from None
    target = base / name
    if target.is_dir() and not force:
        return Fetched(target, already=True)
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DownloadError(f"{shown(base)}: cannot create the folder ({e.strerror})") from None
    _remove_leftovers(base, name)
    archive = Path(tempfile.mkstemp(prefix=f".{name}.", suffix=".zip.part", dir=base)[1])
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".partial", dir=base))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)          # mkdtemp's 0700 would become the installed folder's mode
    try:
        url = url_of(name)
        digest, size = _download(url, archive, report or (lambda done, total: None))
        _extract(archive, DOWNLOADS[name].members, staging)
        try:
            corpus = data.load(staging)
        except DataError as e:
            raise DownloadError(f"the archive's names do not load: {e}") from None
        when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        (staging / ".source.json").write_text(json.dumps(
            {"url": url, "sha256": digest, "bytes": size, "fetched": when}, indent=1))
        _install(staging, target)
        return Fetched(target, len(corpus.names), len(corpus.classes))
    except OSError as e:                     # a full disk, a read-only folder
        raise DownloadError(f"cannot write in {shown(base)} ({e.strerror or e})") from None
    finally:
        archive.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)


def _remove_leftovers(base: Path, name: str) -> None:
    """Delete our own partial files and folders that a killed run left behind."""
    now = time.time()
    for p in base.glob(f".{name}.*"):
        try:
            if now - p.lstat().st_mtime <= STALE:
                continue
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
            else:
                p.unlink()
        except OSError:
            pass


def _download(url: str, archive: Path, report: Report) -> tuple[str, int]:
    """Stream url into archive, bounded by MAX_DOWNLOAD; (sha256, bytes)."""
    import urllib.error
    import urllib.request

    if not url.lower().startswith(("https://", "http://")):
        raise DownloadError(f"{shown(url)}: only http and https addresses can be downloaded")
    digest, done = hashlib.sha256(), 0
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response, archive.open("wb") as out:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            if total is not None and total > MAX_DOWNLOAD:
                raise DownloadError(f"{shown(url)}: {size_text(total)} is more than this data set "
                                    f"can be ({size_text(MAX_DOWNLOAD)}); refusing it")
            report(0, total)
            while block := response.read(1 << 16):
                done += len(block)
                if done > MAX_DOWNLOAD:
                    raise DownloadError(f"{shown(url)}: more than {size_text(MAX_DOWNLOAD)}; refusing it")
                out.write(block)
                digest.update(block)
                report(done, total)
            if total is not None and done != total:
                raise DownloadError(f"{shown(url)}: the download was cut short ({done:,} of {total:,} bytes); "
                                    "try again")
    except urllib.error.HTTPError as e:
        raise DownloadError(f"{shown(url)}: the server answered {e.code} {shown(e.reason)}") from None
    except urllib.error.URLError as e:
        raise DownloadError(f"cannot download {shown(url)}: {shown(e.reason)}") from None
    except (OSError, ValueError) as e:      # timeouts, resets, IncompleteRead, a bad address
        raise DownloadError(f"cannot download {shown(url)}: {shown(e) or type(e).__name__}") from None
    return digest.hexdigest(), done


def _extract(archive: Path, members: str, staging: Path) -> None:
    """Check every entry of the zip, then copy the <Language>.txt files under `members` into staging."""
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise DownloadError(f"the archive has {len(infos):,} entries; refusing it")
            wanted = [info for info in infos if _check_entry(info, members)]
            leaves = [PurePosixPath(info.filename).name.lower() for info in wanted]
            if len(set(leaves)) != len(leaves):
                raise DownloadError("the archive lists a names file twice; refusing it")
            if len(wanted) < 2:
                raise DownloadError(f"the archive holds no {members}<Language>.txt files "
                                    f"({len(wanted)} found); it is not the expected data set")
            if sum(info.file_size for info in wanted) > MAX_EXTRACTED:
                raise DownloadError(f"the names files would take more than {size_text(MAX_EXTRACTED)}; refusing them")
            budget = MAX_EXTRACTED
            for info in wanted:
                budget = _copy(zf, info, staging / PurePosixPath(info.filename).name, budget)
    except zipfile.BadZipFile:
        raise DownloadError("the download is not a zip archive (or is damaged); try again") from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, RuntimeError) as e:
        raise DownloadError(f"cannot read the archive ({shown(e) or type(e).__name__})") from None


def _check_entry(info: zipfile.ZipInfo, members: str) -> bool:
    """Refuse an entry that could escape or is not plain data; True if it is a names file to extract."""
    name = info.filename
    path = PurePosixPath(name)
    if (name.startswith("/") or "\\" in name or ":" in name or ".." in path.parts
            or any(ord(c) < 32 for c in name)):
        raise DownloadError(f"the archive has an entry with an unsafe path ({shown(name)[:80]}); refusing it")
    kind = stat.S_IFMT(info.external_attr >> 16)       # 0 when the archiver recorded no Unix type
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise DownloadError(f"the archive has a link or special file ({shown(name)[:80]}); refusing it")
    if info.flag_bits & 0x1:
        raise DownloadError(f"the archive has an encrypted entry ({shown(name)[:80]}); refusing it")
    top = members.split("/", 1)[0] + "/"
    if not (name.startswith(top) or name.startswith("__MACOSX/")):
        raise DownloadError(f"the archive has an unexpected entry ({shown(name)[:80]}); "
                            f"everything should be under {top}")
    parent, leaf = str(path.parent) + "/", path.name
    return (parent == members and not info.is_dir() and leaf.lower().endswith(".txt")
            and not leaf.startswith(".") and not name.startswith("__MACOSX/"))


def _copy(zf: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, budget: int) -> int:
    """Extract one member, stopping at the byte budget whatever its header claims; the budget left."""
    with zf.open(info) as src, dest.open("xb") as out:
        while block := src.read(1 << 16):
            budget -= len(block)
            if budget < 0:
                raise DownloadError(f"the names files hold more than {size_text(MAX_EXTRACTED)}; refusing them")
            out.write(block)
    return budget


def _install(staging: Path, target: Path) -> None:
    """Put staging at target in one rename; an old copy is moved aside first and removed after."""
    old = None
    if target.exists() or target.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
        os.replace(target, old / "was")
    try:
        os.replace(staging, target)
    except OSError:
        if old is not None:
            os.replace(old / "was", target)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
