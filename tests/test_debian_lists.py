"""data/debian_lists.py: the surname lists that `build_names.py --wider` takes from Debian packages.

The readers (ar archive, data.tar, PHP array literal, YAML) are tested on small
packages and sources made here; the tests that read the pinned .deb files
themselves are skipped unless those files are in data/.debs (the build puts
them there) and the build-data extra is installed.
"""

from __future__ import annotations

import hashlib
import io
import lzma
import tarfile
from pathlib import Path

import data_scripts
import pytest
from hypothesis import given
from hypothesis import strategies as st

debian = data_scripts.load("debian_lists")
build = data_scripts.load("build_names")


def ar_archive(members: dict[str, bytes]) -> bytes:
    """An `ar` archive as dpkg writes one: 60-byte headers, members padded to even offsets."""
    out = bytearray(b"!<arch>\n")
    for name, body in members.items():
        out += f"{name:<16}{0:<12}{0:<6}{0:<6}{'100644':<8}{len(body):<10}`\n".encode("ascii")
        out += body + (b"\n" if len(body) % 2 else b"")
    return bytes(out)


def deb(files: dict[str, str]) -> bytes:
    """A .deb whose data.tar.xz holds `files` (path -> UTF-8 text)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        for path, text in files.items():
            body = text.encode("utf-8")
            info = tarfile.TarInfo(path)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    return ar_archive({"debian-binary": b"2.0\n", "control.tar.xz": lzma.compress(b""),
                       "data.tar.xz": lzma.compress(raw.getvalue())})


def test_ar_members_are_read_with_their_padding():
    blob = ar_archive({"odd": b"abc", "even": b"abcd", "last": b"z"})
    assert debian.ar_members(blob) == {"odd": b"abc", "even": b"abcd", "last": b"z"}


@pytest.mark.parametrize("blob,message", [
    (b"PK\x03\x04 a zip file", "no ar header"),
    (ar_archive({"x": b"abc"}).replace(b"3         `", b"99999     `"), "more than the archive holds"),
    (ar_archive({"x": b"abc"}).replace(b"3         `", b"three     `"), "malformed ar member header"),
])
def test_a_broken_package_is_refused_in_one_line(blob, message):
    with pytest.raises(debian.ListError, match=message):
        debian.ar_members(blob)


def test_one_file_is_read_from_the_packages_data(tmp_path):
    path = tmp_path / "x.deb"
    path.write_bytes(deb({"./usr/share/gems/faker-9.9/lib/locales/vi.yml": "vi: {}\n", "./usr/other": "x"}))
    assert debian.read_member(path, "./usr/share/gems/faker-*/lib/locales/vi.yml") == "vi: {}\n"
    with pytest.raises(debian.ListError, match="0 files match"):
        debian.read_member(path, "./usr/share/gems/faker-*/lib/locales/pt.yml")


def test_a_php_array_of_strings_is_read_as_php_reads_it():
    source = """<?php
    class Person {
        protected static $firstName = ['Not', 'This'];
        protected static $lastName = [
            'Nguyễn', 'O\\'Brien', "Back\\\\slash", // a comment is not a name
            "Dollar\\$", 'Trần',
        ];
        protected static $suffix = array('Jr.', 'Sr.');
    }"""
    assert debian.php_array(source, "lastName") == ["Nguyễn", "O'Brien", "Back\\slash", "Dollar$", "Trần"]


@pytest.mark.parametrize("literal", [r'"a\nb"', r'"$name"', r'"{$name}"', r'"\x41"', r'"\\$name"'])
def test_a_php_string_that_php_would_interpret_is_refused(literal):
    """Escapes other than backslash, quote and dollar, and variables, would need PHP itself to read."""
    with pytest.raises(debian.ListError, match="escapes or variables"):
        debian.php_array(f"static $lastName = [{literal}];", "lastName")


def test_a_php_array_that_is_not_a_flat_list_of_strings_is_refused():
    with pytest.raises(debian.ListError, match="not a flat list"):
        debian.php_array("static $lastName = ['Smith' => 10, 'Jones' => 5];", "lastName")
    with pytest.raises(debian.ListError, match="no static \\$lastName"):
        debian.php_array("static $firstName = ['Ann'];", "lastName")
    assert debian.php_array("static $suffix = array('Jr.', 'Sr.');", "suffix") == ["Jr.", "Sr."]


PHP_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@given(st.lists(PHP_TEXT, max_size=8), st.booleans(), st.booleans())
def test_any_list_of_strings_written_as_php_reads_back(names, double, trailing_comma):
    """Whatever the strings hold (quotes, backslashes, brackets, newlines), the parser gives them back."""
    if double:
        literals = ['"' + n.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"' for n in names]
    else:
        literals = ["'" + n.replace("\\", "\\\\").replace("'", "\\'") + "'" for n in names]
    body = ",\n  ".join(literals) + ("," if trailing_comma and names else "")
    assert debian.php_array(f"protected static $lastName = [\n  {body}\n];", "lastName") == names


def test_a_yaml_list_is_found_by_its_path():
    pytest.importorskip("yaml")
    source = "pt-BR:\n  faker:\n    name:\n      last_name: [Araújo, \"da Silva\"]\n"
    assert debian.yaml_list(source, ("pt-BR", "faker", "name", "last_name")) == ["Araújo", "da Silva"]
    with pytest.raises(debian.ListError, match="no pt-BR.faker.name.surname"):
        debian.yaml_list(source, ("pt-BR", "faker", "name", "surname"))
    with pytest.raises(debian.ListError, match="not a list of strings"):
        debian.yaml_list("a: {b: [1, 2]}\n", ("a", "b"))


def test_a_cached_package_with_other_bytes_is_refused(tmp_path):
    """A file under the pinned name whose sha256 differs is not read (unless any version will do)."""
    package = debian.PACKAGES["php-faker"]
    (tmp_path / package.filename).write_bytes(deb({"./x": "y"}))
    with pytest.raises(debian.ListError, match="has sha256 .* not " + package.sha256):
        debian.deb_path(package, tmp_path)
    assert debian.deb_path(package, tmp_path, any_version=True) == tmp_path / package.filename
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "*\n"


def test_the_pinned_bytes_are_accepted(tmp_path):
    """deb_path accepts exactly the file whose sha256 PACKAGES records."""
    blob = deb({"./x": "y"})
    package = debian.Package("made-up", "1.0-1", hashlib.sha256(blob).hexdigest())
    (tmp_path / package.filename).write_bytes(blob)
    assert debian.deb_path(package, tmp_path) == tmp_path / package.filename


def test_without_apt_the_message_says_where_to_put_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(debian.shutil, "which", lambda _: None)
    with pytest.raises(debian.ListError, match=f"put the .deb in {tmp_path} by hand"):
        debian.deb_path(debian.PACKAGES["ruby-faker"], tmp_path)


def test_the_build_refuses_a_bad_package_in_one_line(tmp_path, capsys):
    """build_names.py --wider exits 2 with the reason, and writes nothing, when a Debian list cannot be read."""
    pytest.importorskip("faker")
    pytest.importorskip("mimesis")
    for package in debian.PACKAGES.values():
        (tmp_path / package.filename).write_bytes(b"not a package")
    out = tmp_path / "names"
    assert build.main(["--any-version", "--wider", "--debs", str(tmp_path), str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("build_names.py: ") and err.count("\n") == 1 and "no ar header" in err
    assert not out.exists()


def test_the_build_command_line_is_checked(capsys):
    assert build.main(["--debs"]) == 2
    assert build.main(["one", "two"]) == 2
    assert build.main(["--frobnicate"]) == 2
    assert "usage: build_names.py" in capsys.readouterr().err


CACHED = Path(build.DEBS)


def pinned_lists_available() -> bool:
    return all((CACHED / p.filename).exists() for p in debian.PACKAGES.values())


@pytest.mark.skipif(not pinned_lists_available(), reason="the pinned .deb files are not in data/.debs")
@pytest.mark.parametrize("package,locale,expected", [
    ("php-faker", "vi_VN", {"Nguyễn", "Trần", "Lê", "Phạm"}),
    ("ruby-faker", "pt-BR", {"Silva", "Oliveira", "da Conceição"}),
    ("ruby-ffaker", "kr", {"김", "이", "박", "남궁"}),
])
def test_the_pinned_packages_give_their_lists(package, locale, expected):
    """The lists as the build reads them: over 60 names, the language's commonest among them, none
    empty or padded with spaces."""
    pytest.importorskip("yaml")
    names = debian.surnames(package, locale, CACHED)
    assert len(names) > 60 and expected <= set(names)
    assert all(n == n.strip() and n for n in names)


def test_wider_adds_lists_to_the_small_languages_only():
    """--wider keeps every source of the shipped build and adds WIDER's to their own languages."""
    wider, shipped = build.sources_for(True), build.sources_for(False)
    assert shipped == build.SOURCES and set(wider) == set(shipped)
    for language, sources in wider.items():
        assert sources == shipped[language] + build.WIDER.get(language, [])
    assert all(s.package in debian.PACKAGES for added in build.WIDER.values() for s in added)


