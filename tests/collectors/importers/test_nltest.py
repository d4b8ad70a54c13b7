"""nltest /dsgetdc: and /dclist: output: domain controllers, the PDC, sites, in any language."""

from __future__ import annotations

from kbdoctor.collectors.importers.nltest import DcListReader, DsGetDcReader
from kbdoctor.engine.facts import DomainController

from tests.collectors.importers.fixtures import text_material
from tests.collectors.importers.test_portqry import docstring_sample

DSGETDC = DsGetDcReader()
DCLIST = DcListReader()

Row = tuple[str, str | None, str | None, bool | None]


def _dcs(reader: DsGetDcReader | DcListReader, text: str) -> list[Row]:
    result = reader.read(text_material(text))
    return [
        (f.name, f.fqdn, f.site, f.pdc) for f in result.facts if isinstance(f, DomainController)
    ]


def test_the_docstring_samples_read_as_documented() -> None:
    assert DSGETDC.sniff(text_material(docstring_sample(DSGETDC)))
    assert _dcs(DSGETDC, docstring_sample(DSGETDC)) == [
        ("DC01", "DC01.corp.example.com", "Default-First-Site-Name", True)
    ]
    assert DCLIST.sniff(text_material(docstring_sample(DCLIST)))
    assert _dcs(DCLIST, docstring_sample(DCLIST)) == [
        ("DC01", "DC01.corp.example.com", "Default-First-Site-Name", True),
        ("DC02", "DC02.corp.example.com", "Branch", False),
    ]


def test_dsgetdc_with_localised_labels_is_read_by_its_layout() -> None:
    text = (
        "           DC: \\\\DC2.firma.local\n"
        "      Adresse: \\\\192.168.1.2\n"
        "     Dom-GUID: 0b7f4d1e-2c3a-4b5c-9d8e-7f6a5b4c3d2e\n"
        "     Dom-Name: firma.local\n"
        "  Gesamtstrukturname: firma.local\n"
        " DC-Standortname: Berlin\n"
        "Eigener Standortname: Berlin\n"
        "        Flags: GC DS LDAP KDC TIMESERV WRITABLE DNS_DC DNS_DOMAIN DNS_FOREST CLOSE_SITE\n"
        "Der Befehl wurde erfolgreich ausgeführt.\n"
    )
    assert DSGETDC.sniff(text_material(text))
    result = DSGETDC.read(text_material(text))
    assert _dcs(DSGETDC, text) == [("DC2", "DC2.firma.local", "Berlin", False)]
    assert result.warnings == []


def test_a_dc_without_the_kdc_flag_is_reported() -> None:
    text = "DC: \\\\DC3.corp.example.com\nAddress: \\\\10.0.0.3\nFlags: GC DS LDAP WRITABLE\n"
    result = DSGETDC.read(text_material(text))
    assert _dcs(DSGETDC, text) == [("DC3", "DC3.corp.example.com", None, False)]
    assert [w.key for w in result.warnings] == ["nltest.kdc_not_kept"]


def test_a_failed_dsgetdc_is_a_warning_not_a_fact() -> None:
    text = (
        "nltest /dsgetdc:nosuch\nGetting DC name failed: Status = 1355 0x54b ERROR_NO_SUCH_DOMAIN\n"
    )
    assert DSGETDC.sniff(text_material(text))
    result = DSGETDC.read(text_material(text))
    assert result.facts == []
    assert [w.key for w in result.warnings] == ["nltest.failed"]


def test_dclist_in_another_language_and_without_any_pdc_flag() -> None:
    text = (
        'Liste der DCs in der Domäne "firma" von "\\\\DC1.firma.local" wird abgerufen.\n'
        "    DC1.firma.local        [DS] Standort: Berlin\n"
        "    DC2.firma.local        [DS] Standort: Hamburg\n"
        "Der Befehl wurde erfolgreich ausgeführt.\n"
    )
    assert DCLIST.sniff(text_material(text))
    assert _dcs(DCLIST, text) == [
        ("DC1", "DC1.firma.local", "Berlin", None),
        ("DC2", "DC2.firma.local", "Hamburg", None),
    ]


def test_other_outputs_are_not_claimed() -> None:
    for text in (
        "Registered ServicePrincipalNames for CN=EX01,DC=c:\n        SMTPSVC/EX01\n",
        "ComputerName : dc01\nRemotePort : 88\nTcpTestSucceeded : True\n",
        "DC01.corp.example.com *** PDC ***[10.0.0.10:123]:\n    ICMP: 0ms delay\n",
    ):
        assert not DSGETDC.sniff(text_material(text))
        assert not DCLIST.sniff(text_material(text))
