"""Where in the fact files a fact was written, for the facts that do not say where they were
read (a hand-written fact without ``source``).

Only a warning needs this (readings of one moment that disagree, each to be found and checked by
an engineer), and only for a few facts, so positions are not kept for every fact on loading
(valid files never pay for positions): the files are read again and walked for those facts
alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from kbdoctor.engine.factio import parse_fact_text, read_text_limited
from kbdoctor.engine.limits import Limits
from kbdoctor.engine.normalize import fact_id
from kbdoctor.engine.yamlio import item_position


def fact_places(files: Sequence[str], wanted: set[str]) -> dict[str, str]:
    """``file:line`` of the first fact with each id of ``wanted`` in ``files`` (the files of
    the evaluation, in their order). A file that cannot be read again (standard input, a file
    changed or gone since) is passed over: a place is a courtesy, never a guess."""
    found: dict[str, str] = {}
    limits = Limits.from_env()
    for name in files:
        if not wanted - found.keys():
            break
        if name == "-":
            continue
        try:
            content = read_text_limited(name, limits)
            facts = parse_fact_text(content, name, limits).facts
        except Exception:  # unreadable or no longer a fact file: nothing to point to
            continue
        for index, fact in enumerate(facts):
            ident = fact_id(fact)
            if ident in wanted and ident not in found:
                line, _ = item_position(content, "facts", index)
                found[ident] = f"{name}:{line}" if line is not None else name
    return found
