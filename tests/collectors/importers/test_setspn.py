"""setspn -L, -Q and -X output, English and Polish, in the encodings consoles write."""

from __future__ import annotations

import pytest
from kbdoctor.collectors.importers.base import Reader
from kbdoctor.collectors.importers.setspn import (
    SetspnDuplicatesReader,
    SetspnListReader,
    SetspnQueryReader,
)
from kbdoctor.engine.facts import CheckRun, SpnDuplicate, SpnListing, SpnQuery

from tests.collectors.importers.fixtures import materials, read_with, text_material

LIST, QUERY, DUPES = SetspnListReader(), SetspnQueryReader(), SetspnDuplicatesReader()


def test_listing_of_a_computer_keeps_the_dn_and_every_spn_with_its_lines() -> None:
    result = read_with(LIST, "setspn", "setspn_L_computer_en.txt")
    [fact] = result.facts
    assert isinstance(fact, SpnListing)
    assert fact.account == "CN=web04,CN=Computers,DC=corp,DC=com"
    assert fact.spns[:2] == ["HOST/web04.corp.com", "HOST/web04"]
    assert len(fact.spns) == 8
    assert fact.provenance is not None
    assert (fact.provenance.line, fact.provenance.line_end) == (2, 10)
    assert fact.provenance.reader == "setspn-L"
    assert fact.provenance.command == "setspn -L web04"
    assert result.warnings == []


def test_polish_listing_in_cp852_is_read_by_structure() -> None:
    [fact] = read_with(LIST, "setspn", "setspn_L_exchange_pl.cp852.txt").facts
    assert isinstance(fact, SpnListing)
    assert fact.account == "CN=EX01,OU=Serwery Exchange,DC=firma,DC=pl"
    assert "SMTPSVC/ex01.firma.pl" in fact.spns
    assert len(fact.spns) == 8


def test_a_dn_wrapped_by_the_console_is_joined() -> None:
    [fact] = read_with(LIST, "setspn", "setspn_L_wrapped_dn_en.txt").facts
    assert isinstance(fact, SpnListing)
    assert fact.account == "CN=Myuser,CN=Users,DC=intranet,DC=corporate,DC=com"
    assert fact.spns == ["gassvc/GASSERVER", "gassvc/gasserver.intranet.corporate.com"]


def test_an_account_that_was_not_found_gives_warnings_and_no_listing() -> None:
    result = read_with(LIST, "setspn", "setspn_L_account_not_found_en.txt")
    assert result.facts == []
    assert [w.line for w in result.warnings] == [2, 3]


def test_an_account_without_spns_is_an_empty_complete_listing() -> None:
    result = LIST.read(text_material("Registered ServicePrincipalNames for CN=EX05,DC=c,DC=com:\n"))
    [fact] = result.facts
    assert isinstance(fact, SpnListing)
    assert fact.spns == []


def test_query_that_found_nothing_is_an_empty_spn_query() -> None:
    [fact] = read_with(QUERY, "setspn", "setspn_Q_no_such_spn_en.txt").facts
    assert fact == SpnQuery(spn="HTTP/localhost", accounts=[], provenance=fact.provenance)


def test_query_that_found_an_account_gives_the_query_and_the_complete_listing() -> None:
    facts = read_with(QUERY, "setspn", "setspn_Q_found_en.txt").facts
    listing = next(f for f in facts if isinstance(f, SpnListing))
    query = next(f for f in facts if isinstance(f, SpnQuery))
    assert query.spn == "SMTPSVC/ex01.corp.example.com"
    assert query.accounts == ["CN=EX01,OU=Exchange Servers,DC=corp,DC=example,DC=com"]
    assert listing.spns == ["SMTPSVC/EX01", "SMTPSVC/ex01.corp.example.com", "HOST/EX01"]


def test_wildcard_query_gives_listings_and_says_why_there_is_no_query_fact() -> None:
    result = read_with(QUERY, "setspn", "setspn_Q_existing_en.txt")
    assert [type(f) for f in result.facts] == [SpnListing]
    assert "not in the material" in result.warnings[0].message


