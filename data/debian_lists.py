"""Surname lists that ship inside Debian packages of other languages' fake-data libraries.

data/build_names.py reads three of them (see data/README.md for why these and
not the others): PHP Faker's Vietnamese list, faker-ruby's Brazilian
Portuguese list and ffaker's Korean list.  None of them is on PyPI, so the
build takes them from Debian's binary packages, at pinned versions whose
.deb files are checked byte for byte (sha256) before anything is read:

- the .deb is looked for in a cache folder (data/.debs by default, which git
  ignores), and fetched there with `apt-get download PACKAGE=VERSION` when
  it is missing; on a machine without apt, put the file there by hand (any
  Debian mirror or snapshot.debian.org has it under the same name);
- it is read in Python (an `ar` archive holding data.tar.xz), so neither
  dpkg nor PHP nor Ruby is needed, and nothing is installed;
- the list is parsed from its source text: a PHP array literal, a YAML file,
  or a text file with one name per line.
"""

from __future__ import annotations

import fnmatch
import hashlib
import io
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Package:
    """A Debian binary package at the version the shipped corpus was built from."""

    name: str
    version: str
    sha256: str

    @property
    def filename(self) -> str:
        """The file name Debian gives the package ('~' and ':' never occur in these versions)."""
        return f"{self.name}_{self.version}_all.deb"


# Debian 12 (bookworm) main; all three are under the Expat (MIT) licence (their debian/copyright)
PACKAGES = {
    "php-faker": Package("php-faker", "1.20.0+dfsg-1",
                         "25dc2058d5d33aae702c9a59aa0b13046d46536022c7774fa3042fd601dd7b6f"),
    "ruby-faker": Package("ruby-faker", "2.21.0-1",
                          "3fee41ce055f9c4d7b868c7988611f488967de21652392560a545ee5d7c13ce8"),
    "ruby-ffaker": Package("ruby-ffaker", "2.20.0-1",
                           "1e361f2a3f125a6bade8d5d33410a3ba4fde9b8873be68750b607fc743bb4a59"),
}

# where each package keeps a locale's family names (a pattern for the path inside data.tar,
# so that another version's gem folder matches too) and how to read them
MEMBERS = {
    "php-faker": "./usr/share/php/Faker/Provider/{locale}/Person.php",
    "ruby-faker": "./usr/share/rubygems-integration/all/gems/faker-*/lib/locales/{locale}.yml",
    "ruby-ffaker": "./usr/share/rubygems-integration/all/gems/ffaker-*/lib/ffaker/data/name_{locale}/last_names",
}

# a .deb is an `ar` archive; its members are at most a few MB here, so a larger one is refused
MAX_MEMBER = 64 * 1024 * 1024


class ListError(Exception):
    """A package could not be had or read; the message is one line for the user."""


def deb_path(package: Package, cache: Path, any_version: bool = False) -> Path:
    """The package's .deb in `cache`, downloaded with apt-get if missing, its sha256 checked.

    With any_version, whatever version apt-get offers is taken and not checked.
    """
    cache.mkdir(parents=True, exist_ok=True)
    ignore = cache / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
    if any_version:
        found = sorted(cache.glob(f"{package.name}_*.deb"))
        if not found:
            _apt_download(package.name, cache)
            found = sorted(cache.glob(f"{package.name}_*.deb"))
        if not found:
            raise ListError(f"apt-get gave no {package.name} .deb in {cache}")
        return found[-1]
    path = cache / package.filename
    if not path.exists():
        _apt_download(f"{package.name}={package.version}", cache)
    if not path.exists():
        raise ListError(f"apt-get gave no {package.filename} in {cache}")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != package.sha256:
        raise ListError(f"{path} has sha256 {digest}, not {package.sha256} (the file the shipped corpus "
                        "was built from); delete it or pass --any-version")
    return path


