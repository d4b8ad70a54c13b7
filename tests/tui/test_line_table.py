"""The line table of the facts tab: it draws only the rows on screen, keeps its cursor visible,
and says which row was chosen."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from kbdoctor.tui.widgets.line_table import Column, LineTable, column_widths
from rich.text import Text
from textual.app import App, ComposeResult
from textual.strip import Strip

ROWS = 5000
COLUMNS = [Column("#", 6), Column("Name", None, min_width=8), Column("Where", 12)]


class TableApp(App[None]):
    """One table filling a 60x20 screen (a header line and 19 rows)."""

    def __init__(self, rows: int = ROWS) -> None:
        super().__init__()
        self.asked: list[int] = []
        self.chosen: list[int] = []
        self.names = {key: f"row {key}" for key in range(rows)}

    def compose(self) -> ComposeResult:
        yield LineTable(COLUMNS, id="table")

    def on_mount(self) -> None:
        self.table.set_rows(list(self.names), self.cells)
        self.table.focus()

    @property
    def table(self) -> LineTable:
        return self.query_one(LineTable)

    def cells(self, key: int) -> Sequence[Text]:
        self.asked.append(key)
        return (Text(str(key)), Text(self.names[key]), Text("file.txt:" + str(key)))

    def on_line_table_chosen(self, message: LineTable.Chosen) -> None:
        self.chosen.append(message.key)

    def lines(self) -> list[str]:
        return [self.table.render_line(y).text for y in range(self.table.size.height)]


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (60, [6, 40, 12]),  # the flexible column takes what the fixed ones leave (and 2 gaps)
        (30, [6, 10, 12]),
        (24, [6, 8, 8]),  # too narrow: the widest fixed column gives way to the flexible one
        (20, [6, 6, 6]),  # fixed columns shrink to their minimum, no further
    ],
)
def test_columns_share_the_width(width: int, expected: list[int]) -> None:
    columns = [Column("#", 6, min_width=6), Column("Name", None, min_width=8), Column("W", 12, 6)]
    assert column_widths(columns, width) == expected


async def test_only_the_rows_on_screen_are_drawn() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        lines = app.lines()
        assert lines[0].split() == ["#", "Name", "Where"]
        assert lines[1].split() == ["0", "row", "0", "file.txt:0"]
        assert set(app.asked) == set(range(19))  # 19 rows under the header, of 5,000
        app.asked.clear()
        await pilot.press("end")
        await pilot.pause()
        assert app.table.cursor_key == ROWS - 1
        assert app.lines()[-1].split()[0] == str(ROWS - 1)
        assert set(app.asked) == set(range(ROWS - 19, ROWS))


async def test_the_cursor_moves_by_row_and_page_and_stays_visible() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("down", "down")
        assert app.table.cursor_key == 2
        await pilot.press("pagedown")
        assert app.table.cursor_key == 2 + 18
        await pilot.press("pagedown")
        await pilot.pause()
        top = app.table.scroll_offset.y
        assert top <= app.table.cursor_row < top + 19
        await pilot.press("home", "up")
        assert app.table.cursor_key == 0
        assert app.table.scroll_offset.y == 0


async def test_enter_and_a_click_on_the_cursor_row_choose_it() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("down", "enter")
        assert app.chosen == [1]
        await pilot.click(LineTable, offset=(10, 4))  # row 3 (line 0 is the header)
        assert app.table.cursor_key == 3
        assert app.chosen == [1]  # a first click only moves the cursor
        await pilot.click(LineTable, offset=(10, 4))
        assert app.chosen == [1, 3]
        await pilot.click(LineTable, offset=(10, 0))  # the header chooses nothing
        assert app.chosen == [1, 3]


async def test_new_rows_keep_the_cursor_on_its_row_and_a_changed_row_is_redrawn() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("down", "down", "down")
        app.table.set_rows([1, 3, 5, 7], app.cells, keep=app.table.cursor_key)
        await pilot.pause()
        assert app.table.cursor_key == 3
        assert app.table.row_count == 4
        app.names[5] = "renamed"
        app.table.refresh_row(5)
        await pilot.pause()
        assert "renamed" in app.lines()[3]
        app.table.set_rows([2, 4], app.cells, keep=3)  # gone: back to the first row
        assert app.table.cursor_key == 2
        app.table.set_rows([], app.cells)
        assert app.table.cursor_key is None
        await pilot.press("down", "enter")
        assert app.chosen == []


async def test_rows_with_the_same_cells_are_drawn_again_from_memory() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        app.asked.clear()
        app.table.set_rows(list(range(0, ROWS, 2)), app.cells, same_cells=True)  # narrowed
        await pilot.pause()
        assert app.lines()[2].split()[0] == "2"
        assert set(app.asked) == set(range(20, 38, 2))  # only the keys not on screen before
        app.asked.clear()
        app.names[4] = "renamed"
        app.table.set_rows(list(range(0, ROWS, 2)), app.cells)  # the cells changed: all drawn
        await pilot.pause()
        assert "renamed" in app.lines()[3]
        assert set(app.asked) == set(range(0, 38, 2))


async def test_a_changed_row_is_redrawn_even_among_rows_drawn_from_memory() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        app.names[3] = "renamed"
        app.table.refresh_row(3)
        app.table.set_rows([1, 3, 5], app.cells, same_cells=True)
        await pilot.pause()
        assert "renamed" in app.lines()[2]


class CountingTable(LineTable):
    """A line table that records which lines the screen asked it for."""

    def __init__(self) -> None:
        super().__init__(COLUMNS, id="table")
        self.drawn: list[int] = []

    def render_line(self, y: int) -> Strip:
        self.drawn.append(y)
        return super().render_line(y)


class CountingApp(TableApp):
    def compose(self) -> ComposeResult:
        yield CountingTable()


async def test_only_the_lines_that_show_another_row_are_drawn_again() -> None:
    app = CountingApp()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        table = app.query_one(CountingTable)
        keys = list(range(ROWS))
        keys[5] = keys[-1] = ROWS + 1  # one row on screen shows another key, as many rows
        app.names[ROWS + 1] = "new"
        table.drawn.clear()
        table.set_rows(keys, app.cells, same_cells=True)
        await pilot.pause()
        assert set(table.drawn) == {6}  # row 5, under the header
        assert "new" in app.lines()[6]
        table.drawn.clear()
        table.set_rows(keys, app.cells, keep=3, same_cells=True)  # the cursor moves to row 3
        await pilot.pause()
        assert set(table.drawn) == {1, 4}
