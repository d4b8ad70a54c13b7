"""Which machine the engineer means when asking for its server view (h): the one of the fact
open or highlighted, else of the highlighted cause's subject; none (the list to pick from) when
nothing on screen names a machine the case knows.

Kept apart from the application so that the application only binds the key; the views live in
``tui/screens/server.py``, ``timeline.py``, ``compare.py`` and ``rule_detail.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbdoctor.engine.facts import Fact
from kbdoctor.tui.server_facts import concerns, first_host, registry, servers

if TYPE_CHECKING:
    from kbdoctor.tui.app import KbdoctorApp


def _fact_server(fact: Fact, app: KbdoctorApp) -> str | None:
    facts = app.session.effective_facts()
    names = registry([*facts, fact])
    for server in servers([*facts, fact]):  # role servers first: a clock offset is the host's
        if concerns(fact, server.key, names):
            return server.key
    return None


def server_in_view(app: KbdoctorApp) -> str | None:
    """The machine key the screen points at, or None."""
    from kbdoctor.tui.screens.fact_detail import FactDetailScreen
    from kbdoctor.tui.widgets.diagnosis import DiagnosisPane

    screen = app.screen
    if isinstance(screen, FactDetailScreen):
        return _fact_server(screen.entry.fact, app)
    focused = app.main.focused
    if screen is app.main and focused is not None and focused.id == "fact-table":
        from kbdoctor.tui.widgets.facts import FactBrowser

        key = app.main.query_one(FactBrowser).selected_key()
        return _fact_server(app.session.entry(key).fact, app) if key is not None else None
    if screen is app.main:
        cause = app.main.query_one(DiagnosisPane).cause
        if cause is not None:
            facts = app.session.effective_facts()
            known = [s.key for s in servers(facts)]
            return first_host([s.subject for s in cause.subjects], registry(facts), known)
    return None
