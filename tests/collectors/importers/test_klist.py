"""klist and klist get: failures become kerberos_error facts, tickets are read quietly."""

from __future__ import annotations

from kbdoctor.collectors.importers.base import HostHint, Material
from kbdoctor.collectors.importers.klist import KlistReader
from kbdoctor.collectors.segments import CommandMaterial
from kbdoctor.engine.facts import KerberosError

from tests.collectors.importers.fixtures import read_with, text_material

READER = KlistReader()


def test_a_successful_ticket_gives_no_fact_and_no_warning() -> None:
    result = read_with(READER, "klist", "klist_get_krbtgt_en.txt")
    assert (result.facts, result.warnings) == ([], [])


def test_a_failed_get_for_a_missing_spn_is_principal_unknown_for_that_spn() -> None:
    result = read_with(READER, "klist", "klist_get_smtpsvc_failed_en.txt", host="EX01")
    [fact] = result.facts
    assert isinstance(fact, KerberosError)
    assert (fact.host, fact.code, fact.target) == (
        "EX01",
        "KDC_ERR_S_PRINCIPAL_UNKNOWN",
        "SMTPSVC/ex02.corp.example.com",
    )
    assert fact.message is not None
    assert fact.message.startswith("The SAM database")
    assert fact.provenance is not None
    assert (fact.provenance.line, fact.provenance.line_end) == (4, 6)


def test_polish_cp852_time_difference_is_clock_skew() -> None:
    [fact] = read_with(READER, "klist", "klist_get_skew_pl.cp852.txt", host="EX01").facts
    assert isinstance(fact, KerberosError)
    assert fact.code == "KRB_AP_ERR_SKEW"
    assert fact.target == "SMTPSVC/ex02.firma.pl"
    assert fact.message is not None
    assert "kontrolerze domeny" in fact.message


def test_an_unknown_status_is_kept_as_printed() -> None:
    text = "klist get HTTP/x\nklist failed with 0xdeadbeef/-559038737: Something else.\n"
    [fact] = READER.read(text_material(text)).facts
    assert isinstance(fact, KerberosError)
    assert fact.code == "0XDEADBEEF"


def test_a_failure_without_host_is_reported_not_guessed() -> None:
    result = read_with(READER, "klist", "klist_get_smtpsvc_failed_en.txt", host=None)
    assert result.facts == []
    assert "--host" in result.warnings[0].message


def test_the_two_error_lines_on_one_physical_line_are_read_apart() -> None:
    text = (
        "    Error calling API LsaCallAuthenticationPackage (GetTicket substatus): 0x80090342"
        + " " * 40
        + "klist failed with 0xc00002fd/-1073741059: The encryption type requested is not "
        "supported by the KDC.\n"
    )
    material = CommandMaterial(
        "k.txt", b"", text, 3, HostHint("WKS01", "option"), command="klist get AZUREADSSOACC"
    )
    [fact] = KlistReader().read(material).facts
    assert isinstance(fact, KerberosError)
    assert (fact.host, fact.code.upper(), fact.target) == ("WKS01", "0XC00002FD", "AZUREADSSOACC")
    assert fact.provenance is not None
    assert fact.provenance.line == 3


def test_a_failure_of_the_local_ticket_cache_is_no_kerberos_error() -> None:
    text = (
        "Current LogonId is 0:0xc7fbc\n"
        "Error calling API LsaCallAuthenticationPackage (ShowTickets substatus): 1312\n\n"
        "klist failed with 0xc000005f/-1073741729: A specified logon session does not exist.\n"
    )
    result = KlistReader().read(Material("k.txt", b"", text, 1, HostHint("PC1", "option")))
    assert result.facts == []
    assert [(w.key, w.line) for w in result.warnings] == [("klist.local_failure", 2)]
