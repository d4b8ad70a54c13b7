"""Several packs in one rule base: which files load by default (the shipped pack, then the
packs of the user's configuration), the shipped packs a pack ``extends``, and the overrides a
later pack makes to an earlier pack's rules (a rule disabled, a certainty factor changed).

The loader refuses an override of a rule no earlier pack wrote (it would change nothing, and
the author believes it does); what two packs changing one rule means is reported by lint
(``override-conflicts``): the later pack wins, as later packs do for everything."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kbdoctor.engine.rules_model import Rule, RuleOverride

if TYPE_CHECKING:
    from kbdoctor.engine.rulebase import RuleBase


def default_rule_files() -> list[str]:
    """The rule files loaded when none are given: the shipped pack, then the configured packs."""
    from kbdoctor.engine.config import load_config
    from kbdoctor.engine.rule_files import bundled_rule_files, expand_rule_paths

    return bundled_rule_files() + expand_rule_paths(load_config().packs)


def extended_packs(
    given: Sequence[tuple[str, Sequence[str]]], shipped: dict[str, str]
) -> list[str]:
    """The shipped rule files to load before the given packs (pack id, its ``extends``): those
    named by an ``extends`` that no given pack is, in the order first named. An id that no
    shipped pack has is left for the lint check to report."""
    present = {pack for pack, _ in given}
    files: list[str] = []
    for _, extends in given:
        for ident in extends:
            file = shipped.get(ident)
            if ident not in present and file is not None and file not in files:
                files.append(file)
    return files


def override_targets(base: RuleBase) -> dict[str, list[tuple[int, RuleOverride]]]:
    """Per rule id, the packs (their index in load order) that override it, and how."""
    out: dict[str, list[tuple[int, RuleOverride]]] = {}
    for index, pack in enumerate(base.packs):
        for rule_id, override in pack.model.overrides.items():
            out.setdefault(rule_id, []).append((index, override))
    return out


def defining_index(base: RuleBase, rule_id: str) -> int | None:
    """The load-order index of the pack that wrote a rule, or None when no pack did."""
    pack = base.rule_pack.get(rule_id)
    return None if pack is None else base.packs.index(pack)


def apply_overrides(base: RuleBase) -> None:
    """Replace the merged rules by what the overrides make of them: a disabled rule leaves the
    rules evaluated (its pack still lists it), a rule whose cf is set concludes with that cf. The
    last pack to override a rule wins. An override of a rule that no earlier pack wrote changes
    nothing here (the ``override-targets`` check refuses it)."""
    kept: list[Rule] = []
    targets = override_targets(base)
    for rule in base.rules:
        defining = defining_index(base, rule.id)
        later = [
            (i, o) for i, o in targets.get(rule.id, []) if defining is not None and i > defining
        ]
        if not later:
            kept.append(rule)
            continue
        index, override = later[-1]
        pack = base.packs[index].pack
        if override.disabled:
            base.disabled[rule.id] = pack
            continue
        assert override.cf is not None, "an override disables or sets cf"
        base.changed[rule.id] = (pack, rule.conclude.cf)
        conclude = rule.conclude.model_copy(update={"cf": override.cf})
        kept.append(rule.model_copy(update={"conclude": conclude}))
    base.rules = kept
