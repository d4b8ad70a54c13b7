"""The Diagnosis tab's sign that the rule files are broken.

While a rule file being edited does not load, the diagnosis keeps using the last good rules
(``tui/diagnosis.py``); an engineer looking at the causes must still know that what they read
is not what the files on disk say. The first problem is shown with its file, line and column,
and how many there are; the Rules tab lists them all.
"""

from __future__ import annotations

from kbdoctor.engine.errors import Problem
from kbdoctor.tui.i18n import Lang, t
from kbdoctor.tui.widgets.sign_line import SignLine
from rich.text import Text


def broken_text(problems: list[Problem], lang: Lang) -> Text:
    """``Rule files broken (2 problems; the last good rules are used): <first>``."""
    text = Text(t("tui.rules.broken_sign", lang, count=len(problems)), style="bold red")
    text.append(" " + problems[0].render(lang).split("\n", 1)[0])
    return text


class RulesBrokenLine(SignLine):
    """Hidden while the rule files load; one line (wrapped) while they do not."""

    DEFAULT_CSS = """
    RulesBrokenLine {
        background: $error 20%;
    }
    """

    def show_problems(self, problems: list[Problem], lang: Lang) -> None:
        self.say(broken_text(problems, lang) if problems else None)
