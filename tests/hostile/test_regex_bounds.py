"""Rule regexes that explode on a backtracking engine finish at once from the command line
(issue 10, item 2): they run on RE2, linear in the text (engine/safe_regex.py).

Each run needs under a CPU second and about 120 MiB of address space; it gets 20 s and 512 MiB.
On Python's ``re`` the first case needs about 2**40 steps and the second about six minutes per
message (each ``IllegalMessage`` starts a scan to the end of the text: 150 KB took 8.5 s)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.engine.test_safe_regex import HEADER
from tests.hostile.bounded import kbdoctor

CPU_SECONDS = 20
MEMORY_BYTES = 512 * 1024 * 1024

CATASTROPHIC = HEADER.replace("PATTERN", "^(a+)+$")


def _fact_file(path: Path, facts: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps({"kbdoctor": "facts/1", "facts": facts}), encoding="utf-8")
    return path


def test_a_catastrophic_pattern_on_40_characters_finishes_at_once(tmp_path: Path) -> None:
    rules = tmp_path / "regex.yaml"
    rules.write_text(CATASTROPHIC, encoding="utf-8")
    facts = _fact_file(
        tmp_path / "facts.json",
        [
            {"type": "queue", "server": "EX01", "last_error": "a" * 40 + "b"},
            {"type": "queue", "server": "EX02", "last_error": "a" * 40},
            {"type": "queue", "server": "EX03", "last_error": "a" * 1_000_000 + "b"},
        ],
    )
    result = kbdoctor(
        "evaluate", str(facts), "--rules", str(rules), "--limit", "string=1000001",
        "--format", "json", "--budget", "0", memory=MEMORY_BYTES, cpu=CPU_SECONDS,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr[-2000:]
    cause = json.loads(result.stdout)["causes"][0]
    assert (cause["status"], [s["subject"] for s in cause["subjects"]]) == ("diagnosed", ["EX02"])


def test_the_shipped_event_1035_rule_on_megabyte_messages(tmp_path: Path) -> None:
    """Eight messages of a megabyte (the string limit raised to let them in), each
    ``IllegalMessage`` repeated: six end in ExchangeAuth, two do not. The symptom is found on
    exactly the six."""
    ending = "IllegalMessage " * 66_000 + "ExchangeAuth"
    open_ended = "IllegalMessage " * 66_666
    messages = [ending] * 6 + [open_ended] * 2
    facts = _fact_file(
        tmp_path / "events.json",
        [
            {"type": "event", "host": f"EX0{i}", "source": "MSExchangeTransport",
             "event_id": 1035, "message": message}
            for i, message in enumerate(messages)
        ],
    )  # fmt: skip
    result = kbdoctor(
        "evaluate", str(facts), "--limit", "string=1000000", "--format", "json", "--budget", "0",
        memory=MEMORY_BYTES, cpu=CPU_SECONDS,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    found = sorted(
        (evidence["rule"], evidence["subject"])
        for symptom in report["symptoms"]
        for evidence in symptom["evidence"]
    )
    assert found == [("symptom.event-1035-exchangeauth", f"EX0{i}") for i in range(6)]
    assert report["budget"] is None
