"""The TUI runs the live collection (issue 12) as an action: g asks for the options, the
collection runs in a worker with its progress on the status bar, the facts join the case as a
source and the diagnosis follows. The runner is real; its network layer (name resolution, port,
SNTP and directory probes) is replaced by probes that answer as a directory with one DC ten
minutes fast would, so no server is needed here (tests/collectors/live runs the real ones)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from kbdoctor.collectors.live import dns_srv, ldap_dir, options, ports, runner, sntp
from kbdoctor.collectors.live.model import LiveOptions, ProbeResult
from kbdoctor.tui.app import KbdoctorApp
from kbdoctor.tui.live_collection import LiveForm, live_options
from kbdoctor.tui.screens.live import LiveScreen
from textual.widgets import Input, Static

from .conftest import settle

MakeApp = Callable[..., KbdoctorApp]
SIZE = (120, 40)
SKEW_S = 600.0


@pytest.fixture
def fake_network(monkeypatch: pytest.MonkeyPatch) -> list[LiveOptions]:
    """The runner's probes answered locally: every port open, the DC's clock 600 s ahead."""
    seen: list[LiveOptions] = []

    def root(target: dns_srv.Target, opts: LiveOptions) -> ldap_dir.RootDse:
        seen.append(opts)
        return ldap_dir.RootDse(
            dns_host_name=target.name, default_nc="DC=corp,DC=test",
            config_nc="CN=Configuration,DC=corp,DC=test", root_nc="DC=corp,DC=test",
            current_time=datetime.now(UTC), offset_s=-SKEW_S, observed_at=datetime.now(UTC),
            transport="ldaps",
        )  # fmt: skip

    def quiet(*_args: Any) -> ProbeResult:
        return ProbeResult()

    monkeypatch.setattr(
        dns_srv, "resolve", lambda name, *_a: dns_srv.Target(name=name, address="192.0.2.1")
    )
    monkeypatch.setattr(ports, "probe_tcp", lambda *_a: ("open", None))
    monkeypatch.setattr(ports, "probe_udp", lambda *_a: ("open", None))
    monkeypatch.setattr(
        sntp, "query", lambda *_a: sntp.SntpReading(offset_s=-SKEW_S, delay_s=0.001, stratum=3)
    )
    monkeypatch.setattr(runner, "_root_dse", root)
    for name in ("_dc_listing", "_exchange_config", "_exchange_servers", "_replication"):
        monkeypatch.setattr(runner, name, quiet)
    return seen


def test_the_form_reads_the_password_from_the_variable_it_names_and_keeps_it_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KBD_TEST_PW", "pa55-Word")
    opts = live_options(LiveForm("Corp.Test.", user="admin", password_env="KBD_TEST_PW"), "en")
    assert isinstance(opts, LiveOptions)
    assert opts.domain == "corp.test"
    assert opts.password is not None
    assert opts.password.reveal() == "pa55-Word"
    assert "pa55-Word" not in repr(opts)
    monkeypatch.delenv("KBD_TEST_PW")
    said = live_options(LiveForm("corp.test", user="admin", password_env="KBD_TEST_PW"), "pl")
    assert said == "Zmienna środowiskowa KBD_TEST_PW nie jest ustawiona."
    assert live_options(LiveForm("corp.test", user="admin"), "en") == (
        "A user needs a password: name its environment variable or type it."
    )
    assert live_options(LiveForm(" "), "en") == "Name the domain to collect from."
    assert isinstance(live_options(LiveForm("corp.test", timeout="0"), "en"), str)


def test_without_a_user_the_engineers_kerberos_ticket_binds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(options, "ticket_principal", lambda: "alice@CORP.TEST")
    with_ticket = live_options(LiveForm("corp.test"), "en")
    assert not isinstance(with_ticket, str)
    assert with_ticket.kerberos_principal == "alice@CORP.TEST"
    assert with_ticket.authenticated
    monkeypatch.setattr(options, "ticket_principal", lambda: None)
    without = live_options(LiveForm("corp.test"), "en")
    assert not isinstance(without, str)
    assert without.kerberos_principal is None
    assert not without.authenticated


async def test_collecting_live_adds_a_source_and_the_diagnosis_follows(
    make_app: MakeApp, fake_network: list[LiveOptions]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        labels: list[str] = []
        status = app.main.status

        def say(text: Any) -> None:
            labels.append(str(text))
            status(text)

        app.main.status = say  # type: ignore[method-assign]
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        assert app.screen.query_one("#live-password", Input).password  # never echoed
        await pilot.press("ctrl+o")  # no domain yet: said, and the form stays
        assert "Name the domain" in str(app.screen.query_one("#live-error", Static).render())
        app.screen.query_one("#live-domain", Input).value = "corp.test"
        app.screen.query_one("#live-dcs", Input).value = "dc01.corp.test"
        app.screen.query_one("#live-user", Input).value = "admin@corp.test"
        app.screen.query_one("#live-password", Input).value = "typed-Secret-7"
        await pilot.press("ctrl+o")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert [opts.dcs for opts in fake_network] == [("dc01.corp.test",)]
        live = app.session.sources()[-1]
        assert (live.kind, live.label) == ("live", "live corp.test")
        assert dict(live.counts)["port_state"] > 0
        assert any("Collecting from corp.test" in label for label in labels)
        ports_seen = [
            f for f in app.session.effective_facts()
            if f.type == "port_state" and f.provenance and f.provenance.collector == "live"
        ]  # fmt: skip
        assert ports_seen
        assert {f.state for f in ports_seen} == {"open"}
        assert fake_network[0].password is not None
        assert fake_network[0].password.reveal() == "typed-Secret-7"
        assert app.report is not None
        assert "live corp.test" in app.report.inputs.files  # the diagnosis followed
        assert "typed-Secret-7" not in repr(app.session.fact_file())
