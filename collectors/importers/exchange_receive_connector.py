"""Readers of ``Get-ReceiveConnector`` output: which authentication each receive connector offers
(KB step 6: the connector that takes internal mail needs ``ExchangeServer``).

``Get-ReceiveConnector | Format-List`` (property names are English in every language)::

    AuthMechanism    : Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer
    Bindings         : {[::]:25, 0.0.0.0:25}
    PermissionGroups : AnonymousUsers, ExchangeUsers, ExchangeServers, ExchangeLegacyServers
    Server           : EX01
    Identity         : EX01\\Default EX01
    Name             : Default EX01

``Get-ReceiveConnector | Export-Clixml rc.xml`` carries each enum as names and as an integer
(``<ToString>Tls, Integrated</ToString><I32>3</I32>``); the integer is read, because it does not
depend on the locale. ``Get-ReceiveConnector | ConvertTo-Json`` writes enums as integers in
Windows PowerShell 5 and may write names in PowerShell 7; both are read, as one object or a list.

The bits are those of ``msExchSMTPReceiveInboundSecurityFlag`` (AuthMechanism) and of the
cmdlet's PermissionGroups; facts carry the names.
"""

from __future__ import annotations

import json
from abc import abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kbdoctor.collectors.importers.base import (
    Material,
    ReaderBase,
    ReadResult,
    source_for,
    warning,
)
from kbdoctor.collectors.parsing.clixml import ClixmlError, parse_clixml
from kbdoctor.collectors.parsing.exchange_flags import (
    AUTH_MECHANISMS,
    PERMISSION_GROUPS,
    decode_flags,
)
from kbdoctor.collectors.parsing.format_list import (
    Record,
    looks_like_listing,
    parse_records,
    split_list_value,
)
from kbdoctor.collectors.segments import command_argument, command_of
from kbdoctor.engine.facts import ReceiveConnector


def _split_identity(identity: str | None) -> tuple[str | None, str | None]:
    if not identity:
        return None, None
    server, sep, name = identity.strip().partition("\\")
    return (server.strip() or None, name.strip() or None) if sep else (None, identity.strip())


@dataclass(frozen=True)
class _Connector:
    """What every format yields before it becomes a fact."""

    server: str | None
    name: str | None
    identity: str | None
    auth: object
    permissions: object
    bindings: list[str] | None
    first: int
    last: int


def _to_fact(
    reader: _Base, material: Material, item: _Connector, result: ReadResult
) -> None:
    where = item.first
    ident_server, ident_name = _split_identity(item.identity)
    server = item.server or ident_server or command_argument(command_of(material), "Server")
    if not server and material.host_hint is not None:
        server = material.host_hint.name.strip()
    name = item.name or ident_name
    if not server or not name:
        result.warnings.append(
            warning(material, where, "receive_connector.without_name")
        )
        return
    auth = decode_flags(item.auth, AUTH_MECHANISMS)
    if auth is None:
        result.warnings.append(
            warning(material, where, "receive_connector.auth_unreadable", connector=name)
        )
        return
    permissions = decode_flags(item.permissions, PERMISSION_GROUPS)
    for label, decoded in (("AuthMechanism", auth), ("PermissionGroups", permissions)):
        if decoded is not None and decoded.unknown:
            result.warnings.append(
                warning(material, where, "receive_connector.unknown_flags", connector=name,
                        property=label, values=", ".join(decoded.unknown))
            )
    if not auth.complete:
        return  # the list could lack a mechanism that is set: said above, never stated
    result.facts.append(
        ReceiveConnector(
            server=server.strip(),
            name=name.strip(),
            auth_mechanisms=auth.names,
            # an incomplete list of groups is not read rather than stated
            permission_groups=(permissions.names if permissions is not None
                               and permissions.complete else None),
            bindings=item.bindings,
            provenance=source_for(reader, material, item.first, item.last),
        )
    )


