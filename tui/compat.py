"""Every use of a private Textual API, in one place.

Textual has no public way to give a widget's key bindings new descriptions after it is built,
and the footer, the key panel and the help screen read those descriptions. Switching the
language at run time (``tui/keys.py``) therefore reads a class's merged bindings and replaces a
node's own, both private attributes. They are reached only through the two functions below, and
``tests/tui/test_compat.py`` checks on the installed Textual that each still exists and works,
so an upgrade that removes one fails that test, not the language switch in a user's terminal.
"""

from __future__ import annotations

from textual.binding import BindingsMap
from textual.dom import DOMNode

# the private names used, checked by tests/tui/test_compat.py
PRIVATE_NAMES = ("_merged_bindings", "_bindings")


def class_bindings(node_class: type[DOMNode]) -> BindingsMap | None:
    """The bindings of a DOM node class merged with those of its bases, as Textual computed them
    when the class was created (None before Textual has merged them)."""
    merged = node_class._merged_bindings
    return merged if isinstance(merged, BindingsMap) else None


def replace_bindings(node: DOMNode, bindings: BindingsMap) -> None:
    """Make ``bindings`` the bindings ``node`` answers to and shows."""
    node._bindings = bindings
