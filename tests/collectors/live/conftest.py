"""The live test bed as a session fixture: one Samba AD DC and chrony in a network namespace
(see testbed.py), created once, torn down at the end whatever happened."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.collectors.live.testbed import (
    DOMAIN,
    Testbed,
    missing_requirements,
    unused_namespace_name,
)

# EX01 is healthy; EX02 has no SPN; EX04's SMTPSVC/<fqdn> is also held (in another case) by EX05.
# EX01 and EX03 are Exchange servers of the configuration partition too: EX01's Default
# connector offers ExchangeServer authentication, EX03's does not (the only fault of EX03).
HEALTHY_SPNS = ("SMTP/{n}", "SMTP/{n}.{d}", "SMTPSVC/{n}", "SMTPSVC/{n}.{d}")
# AuthMechanism bits (msExchSMTPReceiveInboundSecurityFlag): Tls 1, Integrated 2, BasicAuth 4,
# BasicAuthRequireTLS 8, ExchangeServer 16
WITH_EXCHANGE_AUTH = 1 | 2 | 4 | 8 | 16
WITHOUT_EXCHANGE_AUTH = 1 | 2 | 4 | 8


@pytest.fixture(scope="session")
def testbed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Testbed]:
    reason = missing_requirements()
    if reason is not None:
        pytest.skip(reason)
    bed = Testbed(tmp_path_factory.mktemp("live"), unused_namespace_name())
    try:
        bed.create_namespace()
        bed.add_black_hole("10.99.0.0/24")  # 10.99.0.2 is a DC that does not answer
        bed.provision()
        bed.add_exchange_schema()
        bed.start_samba()
        bed.start_chrony()
        for name in ("EX01", "EX03", "EX04"):
            low = name.lower()
            bed.add_computer(name, [s.format(n=low, d=DOMAIN) for s in HEALTHY_SPNS])
        bed.add_computer("EX02", [])
        bed.add_computer("EX05", [])
        # Samba refuses a second holder of an SPN (case-insensitively); a duplicate as
        # replication between two DCs leaves it is written straight into the partition file
        # (test_live_replication.py makes one through replication itself, with two DCs).
        bed.add_spn_bypassing_checks("EX05", f"smtpsvc/EX04.{DOMAIN}")
        for name, flags in (("EX01", WITH_EXCHANGE_AUTH), ("EX03", WITHOUT_EXCHANGE_AUTH)):
            bed.add_exchange_server(name)
            bed.add_receive_connector(name, f"Default {name}", flags, ["0.0.0.0:2525", "[::]:2525"])
        yield bed
    finally:
        bed.destroy()
        assert os.path.exists(f"/run/netns/{bed.ns}") is False
