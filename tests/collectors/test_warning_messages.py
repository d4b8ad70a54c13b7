"""Every warning a reader can give is in the catalogue, in Polish as much as in English: checked
on the readers' source (each key literal) and on every fixture read the way ``collect`` reads."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from kbdoctor.collectors import importers, parsing
from kbdoctor.collectors.importers.base import ImportWarning, Material, warning
from kbdoctor.collectors.importing import import_paths
from kbdoctor.collectors.messages import DERIVED_PLACEHOLDERS, catalogue_key
from kbdoctor.engine.i18n import COLLECTORS, LANGS, Lang

from tests.collectors.importers.fixtures import DATA

_KEY = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")
# The readers' warnings: the catalogue's two-part keys, less the collection script's texts
# (``collect.script.*``, looked up by collectors/script_texts.py).
WARNINGS = {
    key.removeprefix("collect.")
    for key in COLLECTORS.catalogue("en")
    if re.fullmatch(r"collect\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*", key)
    and not key.startswith(("collect.script.", "collect.live."))
}
_READER_SOURCES = sorted(
    path
    for package in (importers, parsing)
    for path in Path(str(package.__file__)).parent.glob("*.py")
)


def _key_literals() -> set[str]:
    """String constants in the reader modules and their shared parsing shaped like warning keys
    (``family.what``)."""
    texts = (
        node.value
        for path in _READER_SOURCES
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    )
    return {text for text in texts if _KEY.fullmatch(text)}


def test_every_key_a_reader_names_is_in_the_catalogue() -> None:
    assert _key_literals() - set(WARNINGS) == set()


def test_every_catalogue_key_is_used_by_some_reader() -> None:
    assert set(WARNINGS) - _key_literals() == set()


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _fixture_warnings() -> list[ImportWarning]:
    files = sorted(p for p in DATA.rglob("*") if p.is_file() and not p.name.endswith(".md"))
    result = import_paths([str(p) for p in files], lang="pl")
    return [*result.warnings, *result.unrecognised]


@pytest.fixture(scope="module")
def fixture_warnings() -> list[ImportWarning]:
    return _fixture_warnings()


def test_fixtures_give_warnings_of_many_readers(fixture_warnings: list[ImportWarning]) -> None:
    families = {w.key.split(".")[0] for w in fixture_warnings if w.key in WARNINGS}
    assert len(families) >= 6, families


@pytest.mark.parametrize("lang", LANGS[1:])
def test_every_fixture_warning_renders_in_each_language_with_all_placeholders_filled(
    fixture_warnings: list[ImportWarning], lang: Lang
) -> None:
    texts = COLLECTORS.catalogue(lang)
    for item in fixture_warnings:
        template = texts.get(catalogue_key(item.key))
        assert template is not None, item.key
        # A placeholder such as {formats} is filled when the warning is shown, in its language.
        params = {name: make(lang) for name, make in DERIVED_PLACEHOLDERS.items()}
        params.update(item.params)
        assert _fields(template) <= set(params), item.key
        assert item.text(lang) == template.format(**params)
        assert item.render(lang).endswith(item.text(lang))
        assert item.text(lang) != item.message, item.key


def test_str_is_the_english_line_with_file_and_line() -> None:
    material = Material("x/tnc.txt", b"", "a\nb\nc", first_line=10)
    item = warning(material, 2, "tnc.bad_port", port=70000)
    assert (item.file, item.line) == ("x/tnc.txt", 12)
    assert str(item) == "x/tnc.txt:12: RemotePort 70000 is not a port number"
    assert item.render("pl") == "x/tnc.txt:12: RemotePort 70000 nie jest numerem portu"
    assert item.message == "RemotePort 70000 is not a port number"


def test_a_warning_about_the_whole_material_has_no_line() -> None:
    item = warning(Material("q.txt", b"", ""), None, "base.nothing_found", reader="exchange-queue")
    assert str(item) == (
        "q.txt: exchange-queue recognised this material but found nothing in it to read"
    )
    assert item.render("pl") == (
        "q.txt: czytnik exchange-queue rozpoznał ten materiał, ale nie znalazł w nim niczego do "
        "odczytania"
    )


def test_warnings_compare_and_hash_by_what_they_say() -> None:
    one = ImportWarning.at("f", 1, "tnc.bad_port", port=0)
    assert one == ImportWarning.at("f", 1, "tnc.bad_port", port="0")
    assert len({one, ImportWarning.at("f", 1, "tnc.bad_port", port=0)}) == 1
    with pytest.raises(AttributeError):
        one.key = "tnc.no_host"  # type: ignore[misc]
