"""Template output is bounded (issue 10, item 1): a rule whose explanation repeated a placeholder
of a 60,000-character event message 4,000 times passed ``kbdoctor rules`` and wrote a 240 MB
report (a MemoryError at 3.5 GB with five such facts). Such a template is refused at load, at its
line; one within the bound on placeholders writes each text cut at the limit on characters per
text, in bounded memory."""

from __future__ import annotations

from pathlib import Path

from tests.hostile.bounded import assert_refused, kbdoctor

MIB = 1024 * 1024
MESSAGE = "A" * 60_000
PACK = """kbdoctor: rules/1
pack: tx
findings:
  f1:
    title: {en: t, pl: t}
rules:
  - id: tx.one
    title: {en: t, pl: t}
    when:
      - bind: q
        fact: queue
        where: {message_count: {gt: 0}}
    conclude: {finding: f1, cf: 0.5, subject: "{q.server}"}
    explain: {en: "EXPLAIN", pl: "EXPLAIN"}
"""


def _files(tmp_path: Path, repeats: int, facts: int) -> tuple[Path, Path]:
    rules = tmp_path / "r.yaml"
    rules.write_text(PACK.replace("EXPLAIN", "{q.last_error}" * repeats), encoding="utf-8")
    fact_file = tmp_path / "f.yaml"
    fact_file.write_text(
        "kbdoctor: facts/1\nfacts:\n"
        + "".join(
            f"  - {{type: queue, server: EX{i:02}, identity: 'EX{i:02}\\3', next_hop: x,"
            f" status: Retry, message_count: 3, last_error: {MESSAGE}}}\n"
            for i in range(facts)
        ),
        encoding="utf-8",
    )
    return rules, fact_file


def test_a_template_of_thousands_of_placeholders_is_refused_at_its_line(tmp_path: Path) -> None:
    rules, facts = _files(tmp_path, 4000, 5)
    where = f"{rules}:14:5: rule tx.one: invalid template '{{q.last_error}}"
    assert_refused(kbdoctor("rules", str(rules), memory=512 * MIB), where, "4000 placeholders")
    report = tmp_path / "r.txt"
    result = kbdoctor(
        "evaluate", str(facts), "--rules", str(rules), "--explain", "-o", str(report),
        memory=512 * MIB,
    )  # fmt: skip
    assert_refused(result, where)
    assert not report.exists()


def test_texts_past_the_limit_are_cut_and_the_report_stays_small(tmp_path: Path) -> None:
    """Five firings whose explanation would be 3,000,000 characters each."""
    rules, facts = _files(tmp_path, 50, 5)
    assert kbdoctor("rules", str(rules), memory=512 * MIB).returncode == 0
    for fmt, marker in (("text", "… [2934464 more characters left out]"), ("json", "left out]")):
        report = tmp_path / f"r.{fmt}"
        result = kbdoctor(
            "evaluate", str(facts), "--rules", str(rules), "--explain", "--format", fmt,
            "-o", str(report), memory=512 * MIB,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-2000:]
        written = report.read_text(encoding="utf-8")
        assert written.count(marker) == 5
        # a text at most 65,536 characters and its mark, each fact's message as it is (JSON):
        # 15 MB were written before
        assert len(written) < 5 * (65_600 + len(MESSAGE)) + 50_000