def test_clean_duplicate_runs_count_as_evidence_for_domain_and_forest() -> None:
    facts = read_with(DUPES, "setspn", "setspn_X_none_domain_and_forest_en.txt").facts
    runs = [(f.scope, f.found) for f in facts if isinstance(f, CheckRun)]
    assert runs == [("domain", 0), ("forest", 0)]


def test_kb_example_and_polish_clean_runs_give_a_check_run() -> None:
    for name in ("kb979174_setspn_X_none_en.txt", "setspn_X_none_pl.cp852.txt"):
        result = read_with(DUPES, "setspn", name)
        assert result.facts == [
            CheckRun(check="spn_duplicates", scope="domain", found=0,
                     provenance=result.facts[0].provenance)
        ]
        assert result.warnings == []


def test_duplicate_group_in_utf16_names_both_accounts() -> None:
    result = read_with(DUPES, "setspn", "setspn_X_duplicate_en.utf16.txt")
    dupes = [f for f in result.facts if isinstance(f, SpnDuplicate)]
    runs = [f for f in result.facts if isinstance(f, CheckRun)]
    assert [d.spn for d in dupes] == ["SMTPSVC/ex01.corp.example.com"]
    assert dupes[0].accounts[1] == "CN=EX02,OU=Exchange Servers,DC=corp,DC=example,DC=com"
    assert [(r.scope, r.found) for r in runs] == [("domain", 1)]
    assert result.warnings == []


def test_polish_forest_wide_duplicate_run() -> None:
    result = read_with(DUPES, "setspn", "setspn_X_F_duplicate_pl.txt")
    dupes = [f for f in result.facts if isinstance(f, SpnDuplicate)]
    runs = [f for f in result.facts if isinstance(f, CheckRun)]
    assert dupes[0].accounts == ["CN=EX01,OU=Serwery Exchange,DC=firma,DC=pl",
                                 "CN=STARYEX,CN=Computers,DC=firma,DC=pl"]
    assert [(r.scope, r.found) for r in runs] == [("forest", 1)]


def test_truncated_duplicate_run_gives_no_check_run_and_says_so() -> None:
    result = read_with(DUPES, "setspn", "setspn_X_truncated_en.txt")
    assert not any(isinstance(f, CheckRun) for f in result.facts)
    assert any("truncated" in w.message for w in result.warnings)


def test_each_format_is_recognised_only_by_its_own_reader() -> None:
    cases: dict[str, Reader] = {
        "setspn_L_computer_en.txt": LIST,
        "setspn_Q_no_such_spn_en.txt": QUERY,
        "setspn_X_none_pl.cp852.txt": DUPES,
        "setspn_L_exchange_pl.cp852.txt": LIST,
    }
    for name, reader in cases.items():
        for material in materials("setspn", name):
            assert [r.name for r in (LIST, QUERY, DUPES) if r.sniff(material)] == [reader.name]


# Import fidelity (issue 9): a reader claims text only on the lines that make its format.


def test_a_listing_pasted_without_its_header_is_no_duplicate_search() -> None:
    from kbdoctor.collectors.importers.setspn import READERS

    for material in materials("setspn", "setspn_L_without_header_note_en.txt"):
        assert not DUPES.sniff(material)
        assert not any(isinstance(f, CheckRun) for f in DUPES.read(material).facts)
        for reader in READERS:
            if reader.sniff(material):
                assert not any(isinstance(f, CheckRun) for f in reader.read(material).facts)


@pytest.mark.parametrize(
    "text",
    [
        "found 0 group of duplicate SPNs.\n",
        "We found 3 SPNs on the old server.\n",
        "see ticket 4711\nThat leaves 2 SPNs.\n",
    ],
)
def test_a_count_sentence_alone_is_no_duplicate_search(text: str) -> None:
    material = text_material(text)
    assert not DUPES.sniff(material)
    assert DUPES.read(material).facts == []


def test_a_run_without_a_command_line_is_still_recognised_by_its_progress_line() -> None:
    material = text_material("Przetwarzanie wpisu 0\nznaleziono 0 grup zduplikowanych nazw SPN.\n")
    assert DUPES.sniff(material)
    [fact] = DUPES.read(material).facts
    assert fact.model_dump(include={"check", "found"}) == {"check": "spn_duplicates", "found": 0}
