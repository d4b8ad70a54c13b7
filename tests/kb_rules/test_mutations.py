"""The YAML tests of the KB 979174 pack (kb_rules/tests) pin what its rules mean: each semantic
change below, made to a copy of the pack, makes ``kbdoctor rules test`` report a failing test.

A change is one rule's certainty factor, one value a condition tests (a threshold, one value of
an ``in`` list, one alternative of a regular expression, a case-insensitivity flag, an anchor), or
the parts of a subject. A test suite that lets such a change pass is not testing that rule: this
module is how we know the suite is tight, rule by rule.

Changes that no test can catch because they do not change what the pack means are left out, each
with its argument:

- ``time_sync``'s subject is ``unordered`` (a pair of clocks measured either way is one subject,
  shown in a fixed order), so swapping ``clock`` and ``peer`` in any rule concluding it gives the
  same subject key, the same place on a failing path and the same text.
- ``ports.kdc-unreachable`` names ``client`` and leaves ``dc`` unknown; both parts are located
  the same way (``locate: [client, dc]``: any party of a path) and a subject with an unknown part
  never combines with another, so naming the host as ``dc`` instead changes only the shown text.
- ``ports.kerberos-blocked`` and ``ports.kpasswd-blocked`` match one port each, so their subject's
  ``port: "{p.port}"`` and the literal port are the same value.

Nor are changes the loader refuses, which no pack can ship: counter-evidence whose subject part is
a constant or ``*`` instead of a bound fact's value (``context: "*"`` in
``replication.link-healthy``, ``protocol: "tcp"`` in ``ports.kerberos-open``). Each change below
must load: a mutant that does not is a broken test of this module, not a caught change.

Each change runs the pack's tests in-process (engine/ruletests/run.py), those that name the
changed rule first: one failing test is enough, and the rest only run when none of those fails.
Each test is written to a file of its own (the same data), so that a change does not pay for
parsing every test file again.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from kbdoctor.collectors.importing import import_paths
from kbdoctor.engine.facts import Fact
from kbdoctor.engine.ruletests import run as ruletest_run
from kbdoctor.engine.ruletests.model import RuleTestFile
from kbdoctor.engine.yamlio import load_yaml_data

KB = Path(__file__).resolve().parents[2] / "kb_rules"
PACK = "kb979174.yaml"
CHUNK = 4  # tests run per call: a change is mostly caught by the first few that name its rule


@dataclass(frozen=True)
class Mutation:
    """``old`` replaced by ``new`` in one rule (``rule``) or, with ``rule`` None, in the whole
    pack; ``old`` must occur there exactly ``count`` times, so that a change that no longer
    applies to the pack fails loudly instead of testing nothing. The tests of the file ``first``
    (its stem) run first, with those that name the rule."""

    rule: str | None
    old: str
    new: str
    count: int = 1
    first: str | None = None

    @property
    def name(self) -> str:
        return f"{self.rule or 'pack'}: {self.old.strip()} -> {self.new.strip()}"

    def apply(self, text: str) -> str:
        start, end = _rule_block(text, self.rule) if self.rule else (0, len(text))
        block = text[start:end]
        assert block.count(self.old) == self.count, f"{self.name}: not found {self.count} times"
        return text[:start] + block.replace(self.old, self.new) + text[end:]


def _rule_block(text: str, rule: str) -> tuple[int, int]:
    start = text.index(f"  - id: {rule}\n")
    end = text.find("\n  - id: ", start + 1)
    return start, len(text) if end < 0 else end


def M(rule: str | None, old: str, new: str, count: int = 1, first: str | None = None) -> Mutation:
    return Mutation(rule, old, new, count, first)


QUEUE_454 = r"""'454[ ."]*4\.7\.0'"""
SENDER_RECEIVER = 'sender: "{q.server}", receiver: "{q.peer_host}"'
PORT_SUBJECT = 'subject: {client: "{p.source}", dc: "{p.target}"'
PORT_SWAPPED = 'subject: {client: "{p.target}", dc: "{p.source}"'
LINK_SUBJECT = 'subject: {source: "{l.source}", destination: "{l.destination}"'
LINK_SWAPPED = 'subject: {source: "{l.destination}", destination: "{l.source}"'
FRONTEND = "            - name: {not_matches: '(?i)^default frontend'}\n"
SMTP_SPN = "'(?i)^smtp(svc)?/'"

MUTATIONS = [
    # the tolerance of issue 11, everywhere and rule by rule
    M(None, "offset_s: {abs_gt: 300}", "offset_s: {abs_gt: 3000}", count=4, first="time"),
    # --- symptoms --------------------------------------------------------------------------------
    M("symptom.queue-454", "cf: 0.9", "cf: 0.7"),
    M("symptom.queue-454", QUEUE_454, r"'454 4\.7\.0'"),
    M("symptom.queue-454", QUEUE_454, r"""'454[ ."]*4\.7\.\d'"""),
    M("symptom.queue-454", QUEUE_454, r"""'45\d[ ."]*4\.7\.0'"""),
    M("symptom.queue-454", SENDER_RECEIVER, 'sender: "{q.peer_host}", receiver: "{q.server}"'),
    M("symptom.event-1035-exchangeauth", "cf: 0.9", "cf: 0.7"),
    M(
        "symptom.event-1035-exchangeauth",
        "'(?i)^MSExchangeTransport$'",
        "'(?i)^MSExchange.*Transport$'",
    ),
    M("symptom.event-1035-exchangeauth", "'(?i)^MSExchangeTransport$'", "'^MSExchangeTransport$'"),
    M("symptom.event-1035-exchangeauth", "event_id: 1035", "event_id: 1036"),
    M(
        "symptom.event-1035-exchangeauth",
        "(IllegalMessage|UnexpectedExchangeAuthBlob\\w*)",
        "(UnexpectedExchangeAuthBlob\\w*)",
    ),
    M(
        "symptom.event-1035-exchangeauth",
        "(IllegalMessage|UnexpectedExchangeAuthBlob\\w*)",
        "(IllegalMessage)",
    ),
    M("symptom.event-1035-exchangeauth", "'(?is)(", "'(?i)("),
    M(
        "symptom.event-1035-exchangeauth",
        "(IllegalMessage|UnexpectedExchangeAuthBlob\\w*).*ExchangeAuth'",
        "(IllegalMessage|UnexpectedExchangeAuthBlob\\w*|LogonDenied).*ExchangeAuth'",
    ),
    M("symptom.event-1035-exchangeauth", 'receiver: "{e.host}"', 'receiver: "*"'),
    M("symptom.event-2017-outbound", "cf: 0.6", "cf: 0.9"),
    M("symptom.event-2017-outbound", "cf: 0.6", "cf: 0.4"),
    M(
        "symptom.event-2017-outbound",
        "'(?i)^MSExchangeTransport$'",
        "'(?i)^MSExchange.*Transport$'",
    ),
    M("symptom.event-2017-outbound", "event_id: 2017", "event_id: 1035"),
    M("symptom.event-2017-outbound", "'(?i)ExchangeAuth'", "'ExchangeAuth'"),
    M(
        "symptom.event-2017-outbound",
        'sender: "{e.host}", receiver: "{e.spn_target}"',
        'sender: "{e.spn_target}", receiver: "{e.host}"',
    ),
    # --- KB step 1: clocks -----------------------------------------------------------------------
    M("time.skew.between-parties", "cf: 0.9", "cf: 0.5"),
    M("time.skew.between-parties", "abs_gt: 300", "abs_gt: 3000"),
    M("time.skew.between-parties", "abs_gt: 300", "abs_gt: 310"),
    M("time.skew.between-parties", "abs_gt: 300", "abs_gt: 299"),
    M("time.skew.between-parties", "abs_gt: 300", "abs_ge: 300"),
    M("time.skew.between-parties", "abs_gt: 300}", "gt: 300}"),
    M(
        "time.skew.between-parties",
        "host_role: {in: [exchange, dc]}",
        "host_role: {in: [exchange]}",
    ),
    M("time.skew.between-parties", "host_role: {in: [exchange, dc]}", "host_role: {in: [dc]}"),
    M(
        "time.skew.between-parties",
        "reference_role: {in: [exchange, dc]}",
        "reference_role: {in: [exchange]}",
    ),
    M(
        "time.skew.between-parties",
        "reference_role: {in: [exchange, dc]}",
        "reference_role: {in: [dc]}",
    ),
    M(
        "time.skew.between-parties",
        "reference_role: {in: [exchange, dc]}",
        "reference_role: {in: [exchange, dc, outside]}",
    ),
    M("time.skew.with-presumed-member", "cf: 0.75", "cf: 0.6"),
    M("time.skew.with-presumed-member", "abs_gt: 300", "abs_gt: 3000"),
    M("time.skew.with-presumed-member", "abs_gt: 300", "abs_ge: 300"),
    M(
        "time.skew.with-presumed-member",
        "{host_role: {in: [exchange, dc]}, reference_role: member}",
        "{host_role: {in: [exchange]}, reference_role: member}",
    ),
    M(
        "time.skew.with-presumed-member",
        "{host_role: {in: [exchange, dc]}, reference_role: member}",
        "{host_role: {in: [dc]}, reference_role: member}",
    ),
    M(
        "time.skew.with-presumed-member",
        "{host_role: {in: [exchange, dc]}, reference_role: member}",
        "{host_role: {in: [exchange, dc]}, reference_role: outside}",
    ),
    M(
        "time.skew.with-presumed-member",
        "{host_role: member, reference_role: {in: [exchange, dc]}}",
        "{host_role: member, reference_role: {in: [exchange]}}",
    ),
    M(
        "time.skew.with-presumed-member",
        "{host_role: member, reference_role: {in: [exchange, dc]}}",
        "{host_role: member, reference_role: {in: [dc]}}",
    ),
    M("time.within.between-parties", "cf: -0.3", "cf: -0.6"),
    M("time.within.between-parties", "abs_le: 300", "abs_le: 3000"),
    M("time.within.between-parties", "abs_le: 300", "abs_lt: 300"),
    M(
        "time.within.between-parties",
        "reference_role: {in: [exchange, dc, member]}",
        "reference_role: {in: [exchange, dc]}",
    ),
    M(
        "time.within.between-parties",
        "reference_role: {in: [exchange, dc, member]}",
        "reference_role: {in: [exchange, member]}",
    ),
    M(
        "time.within.between-parties",
        "reference_role: {in: [exchange, dc, member]}",
        "reference_role: {in: [dc, member]}",
    ),
    M(
        "time.within.between-parties",
        "{host_role: {in: [exchange, dc]}, reference_role: {in: [exchange, dc, member]}}",
        "{host_role: {in: [exchange]}, reference_role: {in: [exchange, dc, member]}}",
    ),
    M(
        "time.within.between-parties",
        "{host_role: member, reference_role: {in: [exchange, dc]}}",
        "{host_role: member, reference_role: {in: [exchange]}}",
    ),
    M(
        "time.within.between-parties",
        "{host_role: member, reference_role: {in: [exchange, dc]}}",
        "{host_role: member, reference_role: {in: [dc]}}",
    ),
    M(
        "time.within.between-parties",
        "{host_role: member, reference_role: {in: [exchange, dc]}}",
        "{host_role: member, reference_role: {in: [exchange, dc, member]}}",
    ),
    M("time.external-drift", "cf: 0.9", "cf: 0.7"),
    M("time.external-drift", "abs_gt: 300", "abs_gt: 3000"),
    M("time.external-drift", "abs_gt: 300", "abs_ge: 300"),
    M("time.external-drift", "abs_gt: 300}", "gt: 300}"),
    M("time.external-drift", "host_role: {in: [exchange, dc]}", "host_role: {in: [dc]}"),
    M("time.external-drift", "host_role: {in: [exchange, dc]}", "host_role: {in: [exchange]}"),
    M(
        "time.external-drift",
        "host_role: {in: [exchange, dc]}",
        "host_role: {in: [exchange, dc, member]}",
    ),
    M(
        "time.external-drift",
        "reference_role: outside",
        "reference_role: {in: [outside, exchange, dc]}",
    ),
    M("time.external-drift-measured-outside", "cf: 0.9", "cf: 0.7"),
    M("time.external-drift-measured-outside", "abs_gt: 300", "abs_gt: 3000"),
    M("time.external-drift-measured-outside", "abs_gt: 300", "abs_ge: 300"),
    M("time.external-drift-measured-outside", "abs_gt: 300}", "gt: 300}"),
    M(
        "time.external-drift-measured-outside",
        "host_role: outside",
        "host_role: {in: [outside, exchange, dc]}",
    ),
    M(
        "time.external-drift-measured-outside",
        "reference_role: {in: [exchange, dc]}",
        "reference_role: {in: [exchange]}",
    ),
    M(
        "time.external-drift-measured-outside",
        "reference_role: {in: [exchange, dc]}",
        "reference_role: {in: [dc]}",
    ),
    M("time.kerberos-skew", "cf: 0.8", "cf: 0.3"),
    M("time.kerberos-skew", "code: KRB_AP_ERR_SKEW", "code: KRB_AP_ERR_TKT_EXPIRED"),
    M("time.kerberos-skew", 'clock: "{k.host}"', 'clock: "*"'),
    M("time.event-1035-clock-skew", "cf: 0.8", "cf: 0.5"),
    M("time.event-1035-clock-skew", "'(?i)^MSExchangeTransport$'", "'(?i)^MSExchange.*Transport$'"),
    M("time.event-1035-clock-skew", "event_id: 1035", "event_id: 1036"),
    M(
        "time.event-1035-clock-skew",
        "'(?i)UnexpectedExchangeAuthBlobCheckForClockSkew'",
        "'UnexpectedExchangeAuthBlobCheckForClockSkew'",
    ),
    M(
        "time.event-1035-clock-skew",
        "'(?i)UnexpectedExchangeAuthBlobCheckForClockSkew'",
        "'(?i)UnexpectedExchangeAuthBlob|IllegalMessage'",
    ),
    M("time.replication-time-skew", "cf: 0.6", "cf: 0.4"),
    M("time.replication-time-skew", "last_result: 1398", "last_result: 1399"),
    M("time.replication-time-skew", "last_result: 1398", "last_result: {ge: 1398}"),
    M(
        "time.replication-time-skew",
        'subject: {clock: "{l.destination}", peer: "{l.source}"}',
        'subject: {clock: "{l.destination}", peer: "*"}',
    ),
    M("time.unreliable-source", "cf: 0.9", "cf: 0.5"),
    M("time.unreliable-source", "local cmos clock|", ""),
    M("time.unreliable-source", "|free-running system clock", ""),
    M("time.unreliable-source", "|lokalny zegar cmos", ""),
    M("time.unreliable-source", "|zegar systemowy", ""),
    M("time.unreliable-source", "|lokale cmos-uhr", ""),
    M("time.unreliable-source", "'(?i)(local", "'(local"),
    M("time.unreliable-source", "host: {same_as: dc.name}", "host: {differs_from: dc.name}"),
    M("time.unreliable-source-risk", "cf: 0.35", "cf: 0.9"),
    M("time.unreliable-source-risk", "cf: 0.35", "cf: 0.2"),
    # --- KB step 2: replication ------------------------------------------------------------------
    M("replication.link-failing", "cf: 0.85", "cf: 0.6"),
    M("replication.link-failing", "last_result: {ne: 0}", "last_result: {gt: 0}"),
    M("replication.link-failing", "last_result: {ne: 0}", "last_result: {gt: 1}"),
    M("replication.link-failing", "last_result: {ne: 0}", "last_result: {lt: 0}"),
    M("replication.link-failing", LINK_SUBJECT, LINK_SWAPPED),
    M("replication.link-healthy", "cf: -0.2", "cf: -0.9"),
    M("replication.link-healthy", "last_result: 0", "last_result: {ge: 0}"),
    M("replication.link-healthy", LINK_SUBJECT, LINK_SWAPPED),
    # --- KB step 3: SPNs -------------------------------------------------------------------------
    M("spn.smtpsvc-fqdn-missing", "cf: 0.9", "cf: 0.7"),
    M(
        "spn.smtpsvc-fqdn-missing",
        "contains_ref: srv.spn_smtpsvc_fqdn",
        "contains_ref: srv.spn_smtpsvc_name",
    ),
    M("spn.smtpsvc-fqdn-missing", "fqdn: {exists: true}", "name: {exists: true}"),
    M(
        "spn.smtpsvc-fqdn-missing",
        'subject: {server: "{srv.name}"}',
        'subject: {server: "{listing.account}"}',
    ),
    M("spn.smtpsvc-name-missing", "cf: 0.6", "cf: 0.2"),
    M(
        "spn.smtpsvc-name-missing",
        "contains_ref: srv.spn_smtpsvc_name",
        "contains_ref: srv.spn_smtp_name",
    ),
    M("spn.smtp-fqdn-missing", "cf: 0.5", "cf: 0.3"),
    M(
        "spn.smtp-fqdn-missing",
        "contains_ref: srv.spn_smtp_fqdn",
        "contains_ref: srv.spn_smtpsvc_fqdn",
    ),
    M("spn.smtp-fqdn-missing", "fqdn: {exists: true}", "name: {exists: true}"),
    M("spn.smtp-name-missing", "cf: 0.4", "cf: 0.2"),
    M(
        "spn.smtp-name-missing",
        "contains_ref: srv.spn_smtp_name",
        "contains_ref: srv.spn_smtp_fqdn",
    ),
    M("spn.smtpsvc-fqdn-present", "cf: -0.6", "cf: -0.3"),
    M(
        "spn.smtpsvc-fqdn-present",
        "contains_ref: srv.spn_smtpsvc_fqdn",
        "contains_ref: srv.spn_smtp_fqdn",
    ),
    M(
        "spn.smtpsvc-fqdn-present",
        "account: {same_as: srv.account}",
        "account: {differs_from: srv.account}",
    ),
    M("spn.query-not-found", "cf: 0.8", "cf: 0.6"),
    M("spn.query-not-found", SMTP_SPN, "'(?i)^smtpsvc/'"),
    M("spn.query-not-found", SMTP_SPN, "'(?i)smtp(svc)?/'"),
    M("spn.query-not-found", "holders: 0", "holders: {le: 1}"),
    M("spn.query-not-found", 'subject: {server: "{q.spn_host}"}', 'subject: {server: "*"}'),
    M("spn.query-held-by-another-account", "cf: 0.8", "cf: 0.6"),
    M("spn.query-held-by-another-account", "holders: {ge: 1}", "holders: {ge: 2}"),
    M("spn.query-held-by-another-account", "holders: {ge: 1}", "holders: {ge: 0}"),
    M("spn.query-held-by-another-account", "owner_holds: 0", "owner_holds: {le: 1}"),
    M("spn.query-held-by-another-account", SMTP_SPN, "'(?i)^smtpsvc/'"),
    M("spn.query-held-by-another-account", SMTP_SPN, "'(?i)^smtp/'"),
    M("spn.kerberos-principal-unknown", "cf: 0.7", "cf: 0.5"),
    M(
        "spn.kerberos-principal-unknown",
        "code: KDC_ERR_S_PRINCIPAL_UNKNOWN",
        "code: KDC_ERR_PREAUTH_FAILED",
    ),
    M("spn.kerberos-principal-unknown", SMTP_SPN, "'(?i)^smtpsvc/'"),
    M("spn.kerberos-principal-unknown", SMTP_SPN, "'(?i)^(smtp(svc)?|cifs)/'"),
    M(
        "spn.kerberos-principal-unknown",
        'subject: {server: "{k.target_host}"}',
        'subject: {server: "{k.host}"}',
    ),
    M("spn.duplicate-smtp", "cf: 0.95", "cf: 0.5"),
    M("spn.duplicate-smtp", SMTP_SPN, "'(?i)^smtpsvc/'"),
    M("spn.duplicate-smtp", SMTP_SPN, "'(?i)^smtp/'"),
    M("spn.duplicate-smtp", SMTP_SPN, "'(?i)smtp(svc)?/'"),
    M("spn.duplicate-smtp", SMTP_SPN, "'(?i)^(smtp(svc)?|http)/'"),
    M("spn.kdc-duplicate-name", "cf: 0.9", "cf: 0.6"),
    M("spn.kdc-duplicate-name", "event_id: 11", "event_id: 12"),
    M(
        "spn.kdc-duplicate-name",
        "(KDC|Microsoft-Windows-Kerberos-Key-Distribution-Center)",
        "(Microsoft-Windows-Kerberos-Key-Distribution-Center)",
    ),
    M(
        "spn.kdc-duplicate-name",
        "(KDC|Microsoft-Windows-Kerberos-Key-Distribution-Center)",
        "(KDC)",
    ),
    M("spn.kdc-duplicate-name", "'(?i)^(KDC|", "'(?i)(KDC|"),
    M(
        "spn.kdc-duplicate-name",
        "(KDC|Microsoft-Windows-Kerberos-Key-Distribution-Center)$",
        "(KDC|Microsoft-Windows-Kerberos-Key-Distribution-Center|MSExchangeTransport)$",
    ),
    M("spn.kerberos-modified", "cf: 0.5", "cf: 0.9"),
    M("spn.kerberos-modified", "code: KRB_AP_ERR_MODIFIED", "code: KRB_AP_ERR_SKEW"),
    M("spn.kerberos-modified", 'subject: "{k.target}"', 'subject: "{k.host}"'),
    M("spn.duplicates-none-found", "cf: -0.8", "cf: -0.3"),
    M("spn.duplicates-none-found", "found: 0", "found: {le: 1}"),
    M("spn.duplicates-none-found", "check: spn_duplicates", "check: {exists: true}"),
    # --- KB step 4: Kerberos ports ---------------------------------------------------------------
    M("ports.kerberos-blocked", "cf: 0.85", "cf: 0.6"),
    M("ports.kerberos-blocked", "cf: 0.85", "cf: 0.3"),
    M("ports.kerberos-blocked", "port: 88", "port: 89"),
    M("ports.kerberos-blocked", "state: {in: [closed, filtered]}", "state: {in: [closed]}"),
    M("ports.kerberos-blocked", "state: {in: [closed, filtered]}", "state: {in: [filtered]}"),
    M(
        "ports.kerberos-blocked",
        "state: {in: [closed, filtered]}",
        "state: {in: [closed, filtered, unknown]}",
    ),
    M("ports.kerberos-blocked", PORT_SUBJECT, PORT_SWAPPED),
    M("ports.kpasswd-blocked", "cf: 0.4", "cf: 0.9"),
    M("ports.kpasswd-blocked", "port: 464", "port: 465"),
    M("ports.kpasswd-blocked", "state: {in: [closed, filtered]}", "state: {in: [closed]}"),
    M("ports.kpasswd-blocked", "state: {in: [closed, filtered]}", "state: {in: [filtered]}"),
    M("ports.kpasswd-blocked", PORT_SUBJECT, PORT_SWAPPED),
    M("ports.kerberos-open", "cf: -0.3", "cf: -0.9"),
    M("ports.kerberos-open", "port: {in: [88, 464]}", "port: {in: [88]}"),
    M("ports.kerberos-open", "port: {in: [88, 464]}", "port: {in: [464]}"),
    M("ports.kerberos-open", "port: {in: [88, 464]}", "port: {in: [88, 389, 464]}"),
    M("ports.kerberos-open", "state: open", "state: {in: [open, filtered]}"),
    M("ports.kerberos-open", PORT_SUBJECT, PORT_SWAPPED),
    M("ports.kdc-unreachable", "cf: 0.6", "cf: 0.3"),
    M("ports.kdc-unreachable", "code: KDC_UNREACHABLE", "code: KRB_AP_ERR_SKEW"),
    # --- KB step 6: receive connectors -----------------------------------------------------------
    M("connector.default-without-exchange-auth", "cf: 0.85", "cf: 0.6"),
    M("connector.default-without-exchange-auth", "'(?i)^default '", "'(?i)^default'"),
    M("connector.default-without-exchange-auth", "'(?i)^default '", "'^Default '"),
    M("connector.default-without-exchange-auth", FRONTEND, ""),
    M(
        "connector.default-without-exchange-auth",
        "not_matches: '(?i)^default frontend'",
        "not_matches: '^Default Frontend'",
    ),
    M("connector.default-without-exchange-auth", "'(?i)^exchangeserver$'", "'(?i)^basicauth$'"),
    M("connector.default-without-exchange-auth", "'(?i)^exchangeserver$'", "'(?i)^exchangeserver'"),
    M("connector.default-without-exchange-auth", "'(?i)^exchangeserver$'", "'^exchangeserver$'"),
    M(
        "connector.default-without-exchange-auth",
        'subject: {server: "{rc.server}"',
        'subject: {server: "*"',
    ),
    M("connector.exchange-servers-without-exchange-auth", "cf: 0.7", "cf: 0.5"),
    M(
        "connector.exchange-servers-without-exchange-auth",
        "'(?i)^exchangeservers$'",
        "'(?i)^exchangeusers$'",
    ),
    M(
        "connector.exchange-servers-without-exchange-auth",
        "'(?i)^exchangeservers$'",
        "'(?i)^exchange(legacy)?servers$'",
    ),
    M(
        "connector.exchange-servers-without-exchange-auth",
        "'(?i)^exchangeservers$'",
        "'^ExchangeServers$'",
    ),
    M("connector.exchange-servers-without-exchange-auth", "'(?i)^exchangeserver$'", "'(?i)^tls$'"),
    M("connector.default-with-exchange-auth", "cf: -0.5", "cf: -0.2"),
    M("connector.default-with-exchange-auth", FRONTEND, ""),
    M(
        "connector.default-with-exchange-auth",
        "matches: '(?i)^exchangeserver$'",
        "matches: '(?i)^tls$'",
    ),
    # --- KB step 5: the recommendation when no cause explains the symptom ------------------------
    M(None, "no_cause_at_least: 0.5", "no_cause_at_least: 0.9", first="causes"),
    M(None, "no_cause_at_least: 0.5", "no_cause_at_least: 0.2", first="causes"),
]


def _importer(path: str) -> list[Fact]:
    return list(import_paths([path]).facts)


@dataclass(frozen=True)
class Suite:
    """The pack's tests, one per file, beside a copy of the pack the mutations rewrite."""

    folder: Path
    # a test's file (named after the shipped file: ``time-007.yaml``) and the rules it names
    tests: list[tuple[Path, frozenset[str]]]

    def split(self, mutation: Mutation) -> tuple[list[Path], list[Path]]:
        """The tests likely to catch ``mutation``, and the others (each in file order)."""

        def likely(path: Path, rules: frozenset[str]) -> bool:
            return mutation.rule in rules or path.stem.rsplit("-", 1)[0] == mutation.first

        likely_ones = [path for path, rules in self.tests if likely(path, rules)]
        return likely_ones, [path for path, rules in self.tests if not likely(path, rules)]


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Suite:
    folder = tmp_path_factory.mktemp("mutations") / "kb"
    tests = folder / "tests"
    shutil.copytree(KB / "tests", tests, ignore=shutil.ignore_patterns("*.yaml"))
    shutil.copy(KB / PACK, folder / PACK)
    written: list[tuple[Path, frozenset[str]]] = []
    for source in sorted((KB / "tests").glob("*.yaml")):
        data = load_yaml_data(source.read_text(encoding="utf-8"))
        assert "rules" not in data  # each test then runs against the copy beside it
        RuleTestFile.model_validate(data)
        for index, test in enumerate(data["tests"]):
            path = tests / f"{source.stem}-{index:03d}.yaml"
            # JSON is YAML: the same data the shipped file holds, one test to a file
            path.write_text(
                json.dumps({"kbdoctor": data["kbdoctor"], "tests": [test]}), encoding="utf-8"
            )
            expect = test["expect"]
            named = {*expect.get("fires", []), *expect.get("silent", [])}
            named.add(test["name"].split(" ", 1)[0].split(":", 1)[0])  # "rule.id fires: ..."
            written.append((path, frozenset(named)))
    return Suite(folder, written)