class _Base(ReaderBase):
    """The three forms of ``Get-ReceiveConnector`` give the same connectors; each form says how
    to find them (:meth:`_connectors`), the facts are made here."""

    def _read(self, material: Material, result: ReadResult) -> None:
        for item in list(self._connectors(material, result)):
            _to_fact(self, material, item, result)

    @abstractmethod
    def _connectors(self, material: Material, result: ReadResult) -> Iterable[_Connector]:
        """The connectors of ``material``, with a warning in ``result`` for what is unread."""


class FormatListReader(_Base):
    r"""Example (``Get-ReceiveConnector | Format-List``, shortened)::

        AuthMechanism                           : Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer
        Bindings                                : {[::]:2525, 0.0.0.0:2525}
        PermissionGroups                        : ExchangeUsers, ExchangeServers, ExchangeLegacyServers
        Server                                  : EX01
        Identity                                : EX01\Default EX01
        Name                                    : Default EX01

    Facts: receive_connector
    """  # noqa: E501 - a real sample keeps its width

    name = "exchange-receive-connector"
    command = "Get-ReceiveConnector | Format-List"

    def _sniff(self, material: Material) -> bool:
        return looks_like_listing(material, ("AuthMechanism",), needed=1)

    def _connectors(self, material: Material, result: ReadResult) -> Iterable[_Connector]:
        for record in parse_records(material):
            if record.get("AuthMechanism") is None:
                continue
            yield self._connector(material, record, result)

    @staticmethod
    def _connector(material: Material, record: Record, result: ReadResult) -> _Connector:
        bindings_field = record.get("Bindings")
        bindings = None
        if bindings_field is not None:
            bindings = split_list_value(bindings_field.value)
            if "..." in bindings_field.value:
                result.warnings.append(
                    warning(material, bindings_field.first, "receive_connector.bindings_cut")
                )
        return _Connector(
            server=record.value("Server"),
            name=record.value("Name"),
            identity=record.value("Identity"),
            auth=record.value("AuthMechanism") or "",
            permissions=record.value("PermissionGroups"),
            bindings=bindings,
            first=record.first,
            last=record.last,
        )


class ClixmlReader(_Base):
    r"""Example (``Export-Clixml``, shortened to the properties read)::

        <Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
          <Obj RefId="0">
            <ToString>EX01\Default EX01</ToString>
            <Props>
              <Obj N="AuthMechanism" RefId="1">
                <ToString>Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer</ToString>
                <I32>31</I32>
              </Obj>
              <S N="Server">EX01</S>
              <S N="Name">Default EX01</S>
            </Props>
          </Obj>
        </Objs>

    Facts: receive_connector
    """

    name = "exchange-receive-connector-clixml"
    command = "Get-ReceiveConnector | Export-Clixml receive-connectors.xml"

    def _sniff(self, material: Material) -> bool:
        text = material.text or ""
        return "<Objs" in text[:2000] and 'N="AuthMechanism"' in text

    def _connectors(self, material: Material, result: ReadResult) -> Iterable[_Connector]:
        try:
            objects = parse_clixml(material.text or "")
        except ClixmlError as error:
            result.warnings.append(
                warning(material, error.line - 1 if error.line else None, error.key,
                        **dict(error.params))
            )
            return
        for obj in objects:
            if "AuthMechanism" not in obj.properties:
                continue
            yield _Connector(
                server=obj.text("Server"),
                name=obj.text("Name"),
                identity=obj.text("Identity") or obj.to_string,
                auth=obj.enum_value("AuthMechanism"),
                permissions=obj.enum_value("PermissionGroups"),
                bindings=obj.items("Bindings"),
                first=obj.first_line - 1,
                last=obj.last_line - 1,
            )