def _apt_download(spec: str, cache: Path) -> None:
    """`apt-get download SPEC` into cache, or a ListError saying how to get the file by hand."""
    where = f"put the .deb in {cache} by hand (any Debian mirror has it)"
    if shutil.which("apt-get") is None:
        raise ListError(f"apt-get is not available to fetch {spec}: {where}")
    done = subprocess.run(["apt-get", "download", spec], cwd=cache, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise ListError(f"apt-get download {spec} failed ({last}): run apt-get update, or {where}")


def ar_members(blob: bytes) -> dict[str, bytes]:
    """The members of an `ar` archive (the format of a .deb), by name."""
    if not blob.startswith(b"!<arch>\n"):
        raise ListError("not a Debian package (no ar header)")
    members: dict[str, bytes] = {}
    at = 8
    while at + 60 <= len(blob):
        header = blob[at:at + 60]
        name = header[:16].decode("ascii", "replace").strip().rstrip("/")
        try:
            size = int(header[48:58].decode("ascii").strip())
        except ValueError:
            raise ListError(f"a malformed ar member header at byte {at}") from None
        if size < 0 or size > MAX_MEMBER or at + 60 + size > len(blob):
            raise ListError(f"ar member {name!r} claims {size} bytes, more than the archive holds")
        members[name] = blob[at + 60:at + 60 + size]
        at += 60 + size + (size % 2)            # members are aligned to even offsets
    return members


def read_member(deb: Path, pattern: str) -> str:
    """The text of the one file in the package's data.tar.* whose path matches `pattern`."""
    members = ar_members(deb.read_bytes())
    data = next((v for k, v in members.items() if k.startswith("data.tar")), None)
    if data is None:
        raise ListError(f"{deb.name} holds no data.tar")
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        matches = [m for m in tar.getmembers() if m.isfile() and fnmatch.fnmatchcase(m.name, pattern)]
        if len(matches) != 1:
            raise ListError(f"{deb.name}: {len(matches)} files match {pattern}, expected one")
        if matches[0].size > MAX_MEMBER:
            raise ListError(f"{deb.name}: {matches[0].name} is {matches[0].size} bytes")
        stream = tar.extractfile(matches[0])
        assert stream is not None                # a regular file always has one
        return stream.read().decode("utf-8")


# one PHP string literal, single- or double-quoted, with backslash escapes
_PHP_STRING = r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\""
# space and comments between the elements
_PHP_GAP = r"(?:\s|//[^\n]*|\#[^\n]*|/\*.*?\*/)*"


def php_string(literal: str) -> str:
    """The value of a PHP string literal.  Double-quoted ones may escape only a backslash, a double
    quote and a dollar sign, and may not hold variables: a name list needs nothing else, and
    reading anything else would take PHP itself, so it is refused."""
    body = literal[1:-1]
    if literal[0] == "'":
        return re.sub(r"\\([\\'])", r"\1", body)
    if re.search(r"\\[^\\\"$]|(?<!\\)\$", re.sub(r"\\\\", "", body)):
        raise ListError(f"a PHP string with escapes or variables is not read: {literal[:40]!r}")
    return re.sub(r"\\([\\\"$])", r"\1", body)


def php_array(source: str, variable: str) -> list[str]:
    """The strings of `static $variable = [...]` (or array(...)) in PHP source: a flat list only."""
    start = re.search(rf"static\s+\${re.escape(variable)}\s*=\s*(\[|array\s*\()", source)
    if start is None:
        raise ListError(f"no static ${variable} array")
    close = re.escape("]" if start.group(1) == "[" else ")")
    token = re.compile(rf"{_PHP_GAP}(?:(?P<s>{_PHP_STRING}){_PHP_GAP}(?P<sep>,|{close})|(?P<end>{close}))", re.S)
    items: list[str] = []
    pos = start.end()
    while True:
        found = token.match(source, pos)
        if found is None:
            raise ListError(f"${variable} is not a flat list of strings near: {source[pos:pos + 40]!r}")
        if found.group("end"):
            return items
        items.append(php_string(found.group("s")))
        pos = found.end()
        if found.group("sep") != ",":
            return items


def yaml_list(source: str, path: tuple[str, ...]) -> list[str]:
    """The list of strings at `path` in a YAML document (faker-ruby's locale files)."""
    # the build-data extra's PyYAML, imported here so that the rest reads without it
    import yaml

    node = yaml.safe_load(source)
    for step in path:
        if not isinstance(node, dict) or step not in node:
            raise ListError(f"no {'.'.join(path)} in the YAML file")
        node = node[step]
    if not isinstance(node, list) or not all(isinstance(n, str) for n in node):
        raise ListError(f"{'.'.join(path)} is not a list of strings")
    return list(node)


def surnames(package: str, locale: str, cache: Path, any_version: bool = False) -> list[str]:
    """A locale's family-name list from one of PACKAGES, as its source writes them."""
    deb = deb_path(PACKAGES[package], cache, any_version)
    text = read_member(deb, MEMBERS[package].format(locale=locale))
    if package == "php-faker":
        return php_array(text, "lastName")
    if package == "ruby-faker":
        return yaml_list(text, (locale, "faker", "name", "last_name"))
    return [line.strip() for line in text.splitlines() if line.strip()]