def _runs(suite: Suite, text: str, mutation: Mutation) -> Iterator[ruletest_run.TestRun]:
    """Run the tests against ``text`` as the pack: those likely to catch ``mutation`` a few at a
    time (one of them mostly fails), then all the others at once."""
    (suite.folder / PACK).write_text(text, encoding="utf-8")
    naming, others = suite.split(mutation)
    for start in range(0, len(naming), CHUNK):
        yield ruletest_run.run_tests(naming[start : start + CHUNK], importer=_importer)
    yield ruletest_run.run_tests(others, importer=_importer)


def test_the_unchanged_pack_passes_every_test_in_this_form(suite: Suite) -> None:
    """Otherwise every mutation below would be caught for nothing."""
    original = (KB / PACK).read_text(encoding="utf-8")
    runs = list(_runs(suite, original, M(None, "", "")))
    assert [p for r in runs for p in r.problems] == []
    assert [o.name for r in runs for o in r.outcomes if not o.passed] == []
    assert sum(len(r.outcomes) for r in runs) == len(suite.tests)


def test_the_mutations_name_distinct_changes_of_every_rule() -> None:
    names = [m.name for m in MUTATIONS]
    assert len(names) == len(set(names))
    data = load_yaml_data((KB / PACK).read_text(encoding="utf-8"))
    rules = {rule["id"] for rule in data["rules"]}
    changed_cf = {m.rule for m in MUTATIONS if m.old.startswith("cf: ")}
    assert changed_cf == rules
    assert {m.rule for m in MUTATIONS} - {None} <= rules


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
def test_a_semantic_change_to_a_rule_fails_a_test(suite: Suite, mutation: Mutation) -> None:
    text = mutation.apply((KB / PACK).read_text(encoding="utf-8"))
    for run in _runs(suite, text, mutation):
        assert run.problems == []  # a valid pack that means something else, not a broken one
        if any(o.fails_run for o in run.outcomes):
            return
    pytest.fail(f"no test of kb_rules/tests fails when {mutation.name}")
