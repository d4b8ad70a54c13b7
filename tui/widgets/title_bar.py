"""The title line: icon, title and subtitle, drawn by one widget.

Textual's Header is four widgets (the bar, the icon, the title and the space of the clock), each
mounted and styled before the first screen can be painted; the first paint has a budget of one
second, and a line of text needs none of that. It looks like Textual's header (the same colours
and title format), and a click on the icon opens the command palette, as there.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widget import Widget

ICON = "✚"
SIDE = 8  # cells kept on each side of the title: the icon on the left, balance on the right


class TitleBar(Widget):
    """The application's title and subtitle, centred, with the icon on the left."""

    def on_mount(self) -> None:
        self.watch(self.app, "title", self._retitle, init=False)
        self.watch(self.app, "sub_title", self._retitle, init=False)

    def _retitle(self) -> None:
        self.refresh()

    def render(self) -> Content:
        room = max(self.size.width - 2 * SIDE, 0)
        title = self.app.format_title(self.app.title, self.app.sub_title)
        return Content.assemble(
            Content(f" {ICON}").pad_right(SIDE - 2),
            title.center(room, ellipsis=True),
            Content(" " * SIDE),
        )

    async def on_click(self, event: events.Click) -> None:
        if event.x < SIDE and self.app.ENABLE_COMMAND_PALETTE:
            event.stop()
            await self.run_action("app.command_palette")
