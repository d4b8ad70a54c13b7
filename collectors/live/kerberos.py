"""A Kerberos service ticket for ``SMTPSVC/<exchange fqdn>``, asked of the domain's KDCs as the
sending Exchange server would ask for it, with the MIT Kerberos tools (``kinit``, ``kvno``;
Debian's krb5-user). The error the KDC returns is the fact: ``KRB_AP_ERR_SKEW`` (clocks too far
apart), ``KDC_ERR_S_PRINCIPAL_UNKNOWN`` (no account holds the SPN), ``KDC_UNREACHABLE`` (no KDC
answered on 88). A ticket obtained is no fact (facts/1 has no type for a success).

Everything runs on a private configuration and credential cache in a temporary folder
(``KRB5_CONFIG``, ``KRB5CCNAME``): the KDCs are the DCs probed, ``dns_lookup_kdc`` is off and
``kdc_timesync`` is 0, so a skewed clock is reported rather than silently compensated. The
password reaches ``kinit`` on its standard input, never its command line. Without a user, the
caller's own ticket (:mod:`.gss`) is copied into the private cache instead of ``kinit``: the
caller's cache is not touched, and ``kdc_timesync = 0`` still holds for the service tickets.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import tempfile

from kbdoctor.collectors.live import gss
from kbdoctor.collectors.live.model import Secret

# What MIT Kerberos prints, and the code facts/1 (and the rules) name it by.
_CODES: tuple[tuple[str, str], ...] = (
    ("clock skew too great", "KRB_AP_ERR_SKEW"),
    ("server not found in kerberos database", "KDC_ERR_S_PRINCIPAL_UNKNOWN"),
    ("cannot contact any kdc", "KDC_UNREACHABLE"),
    ("principal not unique", "KDC_ERR_PRINCIPAL_NOT_UNIQUE"),
    ("preauthentication failed", "KDC_ERR_PREAUTH_FAILED"),
    ("password incorrect", "KDC_ERR_PREAUTH_FAILED"),
    ("client not found in kerberos database", "KDC_ERR_C_PRINCIPAL_UNKNOWN"),
    ("message stream modified", "KRB_AP_ERR_MODIFIED"),
    ("kdc has no support for encryption type", "KDC_ERR_ETYPE_NOSUPP"),
)


class KerberosUnavailable(Exception):
    """The MIT Kerberos tools are not installed, or no user or password was given."""


@dataclasses.dataclass(frozen=True)
class TicketOutcome:
    spn: str
    code: str | None  # None: the ticket was issued
    message: str | None
    stage: str  # kinit (the user's TGT) or kvno (the service ticket)


def available() -> bool:
    return shutil.which("kinit") is not None and shutil.which("kvno") is not None


def code_of(message: str) -> str:
    lowered = message.lower()
    for text, code in _CODES:
        if text in lowered:
            return code
    return "KRB_ERROR"


def request_tickets(
    realm: str,
    kdcs: list[str],
    user: str | None,
    password: Secret | None,
    spns: list[str],
    timeout: float,
) -> list[TicketOutcome]:
    """Get a TGT for ``user`` from ``kdcs`` (without a user or password: the caller's ticket,
    copied into the private cache), then a service ticket for each SPN."""
    if not available():
        raise KerberosUnavailable("kinit and kvno (MIT Kerberos, krb5-user) are not installed")
    realm = realm.upper()
    with tempfile.TemporaryDirectory(prefix="kbdoctor-krb5-") as folder:
        config = os.path.join(folder, "krb5.conf")
        kdc_lines = "".join(f"        kdc = {kdc}\n" for kdc in kdcs)
        with open(config, "w", encoding="utf-8") as handle:
            handle.write(
                "[libdefaults]\n"
                f"    default_realm = {realm}\n"
                "    dns_lookup_kdc = false\n"
                "    dns_lookup_realm = false\n"
                "    kdc_timesync = 0\n"
                "    rdns = false\n"
                f"[realms]\n    {realm} = {{\n{kdc_lines}    }}\n"
            )
        env = dict(os.environ, KRB5_CONFIG=config, KRB5CCNAME=f"FILE:{folder}/ccache")
        env.pop("KRB5_KTNAME", None)
        limit = timeout * 3 + 5
        if user is None or password is None:
            gss.copy_ticket(env["KRB5CCNAME"])  # OSError when there is none
            return [_kvno(spn, env, limit) for spn in spns]
        principal = user if "@" in user else f"{user}@{realm}"
        try:
            done = subprocess.run(
                ["kinit", principal],
                input=password.reveal() + "\n",
                capture_output=True,
                text=True,
                env=env,
                timeout=limit,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return [TicketOutcome(s, "KDC_UNREACHABLE", "kinit timed out", "kinit") for s in spns]
        if done.returncode != 0:
            message = password.scrub(_last_line(done.stderr))
            return [TicketOutcome(s, code_of(message), message, "kinit") for s in spns]
        return [_kvno(spn, env, limit) for spn in spns]


def _kvno(spn: str, env: dict[str, str], limit: float) -> TicketOutcome:
    """A service ticket for ``spn`` on the cache and configuration ``env`` names."""
    try:
        asked = subprocess.run(
            ["kvno", spn],
            capture_output=True,
            text=True,
            env=env,
            timeout=limit,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return TicketOutcome(spn, "KDC_UNREACHABLE", "kvno timed out", "kvno")
    if asked.returncode == 0:
        return TicketOutcome(spn, None, None, "kvno")
    message = _last_line(asked.stderr)
    return TicketOutcome(spn, code_of(message), message, "kvno")


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no message"
