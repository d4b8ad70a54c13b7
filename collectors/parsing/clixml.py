"""PowerShell's CLIXML (``Export-Clixml``), read into plain objects with line numbers, shared by
readers whose cmdlet output is worth taking in its locale-independent form.

Sample (``Get-ReceiveConnector | Export-Clixml rc.xml``, shortened)::

    <Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
      <Obj RefId="0">
        <ToString>EX01\\Default EX01</ToString>
        <Props>
          <Obj N="AuthMechanism" RefId="1">
            <ToString>Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer</ToString>
            <I32>31</I32>
          </Obj>
          <S N="Name">Default EX01</S>
          <Ref N="Server" RefId="24" />

An object met a second time is written as ``<Ref RefId=...>`` and is resolved here. The parser is
expat with document type declarations refused, so that a crafted file cannot expand entities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.parsers import expat

from kbdoctor.collectors.messages import message

_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_NUMBER_TAGS = frozenset({"I32", "I64", "I16", "U32", "U64", "U16", "By", "SB"})


class ClixmlError(Exception):
    """The text is not CLIXML that can be read safely; ``line`` is 1-based within the text.

    It carries a key of the importer warnings' catalogue and its parameters, so that a reader
    can pass it on as a warning in the reader's language; ``message`` is the English text."""

    def __init__(self, key: str, line: int | None = None, /, **params: str) -> None:
        self.key = key
        self.params: tuple[tuple[str, str], ...] = tuple(sorted(params.items()))
        self.line = line
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return message(self.key, "en", **dict(self.params))


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    line: int
    end_line: int = 0
    parts: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)

    @property
    def text(self) -> str:
        return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), "".join(self.parts))

    def child(self, tag: str) -> Node | None:
        return next((c for c in self.children if c.tag == tag), None)


@dataclass(frozen=True)
class ClixmlObject:
    """One top-level object: its properties (adapted ``Props`` and extended ``MS``) by name."""

    to_string: str | None
    properties: dict[str, Node]
    first_line: int
    last_line: int
    refs: dict[str, Node]

    def node(self, name: str) -> Node | None:
        found = self.properties.get(name)
        seen = 0
        while found is not None and found.tag == "Ref" and seen < 50:
            found = self.refs.get(found.attrs.get("RefId", ""))
            seen += 1
        return None if found is None or found.tag in ("Nil", "Ref") else found

    def text(self, name: str) -> str | None:
        """A property as text: a primitive's value, or an object's ``ToString``."""
        found = self.node(name)
        if found is None:
            return None
        text = _object_text(found, self.refs)
        return text.strip() or None if text is not None else None

    def enum_value(self, name: str) -> int | str | None:
        """An enum as its integer when the file has it, else its names."""
        found = self.node(name)
        if found is None:
            return None
        numbers = [found] if found.tag in _NUMBER_TAGS else found.children
        for item in numbers:
            if item.tag in _NUMBER_TAGS and re.fullmatch(r"-?\d+", item.text.strip()):
                return int(item.text.strip())
        return self.text(name)

    def items(self, name: str) -> list[str] | None:
        """A collection's members as text (``ToString`` of objects)."""
        found = self.node(name)
        if found is None:
            return None
        holder = next((c for c in found.children if c.tag in ("LST", "IE", "STK", "QUE")), None)
        if holder is None:
            single = _object_text(found, self.refs)
            return [single.strip()] if single and single.strip() else []
        values: list[str] = []
        for member in holder.children:
            text = _object_text(member, self.refs)
            if text and text.strip():
                values.append(text.strip())
        return values


def _object_text(node: Node, refs: dict[str, Node]) -> str | None:
    seen = 0
    while node.tag == "Ref" and seen < 50:
        target = refs.get(node.attrs.get("RefId", ""))
        if target is None:
            return None
        node, seen = target, seen + 1
    if node.tag == "Nil":
        return None
    if node.tag != "Obj":
        return node.text
    to_string = node.child("ToString")
    return to_string.text if to_string is not None else None


def parse_clixml(text: str) -> list[ClixmlObject]:
    """The top-level objects of a CLIXML document. Raises :class:`ClixmlError` for anything that
    is not well-formed XML or has a document type declaration."""
    root = _parse_tree(text)
    if root.tag != "Objs":
        raise ClixmlError("clixml.root_not_objs", root.line, tag=root.tag)
    refs: dict[str, Node] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if node.tag == "Obj" and "RefId" in node.attrs:
            refs.setdefault(node.attrs["RefId"], node)
        stack.extend(node.children)
    objects: list[ClixmlObject] = []
    for obj in root.children:
        if obj.tag != "Obj":
            continue
        properties: dict[str, Node] = {}
        for holder in obj.children:
            if holder.tag in ("Props", "MS"):
                for prop in holder.children:
                    if "N" in prop.attrs:
                        properties.setdefault(prop.attrs["N"], prop)
        to_string = obj.child("ToString")
        objects.append(
            ClixmlObject(
                to_string=to_string.text.strip() if to_string is not None else None,
                properties=properties,
                first_line=obj.line,
                last_line=max(obj.end_line, obj.line),
                refs=refs,
            )
        )
    return objects


def _parse_tree(text: str) -> Node:
    # Keep line numbers: the declaration (which may claim utf-16 for text already decoded) is
    # blanked, not removed.
    text = _DECLARATION.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text.lstrip("\ufeff"))
    parser = expat.ParserCreate()
    stack: list[Node] = []
    roots: list[Node] = []

    def refuse(*_args: object) -> None:
        raise ClixmlError("clixml.doctype", parser.CurrentLineNumber)

    def start(tag: str, attrs: dict[str, str]) -> None:
        node = Node(tag, dict(attrs), parser.CurrentLineNumber)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)

    def end(_tag: str) -> None:
        stack.pop().end_line = parser.CurrentLineNumber

    def characters(data: str) -> None:
        if stack:
            stack[-1].parts.append(data)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    try:
        parser.Parse(text, True)
    except expat.ExpatError as error:
        detail = expat.ErrorString(error.code) or str(error)
        raise ClixmlError("clixml.not_well_formed", error.lineno, detail=detail) from None
    if not roots:
        raise ClixmlError("clixml.no_element", 1)
    return roots[0]
