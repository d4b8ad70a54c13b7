"""The key footer, rebuilt only when the keys it shows change.

Textual's footer rebuilds all its key widgets whenever the screen says its bindings may have
changed: at every focus change, and several times while the application starts. Each rebuild
mounts and styles a widget per key, which is a good part of the first paint and of moving the
focus between panes whose keys are the same. This footer compares what it would show with what
it shows and leaves itself alone when nothing changed.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Footer

Shown = tuple[tuple[tuple[Binding, bool, str], ...], bool, bool]


class KeyFooter(Footer):
    def __init__(self) -> None:
        super().__init__(compact=True)
        self._shown: Shown | None = None

    def _would_show(self) -> Shown:
        bindings = tuple(
            (binding, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )
        return (bindings, self.show_command_palette, self.combine_groups)

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        shown = self._would_show() if self._bindings_ready else None
        if shown is not None and shown == self._shown:
            return
        self._shown = shown
        await super().recompose()
