"""Readers are discovered, ordered and chosen by content."""

from __future__ import annotations

from kbdoctor.collectors.importers.base import Reader
from kbdoctor.collectors.importers.registry import all_readers, known_formats, pick_reader

from tests.collectors.importers.fixtures import materials, text_material


def test_every_module_s_readers_are_found_once_in_a_stable_order() -> None:
    names = [r.name for r in all_readers()]
    assert {"setspn-L", "setspn-Q", "setspn-X", "w32tm-stripchart", "w32tm-monitor",
            "w32tm-status", "w32tm-peers", "test-netconnection", "klist"} <= set(names)
    assert len(names) == len(set(names))
    assert all(isinstance(r, Reader) for r in all_readers())
    assert [r.name for r in all_readers()] == names


def test_known_formats_carry_the_command_to_run() -> None:
    formats = {f.name: f for f in known_formats()}
    assert formats["setspn-L"].command.startswith("setspn -L")
    assert [f.name for f in known_formats()] == sorted(formats)


def test_material_goes_to_the_reader_of_its_content() -> None:
    [material] = materials("w32tm", "w32tm_monitor_en.txt")
    reader = pick_reader(material)
    assert reader is not None
    assert reader.name == "w32tm-monitor"


def test_text_no_reader_knows_gets_none() -> None:
    assert pick_reader(text_material("lorem ipsum\n")) is None
