"""A table that renders only the rows on screen: a fixed header line, a row cursor, zebra stripes.

Textual's DataTable measures and lays out every cell of every row whenever its rows change; with
the 1,400 facts of a 100-server organisation, opening the facts tab took most of a second and so
did every keystroke of the filter. This table keeps its rows as keys, asks for a row's cells only
when the row is drawn, and remembers what it drew by key, so a keystroke costs the same for ten
rows or ten thousand, and a row still on screen after a filter narrows is not drawn again. It
does one job (show rows, move a cursor, say which row was chosen); what the rows mean is left to
the widget that owns it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

Cells = Callable[[int], Sequence[Text]]  # a row's key -> its cells, one Text per column


@dataclass(frozen=True)
class Column:
    """A column: its heading, and its width in cells (None: what the fixed columns leave)."""

    label: str
    width: int | None = None
    min_width: int = 8


def column_widths(columns: Sequence[Column], width: int) -> list[int]:
    """Widths that fit ``width`` with one blank between columns. The flexible columns share what
    the fixed ones leave; when that is less than their minimum, the widest fixed column gives
    way (a narrow terminal keeps every column, cut short, rather than losing the last ones)."""
    widths = [c.width if c.width is not None else 0 for c in columns]
    flexible = [i for i, c in enumerate(columns) if c.width is None]
    wanted = sum(columns[i].min_width for i in flexible)
    spare = width - max(len(columns) - 1, 0) - sum(widths)
    while spare < wanted:
        shrinkable = [
            i for i, c in enumerate(columns) if c.width is not None and widths[i] > c.min_width
        ]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: widths[i])
        shrunk = max(columns[widest].min_width, widths[widest] - (wanted - spare))
        spare += widths[widest] - shrunk
        widths[widest] = shrunk
    if flexible:
        share, extra = divmod(max(spare, 0), len(flexible))
        for n, i in enumerate(flexible):
            widths[i] = share + (1 if n < extra else 0)
    return widths


def fit(text: Text, width: int) -> Text:
    """The cell cut to ``width`` (with an ellipsis) or padded to it."""
    cell = text.copy()
    cell.no_wrap = True
    cell.end = ""
    cell.truncate(width, overflow="ellipsis", pad=True)
    return cell


class LineTable(ScrollView, can_focus=True):
    """Rows by key with a cursor; Enter (or a click on the cursor row) chooses the row."""

    BINDINGS = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "edge(-1)", show=False),
        Binding("end", "edge(1)", show=False),
        Binding("enter", "choose", show=False),
    ]
    COMPONENT_CLASSES = {
        "line-table--header",
        "line-table--cursor",
        "line-table--cursor-blurred",
        "line-table--even",
    }

    cursor_row: reactive[int] = reactive(0, always_update=False, init=False)

    class Chosen(Message):
        """The user chose a row (Enter, or a click on the row under the cursor)."""

        def __init__(self, table: LineTable, key: int) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> LineTable:
            return self.table

    def __init__(self, columns: Sequence[Column] = (), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._columns: list[Column] = list(columns)
        self._keys: list[int] = []
        self._cells: Cells = lambda key: ()
        self._index: dict[int, int] = {}  # key -> row
        # the lines drawn, by (key, width), before the row's look (cursor, stripe) is applied
        self._strips: LRUCache[tuple[int, int], Strip] = LRUCache(1024)
        self._looks: dict[str, Style] = {}  # the row styles, resolved once per style change

    # -- what the owner sets ------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._keys)

    @property
    def cursor_key(self) -> int | None:
        """The key of the row under the cursor (None when the table is empty)."""
        if not self._keys:
            return None
        return self._keys[min(self.cursor_row, len(self._keys) - 1)]

    def set_columns(self, columns: Sequence[Column]) -> None:
        self._columns = list(columns)
        self._forget()

    def set_rows(
        self,
        keys: Sequence[int],
        cells: Cells,
        *,
        keep: int | None = None,
        same_cells: bool = False,
    ) -> None:
        """Show these rows; the cursor stays on the row of ``keep`` when it is still shown.
        ``same_cells``: every key's cells are what they were before (only which rows are shown
        changed, as when a filter narrows), so a line drawn for a key before is drawn again
        from memory, and a line showing what it showed before is not drawn at all."""
        before, cursor_before = self._keys, self.cursor_row
        self._keys = list(keys)
        self._cells = cells
        self._index = {key: row for row, key in enumerate(self._keys)}
        self.virtual_size = Size(self.size.width, len(self._keys) + 1)  # + the header line
        row = self._index.get(keep, 0) if keep is not None else 0
        self.set_reactive(LineTable.cursor_row, min(row, max(len(self._keys) - 1, 0)))
        if same_cells:
            self._refresh_changed(before, cursor_before)
        else:
            self._forget()
        self._keep_cursor_visible()

    def _refresh_changed(self, before: Sequence[int], cursor_before: int) -> None:
        """Ask for the lines on screen whose row shows another key, or gained or lost the
        cursor (a change of the number of rows or of the scroll position redraws them all)."""
        top, cursor, keys = self.scroll_offset.y, self.cursor_row, self._keys
        for row in range(top, top + max(self.size.height - 1, 0)):
            was = (before[row] if row < len(before) else None, row == cursor_before)
            now = (keys[row] if row < len(keys) else None, row == cursor)
            if was != now:
                self.refresh_lines(row + 1)  # line 0 is the header

    def refresh_row(self, key: int) -> None:
        """Draw the row of ``key`` again (its cells changed)."""
        self._strips.discard((key, self.size.width))
        row = self._index.get(key)
        if row is not None:
            self.refresh_lines(row + 1)  # line 0 is the header

    def _forget(self) -> None:
        self._strips.clear()
        self.refresh()

    def _restyle(self) -> None:
        """Styles changed (theme, focus): every drawn line is stale."""
        self._looks.clear()
        self._strips.clear()
        self.refresh()

    # -- drawing --------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._restyle()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._keys) + 1)
        self._strips.clear()

    def on_focus(self) -> None:
        self._restyle()

    def on_blur(self) -> None:
        self._restyle()

    def _look(self, name: str) -> Style:
        """The style of a kind of line (the widget's own style under the component's); asking
        Textual for it walks every ancestor, so it is asked once per style change."""
        look = self._looks.get(name)
        if look is None:
            look = self.rich_style
            if name != "odd":
                look += self.get_component_rich_style(f"line-table--{name}")
            self._looks[name] = look
        return look

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            return self._header(width)
        row = self.scroll_offset.y + y - 1
        if row >= len(self._keys):
            return Strip.blank(width, self._look("odd"))
        if row == self.cursor_row:
            look = "cursor" if self.has_focus else "cursor-blurred"
        else:
            look = "even" if row % 2 == 0 else "odd"
        key = self._keys[row]
        strip = self._strips.get((key, width))
        if strip is None:
            strip = self._strip(self._cells(key), width)
            self._strips[key, width] = strip
        return strip.apply_style(self._look(look))

    def _header(self, width: int) -> Strip:
        return self._strip([Text(c.label) for c in self._columns], width).apply_style(
            self._look("header")
        )

    def _strip(self, cells: Sequence[Text], width: int) -> Strip:
        widths = column_widths(self._columns, width)
        line = Text(no_wrap=True, end="")
        for n, (cell, cell_width) in enumerate(zip(cells, widths, strict=False)):
            if n:
                line.append(" ")
            line.append_text(fit(cell, cell_width))
        strip = Strip(line.render(self.app.console), cell_len(line.plain))
        return strip.adjust_cell_length(width)

    # -- moving ---------------------------------------------------------------------------------

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, len(self._keys) - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        self.refresh_lines(old + 1)
        self.refresh_lines(new + 1)
        self._keep_cursor_visible()

    def _keep_cursor_visible(self) -> None:
        rows_shown = max(self.size.height - 1, 1)
        top = self.scroll_offset.y
        row = self.cursor_row
        if row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + rows_shown:
            self.scroll_to(y=row - rows_shown + 1, animate=False)

    def action_cursor(self, step: int) -> None:
        self.cursor_row += step

    def action_page(self, direction: int) -> None:
        self.cursor_row += direction * max(self.size.height - 2, 1)

    def action_edge(self, direction: int) -> None:
        self.cursor_row = 0 if direction < 0 else len(self._keys) - 1

    def action_choose(self) -> None:
        key = self.cursor_key
        if key is not None:
            self.post_message(self.Chosen(self, key))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        row = self.scroll_offset.y + offset.y - 1
        if row >= len(self._keys):
            return
        if row == self.cursor_row:
            self.action_choose()
        else:
            self.cursor_row = row
