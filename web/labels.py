"""Human-readable labels for facet values (display only; ids stay the filter values)."""

from __future__ import annotations

import re
from collections.abc import Mapping

FIELD_TITLES = {
    "vendors": "Vendors",
    "data_types": "Data types",
    "agencies": "Agencies",
    "programs": "Programs & systems",
    "clauses": "Clauses",
    "exemptions": "FOIA exemptions",
    "redactions": "Redactions",
    "batch": "Batch",
    "year": "Year",
}

# entity pages: /vendors/<id>, /data-types/<id>, /agencies/<id>, /programs/<id>
ENTITY_PATHS = {"vendors": "vendors", "data_types": "data-types", "agencies": "agencies", "programs": "programs"}

CLAUSE_TITLES = {
    "ice_access": "ICE/DHS access",
    "ice_restriction": "ICE/DHS restriction",
    "third_party_sharing": "Third-party sharing",
    "retention": "Retention",
    "audit_oversight": "Audit / oversight",
    "purpose_limitation": "Purpose limitation",
    "sensitive_locations": "Sensitive locations",
}

_EXEMPTION = re.compile(r"^b(\d)([a-f]?)$")


def exemption_label(code: str) -> str:
    """b7c -> (b)(7)(C); unknown codes unchanged."""
    m = _EXEMPTION.match(code or "")
    if not m:
        return code
    return f"(b)({m.group(1)})" + (f"({m.group(2).upper()})" if m.group(2) else "")


REDACTION_TITLES = {"redacted": "Redacted page", "text_under_box": "Text under a box (bad redaction)"}


def label(field: str, value: str, names: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """Display label of a facet value. Entity ids take their name from ``names`` (the data
    directory's names, ``DataDir.names()``), else stay as they are."""
    if field == "clauses":
        return CLAUSE_TITLES.get(value, value)
    if field == "exemptions":
        return exemption_label(value)
    if field == "redactions":
        return REDACTION_TITLES.get(value, value)
    found = (names or {}).get(field, {}).get(value)
    if found:
        return found
    if field in ENTITY_PATHS:  # e.g. a parent agency no document named: the gazetteer's name
        from foialens.store.results import gazetteer_name

        return gazetteer_name(field, value) or value
    return value
