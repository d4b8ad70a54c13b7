"""Names are compared the way Windows compares them."""

from __future__ import annotations

from kbdoctor.engine.names import HostRegistry, account_name, host_name, same_host, spn_host


def test_short_name_matches_its_fqdn() -> None:
    registry = HostRegistry(["EX01.corp.example.com"])
    assert registry.key("ex01") == registry.key("EX01.CORP.example.com.") == "ex01.corp.example.com"


def test_ambiguous_short_name_is_not_guessed() -> None:
    registry = HostRegistry(["dc1.corp.example.com", "dc1.branch.example.com"])
    assert registry.key("DC1") == "dc1"


def test_accounts_in_every_spelling_are_one() -> None:
    spellings = [
        "EX01$",
        "CORP\\EX01$",
        "ex01$@CORP.EXAMPLE.COM",
        "CN=EX01,OU=Servers,DC=corp,DC=example,DC=com",
        "ex01",
    ]
    assert {account_name(s) for s in spellings} == {"ex01"}


def test_host_name_strips_decoration() -> None:
    assert host_name("  \\\\EX01.corp.example.com.  ") == "ex01.corp.example.com"
    assert host_name("dc01:123") == "dc01"


def test_same_host_without_registry() -> None:
    assert same_host("EX01", "ex01.corp.example.com")
    assert not same_host("ex01.a.com", "ex01.b.com")
    assert not same_host("10.0.0.1", "10.0.0.2")


def test_spn_host() -> None:
    assert spn_host("SMTPSVC/EX01.corp.example.com:25") == "ex01.corp.example.com"
    assert spn_host("nonsense") is None
