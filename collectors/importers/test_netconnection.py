"""``Test-NetConnection -ComputerName DC01 -Port 88`` (PowerShell, default, ``| Format-List`` or
``-InformationLevel Detailed`` view).

Property names stay English in every language of Windows; only the cmdlet's warning is
localised, and it is recognised by structure (the word TCP and a parenthesised address and
port), so this reader has no label table. One block per test, blank lines between blocks::

    WARNING: TCP connect to (10.0.0.10 : 88) failed
    ComputerName     : dc01.corp.example.com
    RemoteAddress    : 10.0.0.10
    RemotePort       : 88
    InterfaceAlias   : Ethernet
    SourceAddress    : 10.0.0.21
    TcpTestSucceeded : False

The output does not name the machine the test ran on except by its ``SourceAddress``; the host
given with ``--host`` (or the folder's name) is used, the address when neither is known.
Test-NetConnection tests TCP only, so every fact is ``protocol: tcp``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kbdoctor.collectors.importers.base import (
    ImportWarning,
    Material,
    ReaderBase,
    ReadResult,
    source_for,
    warning,
)
from kbdoctor.collectors.segments import command_of, prompt_command
from kbdoctor.collectors.shapes import is_host
from kbdoctor.engine.facts import PortState

_PROPERTY = re.compile(
    r"^(?P<key>[A-Za-z][A-Za-z0-9]*(?:\s\([A-Za-z]+\))?)\s*:\s?(?P<value>.*)$"
)
_WARNING = re.compile(
    r"^\S[^:]*:\s.*?\(\s*(?P<target>[^\s()]+)\s*:\s*(?P<port>\d{1,5})\s*\)", re.IGNORECASE
)
_MARKERS = ("TcpTestSucceeded", "PingSucceeded")


def _is_tcp_warning(line: str) -> bool:
    """``WARNING: TCP connect to (10.0.0.10 : 88) failed`` in any language: the word TCP and a
    parenthesised address and port."""
    return "tcp" in line.lower() and _WARNING.match(line) is not None


@dataclass
class _Block:
    first: int
    last: int
    values: dict[str, str] = field(default_factory=dict)


def _blocks(lines: list[str]) -> tuple[list[_Block], list[tuple[int, str]]]:
    """The property blocks, and the lines that are neither properties nor continuations."""
    blocks: list[_Block] = []
    other: list[tuple[int, str]] = []
    current: _Block | None = None
    key: str | None = None
    for index, line in enumerate(lines):
        if not line.strip():
            current, key = None, None
            continue
        match = None if _is_tcp_warning(line.strip()) else _PROPERTY.match(line)
        if match and not line[:1].isspace():
            if current is None:
                current = _Block(index, index)
                blocks.append(current)
            key = match.group("key")
            current.values[key] = match.group("value").strip()
            current.last = index
        elif current is not None and key is not None and line[:1].isspace():
            current.last = index  # a wrapped or multi-valued property
        else:
            other.append((index, line.strip()))
    return blocks, other


_CMDLET = re.compile(r"^\s*(?:Test-NetConnection|tnc)\b", re.IGNORECASE)
_SWITCHES_WITH_VALUE = frozenset(
    {"-computername", "-cn", "-remoteaddress", "-port", "-rp", "-remoteport", "-commontcpport",
     "-informationlevel", "-constrainsourceaddress", "-constraininterface", "-hops"}
)


def _typed(command: str | None) -> tuple[str | None, str | None]:
    """The target and the port a typed ``Test-NetConnection`` names: ``-ComputerName X`` or the
    first positional word, ``-Port N``. Only values of the right shape count."""
    if not command or not _CMDLET.match(command):
        return None, None
    words = command.split()[1:]
    target: str | None = None
    port: str | None = None
    index = 0
    while index < len(words):
        word = words[index].strip("\"'")
        lowered = word.lower()
        value = words[index + 1].strip("\"'") if index + 1 < len(words) else None
        if lowered in ("-computername", "-cn", "-remoteaddress") and value:
            target, index = value, index + 2
        elif lowered in ("-port", "-rp", "-remoteport") and value:
            port, index = value, index + 2
        elif lowered in _SWITCHES_WITH_VALUE:
            index += 2
        elif lowered.startswith("-") or word in ("|", ">", ">>"):
            if word in ("|", ">", ">>"):
                break
            index += 1
        else:
            target = target or word
            index += 1
    target = target if target and is_host(target) else None
    port = port if port and port.isdigit() else None
    return target, port


class TestNetConnectionReader(ReaderBase):
    """Every port test of the output, failed or successful, in order.

    Example (the machine it ran on given with ``--host``)::

        ComputerName     : 10.7.236.228
        RemoteAddress    : 10.7.236.228
        RemotePort       : 389
        InterfaceAlias   : Ethernet
        SourceAddress    : 10.7.236.242
        TcpTestSucceeded : True

    Facts: port_state
    """

    __test__ = False  # a reader, not a pytest test class

    program = "Test-NetConnection|tnc"
    name = "test-netconnection"
    command = "Test-NetConnection -ComputerName DC01 -Port 88 > tnc-DC01-88.txt"

    def _sniff(self, material: Material) -> bool:
        if self.typed_command(material) is not None:
            return True
        text = material.text or ""
        if any(_is_tcp_warning(line.strip()) for line in material.lines()[:5]):
            return True
        return "ComputerName" in text and any(
            re.search(rf"^{marker}\s*:", text, re.MULTILINE) for marker in _MARKERS
        )

    def _read(self, material: Material, result: ReadResult) -> None:
        command = command_of(material)
        lines = material.lines()
        blocks, other = _blocks(lines)
        failed: list[tuple[int, str, int]] = []
        for index, text in other:
            if prompt_command(lines[index]) is not None:
                continue
            refused = _WARNING.match(text)
            if refused:
                failed.append((index, refused.group("target"), int(refused.group("port"))))
            else:
                result.warnings.append(
                    warning(material, index, "tnc.not_tnc_line", text=text[:80])
                )
        covered: set[tuple[str, int]] = set()
        for block in blocks:
            fact = self._fact(material, command, block, result)
            if fact is not None:
                result.facts.append(fact)
                covered.add((fact.target.lower(), fact.port))
                address = block.values.get("RemoteAddress")
                if address:
                    covered.add((address.lower(), fact.port))
        for index, target, port in failed:
            if (target.lower(), port) in covered or not 1 <= port <= 65535:
                continue
            probe = self._source(material, {})
            if probe is None:
                result.warnings.append(self._no_source(material, index))
                continue
            result.facts.append(
                PortState(source=probe, target=target, port=port, protocol="tcp", state="closed",
                          provenance=source_for(self, material, index, command=command))
            )

    def _fact(
        self, material: Material, command: str | None, block: _Block, result: ReadResult
    ) -> PortState | None:
        values = block.values
        typed_target, typed_port = _typed(command)
        target = values.get("ComputerName") or values.get("RemoteAddress")
        port_text = values.get("RemotePort", "")
        succeeded = values.get("TcpTestSucceeded", "").lower()
        if succeeded in ("true", "false"):
            # a result pasted without its other lines: the command line names target and port
            target = target or typed_target
            port_text = port_text or typed_port or ""
        if not port_text:
            result.nothing_to_keep = True
            return None  # a ping-only test: nothing about ports to read
        if not target or not port_text.isdigit() or succeeded not in ("true", "false"):
            result.warnings.append(
                warning(material, block.first, "tnc.incomplete_block")
            )
            return None
        port = int(port_text)
        probe = self._source(material, values)
        if probe is None:
            result.warnings.append(self._no_source(material, block.first))
            return None
        if not 1 <= port <= 65535:
            result.warnings.append(
                warning(material, block.first, "tnc.bad_port", port=port)
            )
            return None
        return PortState(
            source=probe,
            target=target,
            port=port,
            protocol="tcp",
            state="open" if succeeded == "true" else "closed",
            provenance=source_for(self, material, block.first, block.last, command=command),
        )

    @staticmethod
    def _source(material: Material, values: dict[str, str]) -> str | None:
        if material.host_hint:
            return material.host_hint.name
        return values.get("SourceAddress") or None

    @staticmethod
    def _no_source(material: Material, index: int) -> ImportWarning:
        return warning(material, index, "tnc.no_host")


READERS = (TestNetConnectionReader(),)
