"""Conflicts: grants that a rule of the same jurisdiction forbids, with both pieces of evidence.

A *rule* is a restrict relation read from a law, ordinance or policy (models/laws.py): it has a
``jurisdiction`` ("CA", "CA/riverton"), the levels of agencies it ``covers`` there (state, local,
fusion), the ``recipient_classes`` it rules out (immigration, federal, out_of_state, private,
any), its data type ("" for any data) and its direction (``sharing``: the bound agencies may not
give; ``receiving``: they may not obtain). A *grant* is any grant relation (a sharing report's row,
a Flock list's row, an ICE-access clause). The rule covers the grant when

- the grant's bound side (its source for a sharing rule, its recipient for a receiving rule) is in
  the rule's jurisdiction (its ``*_jurisdictions`` hold it) and at a level the rule covers;
- the data match: the rule names none, or the same data type (ALPR detections and vehicle
  locations count as one);
- the other side is of a class the rule rules out: ``immigration`` = ICE, HSI, ERO, CBP, Border
  Patrol, USCIS or DHS (or any agency when the grant is itself an ICE-access clause);
  ``federal`` = a federal agency; ``out_of_state`` = an agency of another state (its state known);
  ``private`` = a company; ``any`` = anyone.

Each conflict carries the reasons in words. It is a lead for an analyst, not a legal finding: an
exception of the law or a later change of the sharing is not known here.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, Field

from foialens.search.records import RelationRecord

IMMIGRATION = frozenset({"ice", "hsi", "ero", "cbp", "usbp", "uscis", "dhs"})
SAME_DATA = ({"alpr", "vehicle_location"},)
CLASS_WORDS = {"immigration": "an immigration enforcement agency", "federal": "a federal agency",
               "out_of_state": "an agency of another state", "private": "a private party", "any": "a recipient"}


class Conflict(BaseModel):
    grant: RelationRecord
    rule: RelationRecord
    reasons: list[str] = Field(default_factory=list)


def is_rule(r: RelationRecord) -> bool:
    return r.polarity == "restrict" and bool(r.jurisdiction)


def _same_data(rule: str, grant: str) -> bool:
    if not rule:
        return True
    return rule == grant or any(rule in group and grant in group for group in SAME_DATA)


def _class_of(rule: RelationRecord, grant: RelationRecord, other_ids: list[str], other_level: str,
              other_jurisdictions: list[str]) -> str | None:
    """The first class of the rule the other end of the grant is in, or None."""
    state = rule.jurisdiction.split("/")[0]
    for cls in rule.recipient_classes:
        if cls == "immigration" and (IMMIGRATION & set(other_ids) or grant.section == "clause:ice_access"):
            return cls
        if cls == "federal" and other_level == "federal":
            return cls
        if cls == "out_of_state" and other_level not in ("federal", "class") and other_jurisdictions \
                and state not in other_jurisdictions:
            return cls
        if cls == "private" and other_level == "private":
            return cls
        if cls == "any":
            return cls
    return None


def covers(rule: RelationRecord, grant: RelationRecord) -> list[str] | None:
    """Why ``rule`` forbids ``grant`` (reasons in words), or None when it does not."""
    if not is_rule(rule) or grant.polarity != "grant":
        return None
    receiving = rule.direction == "receiving"
    bound_id, bound_name = (grant.recipient_id, grant.recipient_name) if receiving else (grant.source_id, grant.source_name)
    level = grant.recipient_level if receiving else grant.source_level
    places = grant.recipient_jurisdictions if receiving else grant.source_jurisdictions
    if rule.jurisdiction not in places or level not in rule.covers:
        return None
    if not _same_data(rule.data_type, grant.data_type):
        return None
    if receiving:
        other_ids, other_level, other_places = grant.source_path or [grant.source_id], grant.source_level, grant.source_jurisdictions
        other_name = grant.source_name
    else:
        other_ids, other_level, other_places = (grant.recipient_path or [grant.recipient_id], grant.recipient_level,
                                                grant.recipient_jurisdictions)
        other_name = grant.recipient_name
    cls = _class_of(rule, grant, other_ids, other_level, other_places)
    if cls is None:
        return None
    citation = rule.citation or rule.section.removeprefix("law:")
    reasons = [f"{bound_name} ({bound_id}) is a {level} agency in {rule.jurisdiction}, bound by {citation}",
               f"data: {grant.data_type or 'unspecified'}" + (f" (the rule names {rule.data_type})" if rule.data_type else
                                                                (" (the rule names no data type: any data)")),
               f"{'source' if receiving else 'recipient'} {other_name} is {CLASS_WORDS[cls]}"
               + (f" ({', '.join(p for p in other_places if '/' not in p)})" if cls == "out_of_state" else "")]
    if rule.purpose:
        reasons.append(f"the rule forbids it for {rule.purpose.replace('_', ' ')} purposes; the grant does not say its purpose")
    return reasons


def conflicts(grants: Iterable[RelationRecord], rules: Iterable[RelationRecord]) -> list[Conflict]:
    """Every (grant, rule) pair where the rule covers the grant, grouped by grant in the grants'
    order; a rule stated twice (the same citation, text and data) counts once per grant."""
    rules = [r for r in rules if is_rule(r)]
    out: list[Conflict] = []
    for g in grants:
        seen: set[tuple[str, str, str]] = set()
        for rule in rules:
            reasons = covers(rule, g)
            key = (rule.citation, rule.text, rule.data_type)
            if reasons is not None and key not in seen:
                seen.add(key)
                out.append(Conflict(grant=g, rule=rule, reasons=reasons))
    return out
