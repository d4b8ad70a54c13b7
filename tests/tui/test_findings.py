"""The Diagnosis tab lists the report's findings after the assessed causes: each with the rule
that concluded it and, when several packs are loaded, the rule's pack, and with the suppression
of the site that accepted some of its subjects (who, until when, why); in English and Polish."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from kbdoctor.engine.suppressions import load_suppressions
from kbdoctor.tui.app import KbdoctorApp
from kbdoctor.tui.widgets.causes import CauseList

from .conftest import ROOT, flat, screen_text, settle
from .test_snapshots import LANGS, SIZES, after

CONTOSO = """\
kbdoctor: rules/1
pack: contoso
extends: [kb979174]
findings:
  queue_backlog:
    title: {en: "Messages pile up in a queue", pl: "Wiadomości gromadzą się w kolejce"}
rules:
  - id: contoso.queue-backlog
    title: {en: "More than 500 messages wait", pl: "Czeka ponad 500 wiadomości"}
    when:
      - bind: q
        fact: queue
        where: {message_count: {gt: 500}}
    conclude: {finding: queue_backlog, cf: 0.7, subject: "{q.server}"}
    explain: {en: "{q.server} holds {q.message_count}", pl: "{q.server} ma {q.message_count}"}
"""

FACTS = """\
kbdoctor: facts/1
facts:
  - {type: queue, server: EX01, message_count: 812, last_error: "454 4.7.0 Temporary ..."}
  - {type: queue, server: EX02, message_count: 900, last_error: "454 4.7.0 Temporary ..."}
  - {type: kerberos_error, host: EX01, code: KRB_AP_ERR_SKEW}
"""

ACCEPTED = """\
kbdoctor: suppressions/1
suppressions:
  - rule: contoso.queue-backlog
    match: {host: EX02}
    reason: archive relay
    accepted_by: a.nowak
    expires: 2999-12-31
"""

SHOWN = {
    "en": [
        "Findings",
        "! Messages pile up in a queue 0.70 EX01, EX02",
        "concluded by contoso.queue-backlog, pack contoso",
        "suppressed (EX02): a.nowak until 2999-12-31: archive relay",
    ],
    "pl": [
        "Ustalenia",
        "! Wiadomości gromadzą się w kolejce 0.70 EX01, EX02",
        "ustalone przez contoso.queue-backlog, pakiet contoso",
        "wyciszone (EX02): a.nowak do 2999-12-31: archive relay",
    ],
}
TIME_SYNC = {"en": "Clocks more than 5 minutes apart", "pl": "Zegary różnią się o ponad 5 minut"}
NOT_ASSESSED = {"en": "Not assessed: collect more", "pl": "Nieocenione: zbierz więcej"}


@pytest.mark.parametrize("lang", ["en", "pl"])
async def test_a_finding_shows_its_rule_its_pack_and_its_suppression(
    make_app: Callable[..., KbdoctorApp], tmp_path: Path, lang: str
) -> None:
    (tmp_path / "contoso.yaml").write_text(CONTOSO, encoding="utf-8")
    (tmp_path / "facts.yaml").write_text(FACTS, encoding="utf-8")
    (tmp_path / "accepted.yaml").write_text(ACCEPTED, encoding="utf-8")
    loaded = load_suppressions(str(tmp_path / "accepted.yaml"))
    assert not isinstance(loaded, list)
    app = make_app(
        str(tmp_path / "facts.yaml"),
        lang=lang,
        rules=[str(tmp_path / "contoso.yaml")],
        suppressions=loaded.entries,
    )
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        shown = flat(screen_text(app))
        positions = [shown.find(flat(line)) for line in SHOWN[lang]]
        assert -1 not in positions, (SHOWN[lang], screen_text(app))
        assert positions == sorted(positions)
        # in the cause list: after the assessed cause (time_sync), before those not assessed
        causes = app.screen.query_one("#causes", CauseList)
        prompts = [str(causes.get_option_at_index(i).prompt) for i in range(causes.option_count)]
        heading = prompts.index(SHOWN[lang][0])
        assert prompts[heading + 1].startswith("! ")
        assert [p.split("\n")[-1] for p in prompts[:heading]] == [TIME_SYNC[lang]]
        assert prompts[heading + 2] == NOT_ASSESSED[lang]


async def test_with_the_shipped_pack_alone_a_finding_names_its_rule(
    make_app: Callable[..., KbdoctorApp],
) -> None:
    app = make_app(str(ROOT / "examples" / "demo-incident.yaml"))
    async with app.run_test(size=(140, 60)) as pilot:
        await settle(pilot)
        assert app.report is not None
        assert app.report.findings
        shown = flat(screen_text(app))
        assert flat("concluded by time.external-drift") in shown
        assert "pack" not in shown


SITE = "tests/data/tui/site"  # relative to the repository, where make_app runs the application


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_what_findings_suppressions_and_an_expired_one_look_like(
    snap_compare: Any, make_app: Callable[..., KbdoctorApp], lang: str, size: tuple[int, int]
) -> None:
    """An organisation's pack with a finding of its own (one subject accepted), a diagnosis
    accepted by an account match, and an expired entry."""
    loaded = load_suppressions(f"{SITE}/accepted.yaml")
    assert not isinstance(loaded, list)
    app = make_app(
        f"{SITE}/facts.yaml",
        lang=lang,
        rules=[f"{SITE}/contoso.yaml"],
        suppressions=loaded.entries,
    )
    assert snap_compare(app, terminal_size=size, run_before=after())
