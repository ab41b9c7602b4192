"""Index settings and mappings for the Elasticsearch backend.

The text analyzer is the ``english`` analyzer's stemming chain (lowercase, ascii folding,
Porter stemmer) *without* its stop-word filter, and with punctuation turned into spaces before
the standard tokenizer. That is the token stream of SQLite's ``porter unicode61`` tokenizer, so
both backends match the same pages ("U.S." is "u" "s" in both; "the" is searchable in both).
"""

from __future__ import annotations

from foialens.search.records import FACET_FIELDS

TEXT_ANALYZER = "foialens_text"
TITLE_BOOST = 3.0

ANALYSIS = {
    "char_filter": {
        "foialens_punct": {"type": "pattern_replace", "pattern": "[^\\p{L}\\p{N}]", "replacement": " "}
    },
    "analyzer": {
        TEXT_ANALYZER: {
            "type": "custom",
            "char_filter": ["foialens_punct"],
            "tokenizer": "standard",
            "filter": ["lowercase", "asciifolding", "porter_stem"],
        }
    },
}

PAGE_MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "id": {"type": "keyword"},  # PageRecord.id: the pagination tiebreaker
        "doc_id": {"type": "keyword"},
        "page": {"type": "integer"},
        "path": {"type": "keyword"},
        "title": {"type": "text", "analyzer": TEXT_ANALYZER},
        "text": {"type": "text", "analyzer": TEXT_ANALYZER},
        "method": {"type": "keyword"},
        "ocr_confidence": {"type": "float"},
        "redacted": {"type": "boolean"},
        "ingest_id": {"type": "keyword"},  # which replace_documents call wrote the page
        "indexed_at": {"type": "date"},
        **{field: {"type": "keyword"} for field in FACET_FIELDS},  # tags, batch and year
    },
}

DOC_MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "doc_id": {"type": "keyword"},
        "title": {"type": "keyword"},
        "path": {"type": "keyword"},
        "batch": {"type": "keyword"},
        "year": {"type": "keyword"},
        "pages": {"type": "integer"},
        "indexed_at": {"type": "date"},
    },
}


def index_settings(shards: int, replicas: int, *, bulk_load: bool = False) -> dict:
    """Settings for a new index; during a bulk load refresh is off and there are no replicas."""
    return {
        "number_of_shards": shards,
        "number_of_replicas": 0 if bulk_load else replicas,
        "refresh_interval": "-1" if bulk_load else "1s",
        "analysis": ANALYSIS,
    }
