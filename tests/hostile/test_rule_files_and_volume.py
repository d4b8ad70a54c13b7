"""Rule files are bounded like fact files (aliases refused, depth, bytes, text length), and a
fact file far over the limits is refused at once rather than read to the end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.hostile.bounded import assert_refused, kbdoctor

RULES_HEAD = "kbdoctor: rules/1\npack: hostile\nversion: '1'\n"


def test_an_alias_bomb_in_a_rule_file_costs_a_message(tmp_path: Path) -> None:
    lines = [RULES_HEAD.rstrip("\n"), "x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"x{i}: &x{i} [" + ", ".join([f"*x{i - 1}"] * 9) + "]" for i in range(1, 10)]
    lines.append("rules: *x9")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_refused(kbdoctor("rules", str(path), cpu=20), f"{path}:5:", "alias")
    facts = "kbdoctor: facts/1\nfacts: []\n"
    assert_refused(kbdoctor("evaluate", "-", "--rules", str(path), stdin=facts, cpu=20), "alias")


@pytest.mark.parametrize("text", ["[" * 30000 + "]" * 30000, "- " * 30000 + "x\n"])
def test_a_rule_file_nested_30000_deep_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    assert_refused(kbdoctor("rules", str(path), cpu=20), f"{path}:1:", "KBDOCTOR_MAX_DEPTH")


def test_a_rule_file_over_the_byte_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(RULES_HEAD + "#" * 5000 + "\n", encoding="utf-8")
    result = kbdoctor("rules", str(path), env={"KBDOCTOR_MAX_FILE_BYTES": "1000"})
    assert_refused(result, str(path), "KBDOCTOR_MAX_FILE_BYTES")


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_300000_facts_are_refused_quickly_at_the_first_one_over(
    tmp_path: Path, suffix: str
) -> None:
    fact = {"type": "clock_offset", "host": "EX01", "reference": "DC01", "offset_s": 1.5}
    path = tmp_path / f"many.{suffix}"
    if suffix == "json":
        facts = ",\n".join([json.dumps(fact)] * 300_000)
        path.write_text('{"kbdoctor": "facts/1", "facts": [\n' + facts + "\n]}\n", encoding="utf-8")
        where = f"{path}:"
    else:
        item = "  - " + json.dumps(fact) + "\n"
        path.write_text("kbdoctor: facts/1\nfacts:\n" + item * 300_000, encoding="utf-8")
        where = f"{path}:100003:5:"
    result = kbdoctor("evaluate", str(path), cpu=30)
    assert_refused(result, where, "more than 100000 facts in this run (limit KBDOCTOR_MAX_FACTS)")


def test_a_text_of_a_megabyte_is_refused_before_any_rule_sees_it(tmp_path: Path) -> None:
    fact = {"type": "event", "host": "EX02", "source": "MSExchangeTransport", "event_id": 1035}
    fact["message"] = "Inbound authentication failed with error IllegalMessage " + "a" * 1_000_000
    path = tmp_path / "long.json"
    path.write_text(json.dumps({"kbdoctor": "facts/1", "facts": [fact]}), encoding="utf-8")
    result = kbdoctor("evaluate", str(path), cpu=20)
    assert_refused(result, f"{path}:1:", "longer than 65536 characters (limit KBDOCTOR_MAX_STRING)")
