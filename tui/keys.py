"""Localised key bindings: a binding's description is a catalogue key until it is shown.

Textual reads a binding's description when it draws the footer, the key panel and the help
screen; descriptions written as ``tui.key.*`` keys are replaced by their text in the current
language, and replaced again when the language changes, so that no widget keeps an English label.
"""

from __future__ import annotations

from dataclasses import replace

from kbdoctor.tui.compat import class_bindings, replace_bindings
from kbdoctor.tui.i18n import Lang, t
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

KEY_PREFIX = "tui.key."


def localise_bindings(node: DOMNode, lang: Lang) -> None:
    """Give ``node``'s bindings descriptions in ``lang`` (from its class bindings, so it can be
    called again on every language change)."""
    merged = class_bindings(type(node))
    if merged is None:
        return
    replace_bindings(
        node,
        BindingsMap.from_keys(
            {
                key: [_localised(binding, lang) for binding in bindings]
                for key, bindings in merged.key_to_bindings.items()
            }
        ),
    )


def _localised(binding: Binding, lang: Lang) -> Binding:
    """The description (and the tooltip: the longer text the help screen shows) in ``lang``."""
    description, tooltip = binding.description, binding.tooltip
    if description.startswith(KEY_PREFIX):
        description = t(description, lang)
    if tooltip.startswith(KEY_PREFIX):
        tooltip = t(tooltip, lang)
    if (description, tooltip) == (binding.description, binding.tooltip):
        return binding
    return replace(binding, description=description, tooltip=tooltip)


def binding_rows(node_class: type[DOMNode], lang: Lang) -> list[tuple[str, str]]:
    """The documented bindings of a class: (key as a person types it, description in ``lang``;
    the tooltip when there is one, as the longer of the two). Hidden bindings are listed too:
    the help screen is where every key is found."""
    merged = class_bindings(node_class)
    rows: list[tuple[str, str]] = []
    if merged is None:
        return rows
    for _key, binding in merged:
        if binding.description.startswith(KEY_PREFIX):
            text = (
                binding.tooltip if binding.tooltip.startswith(KEY_PREFIX) else binding.description
            )
            rows.append((key_display(binding.key), t(text, lang)))
    return rows


def key_display(key: str) -> str:
    names = {"slash": "/", "question_mark": "?", "escape": "Esc", "enter": "Enter"}
    shown = []
    for one in key.split(","):
        *modifiers, last = one.split("+")
        last = names.get(last, last.upper() if modifiers or len(last) > 1 else last)
        shown.append("+".join([*(m.capitalize() for m in modifiers), last]))
    return " / ".join(shown)
