"""The Rules tab names the pack each rule came from, the pack that set a rule's certainty
factor, and the pack that disabled a rule (which is still listed, never hidden)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kbdoctor.tui.app import KbdoctorApp
from textual.widgets import DataTable

from .conftest import settle

ORG = """\
kbdoctor: rules/1
pack: contoso
extends: [kb979174]
overrides:
  time.skew.between-parties: {cf: 0.6}
  spn.duplicate-smtp: {disabled: true}
"""


async def test_the_rules_tab_names_the_packs_that_changed_a_rule(
    make_app: Callable[..., KbdoctorApp], tmp_path: Path
) -> None:
    (tmp_path / "contoso.yaml").write_text(ORG, encoding="utf-8")
    app = make_app(rules=[str(tmp_path / "contoso.yaml")])
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        table = app.main.query_one("#rules-table", DataTable)
        changed = [str(cell) for cell in table.get_row("time.skew.between-parties")]
        disabled = [str(cell) for cell in table.get_row("spn.duplicate-smtp")]
        untouched = [str(cell) for cell in table.get_row("time.kerberos-skew")]
    assert changed[1:4] == ["kb979174 (cf 0.6: contoso)", "time.skew.between-parties", "stable"]
    assert disabled[1:4] == ["kb979174", "spn.duplicate-smtp", "disabled by contoso"]
    assert untouched[1:4] == ["kb979174", "time.kerberos-skew", "stable"]
