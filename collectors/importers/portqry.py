"""``portqry -n DC01 -e 88 -p both`` (PortQry 2.0, also ``-o 88,464`` and ``-r 80:90``): whether
TCP and UDP ports of a target answer. PortQry is the one common Windows tool that tests UDP 88.

PortQry is an English-only tool: its lines are the same on every Windows. One run::

    Querying target system called:

     dc01.corp.example.com

    Attempting to resolve name to IP address...

    Name resolved to 10.0.0.10

    querying...

    TCP port 88 (kerberos service): LISTENING

    UDP port 88 (kerberos service): LISTENING or FILTERED

The states map to ``port_state`` facts as follows:

=========================  ==========  ===================================================
PortQry says               state       why
=========================  ==========  ===================================================
``LISTENING``              open        a TCP handshake completed, or the UDP port answered
``NOT LISTENING``          closed      a TCP reset, or ICMP "port unreachable" for UDP
``FILTERED``               filtered    no answer at all to a TCP connection attempt
``LISTENING or FILTERED``  unknown     a UDP datagram got no answer: a service that ignores
                                       an empty datagram and a firewall that drops it look
                                       alike; Kerberos does not answer an empty datagram,
                                       so UDP 88 through a working path reads like this too
=========================  ==========  ===================================================

``LISTENING or FILTERED`` becomes ``open`` only when PortQry then shows an answer: its
protocol-specific query got a response (``Server's response:``, ``LDAP query response:`` with
data after it) or it prints ``UDP port 389 is LISTENING``. Without one it is ``unknown``, never
``open``: claiming an open port there would hide a firewall that drops Kerberos over UDP.

The target is the name after ``Querying target system called:`` (or the ``-n`` of the command
line when the output was cut). The machine the test ran on is not in the output, except in a
log file written with ``-l``, which has a ``Local computer name:`` line; otherwise the host given
with ``--host`` (or the folder's name) is used, as for Test-NetConnection. With neither, a
warning says so and no fact is made: the probing host is never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from kbdoctor.collectors.importers.base import (
    Material,
    ReaderBase,
    ReadResult,
    source_for,
    warning,
)
from kbdoctor.collectors.segments import command_argument, command_of, prompt_command
from kbdoctor.engine.facts import PortState

_RESULT = re.compile(
    r"^(?P<proto>TCP|UDP) port (?P<port>\d{1,5}) \((?P<service>[^)]*)\): "
    r"(?P<state>LISTENING or FILTERED|NOT LISTENING|LISTENING|FILTERED)\s*$",
    re.IGNORECASE,
)
_VERDICT = re.compile(
    r"^(?P<proto>TCP|UDP) port (?P<port>\d{1,5}) is "
    r"(?P<state>LISTENING or FILTERED|NOT LISTENING|LISTENING|FILTERED)\b",
    re.IGNORECASE,
)
_RESULTISH = re.compile(r"^(?:TCP|UDP) port \S", re.IGNORECASE)
_QUERYING = re.compile(r"^Querying target system called:\s*(?P<host>.*?)\s*$", re.IGNORECASE)
_LOCAL_NAME = re.compile(r"^Local computer name:\s*(?P<host>.*?)\s*$", re.IGNORECASE)
_RESPONSE = re.compile(r"(?:^Server's response|query response):\s*$", re.IGNORECASE)
_END_OF_RESPONSE = re.compile(r"^=+ ?End of .* response ?=+$", re.IGNORECASE)
_FAILED = re.compile(
    r"^(?:Failed to resolve|Error\b|Unable to resolve|.*\bcould not be resolved\b)",
    re.IGNORECASE,
)
# A DNS or NetBIOS name, or an IPv4/IPv6 address: what a target or a local name must look like.
_HOST = re.compile(
    r"^(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_-]{1,63})*\.?"
    r"|\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.%]+)$"
)

State = Literal["open", "closed", "filtered", "unknown"]

_STATES: dict[str, State] = {
    "listening": "open",
    "not listening": "closed",
    "filtered": "filtered",
    "listening or filtered": "unknown",
}


def _clean(line: str) -> str:
    """A line without the markers of a forum quote (``> ``) and surrounding white space."""
    return re.sub(r"^(?:>\s?)+", "", line.strip()).strip()


def _is_host(text: str) -> bool:
    return bool(text) and len(text) <= 253 and _HOST.match(text) is not None


def _value_after(lines: list[str], index: int, same_line: str) -> tuple[str, int]:
    """The value of a ``Label:`` line: on the line itself, or on the next non-blank line (the
    usual layout, the value indented by one space)."""
    if same_line:
        return same_line, index
    for following in range(index + 1, min(index + 4, len(lines))):
        text = _clean(lines[following])
        if text:
            return (text, following) if " " not in text else ("", index)
    return "", index


@dataclass
class _Result:
    index: int
    protocol: str
    port: int
    state: State
    target: str | None
    last: int


class PortQryReader(ReaderBase):
    """PortQry's port results as ``port_state`` facts.

    Sample input (``portqry -n dc01 -e 88 -p both``)::

        Querying target system called:

         dc01

        Attempting to resolve name to IP address...

        Name resolved to 10.0.0.10

        querying...

        TCP port 88 (kerberos service): LISTENING

        UDP port 88 (kerberos service): LISTENING or FILTERED

    gives ``port_state`` dc01 88/tcp ``open`` and dc01 88/udp ``unknown`` from the host of
    ``--host`` (PortQry does not name the machine it ran on).

    Facts: port_state
    """

    program = "portqry"
    name = "portqry"
    command = "portqry -n DC01 -e 88 -p both > portqry-DC01-88.txt"

    def _sniff(self, material: Material) -> bool:
        if self.typed_command(material) is not None:
            return True
        for line in material.lines()[:4000]:
            text = _clean(line)
            if _RESULT.match(text) or _QUERYING.match(text):
                return True
        return False

    def _read(self, material: Material, result: ReadResult) -> None:
        lines = material.lines()
        command = command_of(material)
        target = command_argument(command, "n")
        target = target if target and _is_host(target) else None
        local: str | None = None
        results: list[_Result] = []
        for index, raw in enumerate(lines):
            text = _clean(raw)
            if not text:
                continue
            typed = prompt_command(raw)
            if typed is not None:
                named = command_argument(typed, "n")
                if named and _is_host(named):
                    target = named
                if typed.lower() == "hostname":
                    local = self._hostname_output(lines, index) or local
                continue
            querying = _QUERYING.match(text)
            local_name = _LOCAL_NAME.match(text)
            if querying or local_name:
                label = querying or local_name
                assert label is not None
                value, _ = _value_after(lines, index, label.group("host"))
                if not _is_host(value):
                    result.warnings.append(
                        warning(material, index, "portqry.bad_host", text=value[:80] or text)
                    )
                elif querying:
                    target = value
                else:
                    local = value
                continue
            match = _RESULT.match(text)
            if match:
                port = int(match.group("port"))
                if not 1 <= port <= 65535:
                    result.warnings.append(warning(material, index, "portqry.bad_port", port=port))
                    continue
                results.append(
                    _Result(
                        index,
                        match.group("proto").lower(),
                        port,
                        _STATES[match.group("state").lower()],
                        target,
                        index,
                    )
                )
                continue
            verdict = _VERDICT.match(text)
            if verdict:
                self._settle(results, verdict, index)
                continue
            if _RESPONSE.search(text) and self._answered(lines, index):
                if results and results[-1].state == "unknown":
                    results[-1].state = "open"
                    results[-1].last = index
                continue
            if _RESULTISH.match(text):
                result.warnings.append(
                    warning(material, index, "portqry.not_result_line", text=text[:80])
                )
            elif _FAILED.match(text):
                result.warnings.append(warning(material, index, "portqry.failed", text=text[:80]))
        probe = local or (material.host_hint.name if material.host_hint else None)
        for item in results:
            if item.target is None:
                result.warnings.append(warning(material, item.index, "portqry.no_target"))
                continue
            if probe is None:
                result.warnings.append(warning(material, item.index, "portqry.no_host"))
                continue
            result.facts.append(
                PortState(
                    source=probe,
                    target=item.target,
                    port=item.port,
                    protocol="tcp" if item.protocol == "tcp" else "udp",
                    state=item.state,
                    provenance=source_for(self, material, item.index, item.last, command=command),
                )
            )

    @staticmethod
    def _settle(results: list[_Result], verdict: re.Match[str], index: int) -> None:
        """``UDP port 389 is LISTENING`` after the protocol query: the final word on the last
        result for that port."""
        protocol, port = verdict.group("proto").lower(), int(verdict.group("port"))
        for found in reversed(results):
            if found.protocol == protocol and found.port == port:
                found.state = _STATES[verdict.group("state").lower()]
                found.last = index
                return

    @staticmethod
    def _answered(lines: list[str], index: int) -> bool:
        """Whether a ``...response:`` heading is followed by data (not by the next result)."""
        for following in lines[index + 1 : index + 6]:
            text = _clean(following)
            if not text:
                continue
            return not (
                _RESULT.match(text)
                or _VERDICT.match(text)
                or _END_OF_RESPONSE.match(text)
                or text.lower().startswith(("none", "no response"))
            )
        return False

    @staticmethod
    def _hostname_output(lines: list[str], index: int) -> str | None:
        """The one line a ``hostname`` command printed, when it is shaped like a host name."""
        for following in lines[index + 1 : index + 3]:
            text = _clean(following)
            if text:
                return text if _is_host(text) else None
        return None


READERS = (PortQryReader(),)