class JsonReader(_Base):
    """Example (``ConvertTo-Json`` of PowerShell 7, shortened)::

        {
          "AuthMechanism": "Tls, BasicAuth, BasicAuthRequireTLS",
          "Bindings": [
            {
              "Address": "0.0.0.0",
              "AddressFamily": "InterNetwork",
              "Port": 25
            }
          ],
          "PermissionGroups": "AnonymousUsers, ExchangeServers",
          "Server": {
            "Name": "EX02"
          },
          "Identity": {
            "Name": "Default EX02"
          },
          "Name": "Default EX02"
        }

    Facts: receive_connector
    """

    name = "exchange-receive-connector-json"
    command = "Get-ReceiveConnector | ConvertTo-Json -Depth 3"

    def _sniff(self, material: Material) -> bool:
        text = (material.text or "").lstrip("\ufeff \t\n")
        return text[:1] in ("[", "{") and '"AuthMechanism"' in text

    def _connectors(self, material: Material, result: ReadResult) -> Iterable[_Connector]:
        text = (material.text or "").lstrip("\ufeff")
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as error:
            line = getattr(error, "lineno", None)
            result.warnings.append(
                warning(material, line - 1 if isinstance(line, int) else None,
                        "receive_connector.json_unreadable", detail=error)
            )
            return
        if isinstance(data, dict) and isinstance(data.get("value"), list):
            data = data["value"]  # Windows PowerShell's wrapper for an array piped as one
        items = data if isinstance(data, list) else [data]
        text_lines = material.lines()
        starts = [
            _object_start(text_lines, i)
            for i, line in enumerate(text_lines)
            if '"AuthMechanism"' in line
        ]
        last_line = max(len(text_lines) - 1, 0)
        position = 0
        for item in items:
            if not isinstance(item, dict) or "AuthMechanism" not in item:
                continue
            first = starts[position] if position < len(starts) else 0
            following = starts[position + 1] - 1 if position + 1 < len(starts) else last_line
            position += 1
            yield _Connector(
                server=_json_name(item.get("Server")),
                name=_json_text(item.get("Name")),
                identity=_json_text(item.get("Identity")),
                auth=_json_enum(item.get("AuthMechanism")),
                permissions=_json_enum(item.get("PermissionGroups")),
                bindings=_json_bindings(item.get("Bindings")),
                first=first,
                last=max(first, following),
            )


def _object_start(lines: list[str], index: int) -> int:
    """The line of the ``{`` that opens the object holding line ``index`` (braces inside
    strings are rare in this output and only shift the line number)."""
    depth = 0
    for back in range(index, -1, -1):
        for char in reversed(lines[back]):
            if char == "}":
                depth += 1
            elif char == "{":
                if depth == 0:
                    return back
                depth -= 1
    return index


def _json_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        for key in ("ToString", "DisplayName"):
            if isinstance(value.get(key), str):
                return str(value[key]).strip() or None
    return None


def _json_name(value: Any) -> str | None:
    """An ADObjectId such as ``Server`` is a string after remoting, an object locally."""
    if isinstance(value, dict) and isinstance(value.get("Name"), str):
        return str(value["Name"]).strip() or None
    return _json_text(value)


def _json_enum(value: Any) -> object:
    if isinstance(value, dict):
        for key in ("value", "Value", "value__"):
            if key in value:
                return _json_enum(value[key])
        return None
    if isinstance(value, list):
        return ", ".join(str(part) for part in value if isinstance(part, str | int))
    return value


def _json_bindings(value: Any) -> list[str] | None:
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    bindings: list[str] = []
    for item in items:
        if isinstance(item, str):
            bindings.append(item.strip())
        elif isinstance(item, dict):
            address = item.get("Address")
            if isinstance(address, dict):
                address = address.get("IPAddressToString") or address.get("ToString")
            port = item.get("Port")
            if isinstance(address, str) and isinstance(port, int):
                bindings.append(f"[{address}]:{port}" if ":" in address else f"{address}:{port}")
    return bindings


READERS = (FormatListReader(), ClixmlReader(), JsonReader())
