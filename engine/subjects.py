"""What a conclusion is about: its subject, as shown to people and as keyed for combining evidence.

Certainty factors are combined per subject (MYCIN attached every factor to one context), so a
subject must be as fine as the evidence: a port *path*, a *pair* of clocks, an SPN, a replication
*link*. A cause declares the parts of its subject (:class:`SubjectDef`); every rule concluding the
cause names each part, and the loader refuses a rule that does not (:func:`subject_problems`), so
no rule author can let "port 88 open to DC02" weaken "port 88 filtered to DC01" again.

A part written ``*`` is not known (Kerberos said "clock skew" but not against which clock). It is
kept in the key, so an unknown part never merges with a known one, and ignored when the subject is
placed on a failing path. Counter-evidence must name every part: evidence that something is
healthy speaks only about what was observed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kbdoctor.engine.names import HostRegistry, account_name, spn_host, spn_name
from kbdoctor.engine.rules_model import UNKNOWN_PART, Rule, SubjectDef
from kbdoctor.engine.templates import placeholders, render

SEPARATOR = "\x1f"


def unknown(value: Any) -> bool:
    """Whether a rendered value says nothing: empty, ``*`` (a part the evidence does not know) or
    ``?`` (how a template renders a field the fact does not have)."""
    return value is None or (isinstance(value, str) and value.strip() in ("", UNKNOWN_PART, "?"))


def name_key(kind: str, value: str, registry: HostRegistry) -> str:
    """The key of one value of a kind: names compared the way Windows compares them."""
    if kind == "host":
        return registry.key(value)
    if kind == "account":
        return account_name(value)
    if kind == "spn":
        return spn_name(value)
    return value.strip().lower() if kind != "number" else value.strip()


@dataclass(frozen=True)
class Subject:
    display: str
    key: str
    parts: dict[str, str]  # part -> value as shown ("*" when not known)
    # (host key or None when not known, the role it must play on a failing path)
    locators: tuple[tuple[str | None, str], ...]


@dataclass(frozen=True)
class Shape:
    """The subject shape of one conclusion target: a plain kind, or a cause's parts."""

    kind: str
    definition: SubjectDef | None = None

    def subject(
        self, template: str | Mapping[str, str], bindings: Mapping[str, Any], registry: HostRegistry
    ) -> Subject:
        definition = self.definition
        if definition is None:
            assert isinstance(template, str), "checked when the rules were loaded"
            display = render(template, bindings)
            key = name_key(self.kind, display, registry)
            locator = (_locator(self.kind, key, registry), "party")
            return Subject(display, key, {"subject": display}, (locator,))
        assert not isinstance(template, str), "checked when the rules were loaded"
        shown: dict[str, str] = {}
        keys: dict[str, str] = {}
        for name, kind in definition.parts.items():
            value = render(template[name], bindings).strip()
            if unknown(value):
                shown[name] = keys[name] = UNKNOWN_PART
            else:
                shown[name] = value
                keys[name] = name_key(kind, value, registry)
        if definition.unordered:
            names = list(definition.parts)
            pairs = sorted(
                ((keys[n], shown[n]) for n in names), key=lambda p: (p[0] == UNKNOWN_PART, p[0])
            )
            for name, (k, v) in zip(names, pairs, strict=True):
                keys[name], shown[name] = k, v
        key = SEPARATOR.join(f"{n}={keys[n]}" for n in definition.parts)
        locators = tuple(
            (
                None
                if keys[n] == UNKNOWN_PART
                else _locator(definition.parts[n], keys[n], registry),
                role,
            )
            for n, role in definition.roles.items()
        )
        return Subject(render(definition.text, shown), key, shown, locators)


def shape_of(kind: str, subject: str | SubjectDef) -> Shape:
    if isinstance(subject, SubjectDef):
        return Shape("parts", subject)
    return Shape(subject)


def machine_of(kind: str, value: str, registry: HostRegistry) -> str | None:
    """The host key of the machine a subject value names (a host, an account, an SPN), or None
    (a text, a number, or a value not known)."""
    if unknown(value):
        return None
    return _locator(kind, name_key(kind, value, registry), registry)


def _locator(kind: str, key: str, registry: HostRegistry) -> str | None:
    """The host key a subject value stands for, when it stands for a machine."""
    if kind == "host":
        return key
    if kind == "spn":
        host = spn_host(key)
        return registry.key(host) if host else None
    if kind == "account":
        return registry.key(key) if key else None
    return None


def subject_problems(rule: Rule, definition: SubjectDef | None) -> list[tuple[str, dict[str, Any]]]:
    """Why a rule's subject does not fit its cause's declared subject (message keys and values)."""
    subject = rule.conclude.subject
    if definition is None:
        if not isinstance(subject, str):
            return [("error.rules_subject_not_parts", {})]
        return []
    if isinstance(subject, str):
        return [("error.rules_subject_parts", {"parts": ", ".join(definition.parts)})]
    problems: list[tuple[str, dict[str, Any]]] = []
    given, declared = set(subject), set(definition.parts)
    if given != declared:
        problems.append(
            (
                "error.rules_subject_parts",
                {"parts": ", ".join(definition.parts)},
            )
        )
    if rule.conclude.cf < 0:
        vague = sorted(
            name
            for name, template in subject.items()
            if name in declared and (template.strip() == UNKNOWN_PART or not _binds(template))
        )
        if vague:
            problems.append(("error.rules_subject_vague", {"parts": ", ".join(vague)}))
    return problems


def _binds(template: str) -> bool:
    try:
        return any(sub is not None for _, sub in placeholders(template))
    except ValueError:
        return True  # a broken template is reported by the template check