@pytest.mark.skipif(not pinned_lists_available(), reason="the pinned .deb files are not in data/.debs")
def test_the_wider_build_gives_the_small_languages_more_names(tmp_path):
    """Every language WIDER adds to ends with more names than the shipped corpus has; the rest keep
    what they had but for names that the added lists also give."""
    pytest.importorskip("mimesis")
    pytest.importorskip("yaml")
    if build.check_versions(build.PINNED | build.PINNED_WIDER):
        pytest.skip("the build-data extra's pinned versions are not installed")
    counts, per_source, _ = build.build(tmp_path, build.sources_for(True))
    shipped = Path(build.__file__).parent / "names"
    before = {p.stem: set(p.read_text(encoding="utf-8").split("\n")) - {""} for p in shipped.glob("*.txt")}
    after = {p.stem: set(p.read_text(encoding="utf-8").split("\n")) - {""} for p in tmp_path.glob("*.txt")}
    assert set(after) == set(before)
    folded = {build.key(build.romanise(n, lang)) for lang, sources in build.WIDER.items() for s in sources
              for n in debian.surnames(s.package, s.locale, CACHED)}
    for language in after:
        if language in build.WIDER:
            assert counts[language] > len(before[language]), language
        else:
            assert all(build.key(n) in folded for n in before[language] - after[language]), language


def test_the_build_reproduces_the_shipped_corpus(tmp_path):
    """With the pinned packages, data/build_names.py writes data/names byte for byte."""
    pytest.importorskip("faker")
    pytest.importorskip("mimesis")
    if build.check_versions():
        pytest.skip("the build-data extra's pinned versions are not installed")
    build.build(tmp_path)
    shipped = Path(build.__file__).parent / "names"
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(p.name for p in shipped.iterdir() if p.suffix in (".txt", ".tsv"))
    for name in written:
        assert (tmp_path / name).read_bytes() == (shipped / name).read_bytes(), name
