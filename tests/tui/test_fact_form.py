"""What a person types in the edit form becomes a fact validated by its own model."""

from __future__ import annotations

import pytest
from kbdoctor.tui.fact_form import edit_fact, editable_text
from pydantic import ValidationError

from .test_session import SKEW, SPNS


def test_an_edit_is_validated_by_the_fact_model() -> None:
    with pytest.raises(ValidationError, match="offset_s"):
        edit_fact(SKEW, {"offset_s": "soon"})
    with pytest.raises(ValidationError):
        edit_fact(SKEW, {"host": ""})


def test_list_fields_are_edited_one_item_a_line_and_provenance_stays() -> None:
    assert editable_text(SPNS, "spns") == "SMTP/EX01\nSMTPSVC/ex01.contoso.local"
    edited = edit_fact(SPNS, {"spns": "SMTP/EX01\n\n  SMTPSVC/EX01 \n"})
    assert edited.spns == ["SMTP/EX01", "SMTPSVC/EX01"]  # type: ignore[union-attr]
    assert edit_fact(SKEW, {"offset_s": "1"}).provenance == SKEW.provenance


def test_a_number_typed_in_the_form_is_a_number_though_fact_files_refuse_quoted_ones() -> None:
    """Fact files refuse ``offset_s: "421.5"`` (quoted: text); the form is where typed text is
    meant to become a number, so it is read as one before the model sees it."""
    assert edit_fact(SKEW, {"offset_s": " -421.5 "}).offset_s == -421.5  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="finite"):
        edit_fact(SKEW, {"offset_s": "nan"})
    with pytest.raises(ValidationError, match="not text"):
        edit_fact(SKEW, {"offset_s": "five minutes"})
