"""Readings of one moment that disagree are signed above the causes, as the reports warn of
them: the reading the diagnosis used and the one set aside, each with where it was read. A what-if
edit that makes them agree takes the sign away."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kbdoctor.tui.app import KbdoctorApp
from kbdoctor.tui.widgets.disagreeing_readings import DisagreeingReadingsLine

from .conftest import flat, screen_text, settle

DATA = Path(__file__).resolve().parents[1] / "data" / "disagreeing"


def _files(tmp_path: Path, dc01_offset: str = "-400.0") -> tuple[str, ...]:
    """The organisation and two readings of one moment: EX02's clock against DC01 as 12 s, and
    DC01's against EX02 as ``dc01_offset``."""
    dc01 = tmp_path / "dc01-clock.yaml"
    dc01.write_text(
        (DATA / "dc01-clock.yaml").read_text(encoding="utf-8").replace("-400.0", dc01_offset),
        encoding="utf-8",
    )
    return str(DATA / "organisation.yaml"), str(DATA / "ex02-clock.yaml"), str(dc01)


async def test_readings_that_disagree_are_signed_above_the_causes(
    make_app: Callable[..., KbdoctorApp], tmp_path: Path
) -> None:
    app = make_app(*_files(tmp_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        sign = app.screen.query_one("#disagreeing-readings", DisagreeingReadingsLine)
        assert sign.display
        assert str(sign.render()) == (
            "Readings that disagree (1); the diagnosis used the one that shows more of the "
            "problem, find out which is right: used clock of dc01.corp.example.com vs EX02: "
            "-400.000 s; offset_s=-400 (DC01/stripchart.txt:9 (w32tm_stripchart)), set aside "
            "clock of EX02 vs DC01: +12.000 s; offset_s=12 (EX02/stripchart.txt:5 "
            "(w32tm_stripchart))"
        )
        assert flat("Readings that disagree (1)") in flat(screen_text(app))
        assert sign.region.y < app.screen.query_one("#causes").region.y


async def test_in_polish(make_app: Callable[..., KbdoctorApp], tmp_path: Path) -> None:
    app = make_app(*_files(tmp_path), lang="pl")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        sign = app.screen.query_one("#disagreeing-readings", DisagreeingReadingsLine)
        assert str(sign.render()) == (
            "Odczyty, które sobie przeczą (1); diagnoza użyła tego, który pokazuje więcej "
            "problemu, ustal, który jest prawdziwy: użyty zegar dc01.corp.example.com względem "
            "EX02: -400.000 s; offset_s=-400 (DC01/stripchart.txt:9 (w32tm_stripchart)), "
            "odłożony zegar EX02 względem DC01: +12.000 s; offset_s=12 (EX02/stripchart.txt:5 "
            "(w32tm_stripchart))"
        )


async def test_readings_that_agree_give_no_sign(
    make_app: Callable[..., KbdoctorApp], tmp_path: Path
) -> None:
    app = make_app(*_files(tmp_path, "-12.0"))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#disagreeing-readings", DisagreeingReadingsLine).display


async def test_a_what_if_edit_that_leaves_one_reading_takes_the_sign_away(
    make_app: Callable[..., KbdoctorApp], tmp_path: Path
) -> None:
    app = make_app(*_files(tmp_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        sign = app.screen.query_one("#disagreeing-readings", DisagreeingReadingsLine)
        assert sign.display
        key = next(
            e.key
            for e in app.session.entries()
            if e.fact.type == "clock_offset" and getattr(e.fact, "offset_s", None) == 12.0
        )
        app.session.toggle(key)
        app._changed(key)
        await settle(pilot)
        assert not sign.display
        assert app.report is not None
        assert app.report.disagreeing_readings == []
