"""The reasons the system gives for the file errors people meet read in the user's language in
every message that reports one, made now or stored and shown later (problems, import warnings);
English stays the system's own text, and a reason the catalogue does not know stays as given."""

from __future__ import annotations

import errno
import os

import pytest
from kbdoctor.collectors.importers.base import ImportWarning
from kbdoctor.collectors.messages import message
from kbdoctor.engine.errors import Problem
from kbdoctor.engine.i18n import LANGS, Lang, catalogue, text
from kbdoctor.engine.os_reasons import REASON_KEYS, reason

ASKED = (
    errno.EACCES,
    errno.ENOENT,
    errno.EISDIR,
    errno.ENOTDIR,
    errno.ENOSPC,
    errno.EROFS,
    errno.ELOOP,
    errno.EEXIST,
)


def test_the_common_errors_have_a_reason_in_the_catalogue() -> None:
    assert set(REASON_KEYS) == set(ASKED)


@pytest.mark.parametrize("code", ASKED, ids=lambda c: errno.errorcode[c])
def test_english_is_the_systems_own_text(code: int) -> None:
    assert catalogue("en")[REASON_KEYS[code]] == os.strerror(code)
    assert reason(os.strerror(code), "en") == os.strerror(code)


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang != "en"])
@pytest.mark.parametrize("code", ASKED, ids=lambda c: errno.errorcode[c])
def test_every_other_language_has_its_own_words(code: int, lang: Lang) -> None:
    translated = reason(os.strerror(code), lang)
    assert translated == catalogue(lang)[REASON_KEYS[code]]
    assert translated != os.strerror(code)


def test_a_stored_problem_reads_in_the_language_it_is_shown_in() -> None:
    problem = Problem("out.txt", None, None, "error.cannot_write", {"detail": "Permission denied"})
    assert problem.render("en") == "out.txt: cannot write the file: Permission denied"
    assert problem.render("pl") == "out.txt: nie można zapisać pliku: brak uprawnień"
    assert problem.render("de") == (
        "out.txt: die Datei kann nicht geschrieben werden: Keine Berechtigung"
    )
    assert problem.params["detail"] == "Permission denied"  # kept as the system gave it


def test_an_import_warning_reads_in_the_language_it_is_shown_in() -> None:
    warning = ImportWarning.at(
        "EX01/a.txt", None, "cannot_read", detail="No such file or directory"
    )
    assert (
        warning.render("pl") == "EX01/a.txt: nie można odczytać: nie ma takiego pliku ani folderu"
    )
    assert warning.render("en") == "EX01/a.txt: cannot be read: No such file or directory"
    assert message("write_failed", "pl", file="o.yaml", detail="No space left on device") == (
        "nie można zapisać o.yaml: brak miejsca na urządzeniu"
    )


def test_a_reason_the_catalogue_does_not_know_stays_as_given() -> None:
    other = os.strerror(errno.EIO)
    assert reason(other, "pl") == other
    assert text("error.cannot_read", "pl", detail=other) == f"nie można odczytać pliku: {other}"
    assert reason("[Errno 40] loop: 'x'", "pl") == "[Errno 40] loop: 'x'"
