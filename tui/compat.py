"""Every use of a private Textual API, in one place.

Textual has no public way to give a widget's key bindings new descriptions after it is built,
and the footer, the key panel and the help screen read those descriptions. Switching the
language at run time (``tui/keys.py``) therefore reads a class's merged bindings and replaces a
node's own, both private attributes. They are reached only through the two functions below, and
``tests/tui/test_compat.py`` checks on the installed Textual that each still exists and works,
so an upgrade that removes one fails that test, not the language switch in a user's terminal.

The command palette writes "No matches found" in English inside a private method; the palette
kbdoctor opens (``LocalisedCommandPalette``) replaces that line with the catalogue's words, and
its private names are checked in the same test.
"""

from __future__ import annotations

from contextlib import suppress

from rich.align import Align
from rich.text import Text
from textual.binding import BindingsMap
from textual.command import CommandList, CommandPalette, ProviderSource
from textual.dom import DOMNode
from textual.widgets.option_list import OptionDoesNotExist

# the private names used, checked by tests/tui/test_compat.py
PRIVATE_NAMES = ("_merged_bindings", "_bindings")
# the command palette's: its "No matches found" line is written in English inside a private
# method, with no parameter or message to change it
PALETTE_PRIVATE_NAMES = ("_start_no_matches_countdown", "_NO_MATCHES", "_NO_MATCHES_COUNTDOWN")


def class_bindings(node_class: type[DOMNode]) -> BindingsMap | None:
    """The bindings of a DOM node class merged with those of its bases, as Textual computed them
    when the class was created (None before Textual has merged them)."""
    merged = node_class._merged_bindings
    return merged if isinstance(merged, BindingsMap) else None


def replace_bindings(node: DOMNode, bindings: BindingsMap) -> None:
    """Make ``bindings`` the bindings ``node`` answers to and shows."""
    node._bindings = bindings


class LocalisedCommandPalette(CommandPalette):
    """Textual's command palette with its own words in the language shown: the placeholder
    through the public parameter, and the "No matches found" line, which Textual adds after a
    countdown, replaced by ``no_matches`` as soon as it is there (through the list's public
    ``replace_option_prompt``)."""

    def __init__(
        self,
        providers: ProviderSource | None = None,
        *,
        placeholder: str,
        no_matches: str,
        id: str | None = None,
    ) -> None:
        super().__init__(providers, placeholder=placeholder, id=id)
        self.no_matches = no_matches

    def _start_no_matches_countdown(self, search_value: str) -> None:
        super()._start_no_matches_countdown(search_value)
        if search_value:
            # just after Textual's own countdown (a timer set later with a later time runs later)
            self.set_timer(self._NO_MATCHES_COUNTDOWN + 0.01, self._localise_no_matches)

    def _localise_no_matches(self) -> None:
        with suppress(OptionDoesNotExist):  # matches came in meanwhile
            self.query_one(CommandList).replace_option_prompt(
                self._NO_MATCHES, Align.center(Text(self.no_matches, style="not bold"))
            )
