"""The data-sharing network: questions over relation records, answered with networkx (no index
access here: the callers fetch the records with ``search_relations``).

The relations come from the search backend (``search_relations``: filters and counts run in the
index); this module shapes them into what an analyst asks:

- :func:`flows_to` — every source whose data reaches a set of agencies (the ICE subtree: ICE, HSI,
  ERO), each with the recipients, data, vendor platforms and the documents that say so;
- :func:`counts` — recipients per source, sources per recipient;
- :func:`changes` — for one source, the recipients added and removed between consecutive
  documents (two yearly sharing reports of the same sheriff);
- :func:`graph` / :func:`write_graphml` — a directed multigraph for Gephi or Cytoscape;
- :func:`reach` — agencies whose data reaches a target through a chain of shares (``hops`` > 1:
  a recipient that shares onwards), for the paths a document set shows, not a claim that data
  was re-shared.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    import networkx as nx
from foialens.search.records import RelationRecord


class DocumentRef(BaseModel):
    doc_id: str
    path: str
    page: int
    as_of: str = ""


class SourceFlows(BaseModel):
    source_id: str
    source_name: str
    recipients: dict[str, str] = Field(default_factory=dict)  # id -> name
    data_types: list[str] = Field(default_factory=list)
    vendors: list[str] = Field(default_factory=list)
    kinds: list[str] = Field(default_factory=list)
    via: list[str] = Field(default_factory=list)  # programs / systems the flows pass through
    documents: list[DocumentRef] = Field(default_factory=list)
    relations: int = 0


def flows_to(relations: Iterable[RelationRecord]) -> list[SourceFlows]:
    """Grant relations grouped by source (most recipients first)."""
    by_source: dict[str, SourceFlows] = {}
    for r in relations:
        if r.polarity != "grant":
            continue
        s = by_source.setdefault(r.source_id, SourceFlows(source_id=r.source_id, source_name=r.source_name))
        s.recipients[r.recipient_id] = r.recipient_name
        for value, seq in ((r.data_type, s.data_types), (r.platform_vendor, s.vendors), (r.kind, s.kinds),
                           *((v, s.via) for v in r.via)):
            if value and value not in seq:
                seq.append(value)
        ref = DocumentRef(doc_id=r.doc_id, path=r.path, page=r.page, as_of=r.as_of)
        if all((d.doc_id, d.page) != (ref.doc_id, ref.page) for d in s.documents):
            s.documents.append(ref)
        s.relations += 1
    return sorted(by_source.values(), key=lambda s: (-len(s.recipients), s.source_name))


def counts(relations: Iterable[RelationRecord]) -> tuple[dict[str, int], dict[str, int]]:
    """(recipients per source id, sources per recipient id), distinct agencies, grants only."""
    out_: dict[str, set[str]] = defaultdict(set)
    in_: dict[str, set[str]] = defaultdict(set)
    for r in relations:
        if r.polarity == "grant":
            out_[r.source_id].add(r.recipient_id)
            in_[r.recipient_id].add(r.source_id)
    return {k: len(v) for k, v in out_.items()}, {k: len(v) for k, v in in_.items()}


class Change(BaseModel):
    doc_id: str
    path: str
    as_of: str
    previous_doc_id: str | None
    recipients: int
    added: dict[str, str] = Field(default_factory=dict)  # id -> name
    removed: dict[str, str] = Field(default_factory=dict)


def changes(relations: Iterable[RelationRecord], source_id: str) -> list[Change]:
    """The recipients of one source per document, in date order, and what changed between them."""
    per_doc: dict[str, dict[str, str]] = {}
    meta: dict[str, tuple[str, str]] = {}
    for r in relations:
        if r.source_id == source_id and r.polarity == "grant":
            per_doc.setdefault(r.doc_id, {})[r.recipient_id] = r.recipient_name
            meta[r.doc_id] = (r.as_of or "", r.path)
    out: list[Change] = []
    previous: tuple[str, dict[str, str]] | None = None
    for doc_id in sorted(per_doc, key=lambda d: (meta[d][0], meta[d][1])):
        now = per_doc[doc_id]
        before = previous[1] if previous else {}
        out.append(Change(
            doc_id=doc_id, path=meta[doc_id][1], as_of=meta[doc_id][0],
            previous_doc_id=previous[0] if previous else None, recipients=len(now),
            added={k: v for k, v in now.items() if previous and k not in before},
            removed={k: v for k, v in before.items() if k not in now},
        ))
        previous = (doc_id, now)
    return out


def graph(relations: Iterable[RelationRecord]) -> "nx.MultiDiGraph":
    import networkx as nx  # imported when a graph is asked for: `network --to` never pays for it

    g = nx.MultiDiGraph()
    for r in relations:
        g.add_node(r.source_id, label=r.source_name)
        g.add_node(r.recipient_id, label=r.recipient_name)
        g.add_edge(r.source_id, r.recipient_id, kind=r.kind, polarity=r.polarity, data_type=r.data_type or "",
                   vendor=r.platform_vendor or "", via=" > ".join(r.via), as_of=r.as_of or "", doc_id=r.doc_id, page=r.page,
                   evidence=r.text)
    return g


def write_graphml(relations: Iterable[RelationRecord], path: Path | str) -> None:
    import networkx as nx

    nx.write_graphml(graph(relations), str(path))


def reach(relations: Iterable[RelationRecord], targets: set[str], hops: int = 1) -> dict[str, int]:
    """Agencies with a path of at most ``hops`` grant edges into ``targets``: id -> shortest length."""
    import networkx as nx

    g = nx.DiGraph()
    g.add_edges_from((r.source_id, r.recipient_id) for r in relations if r.polarity == "grant")
    out: dict[str, int] = {}
    reverse = g.reverse(copy=False)
    for t in targets & set(g):
        for node, dist in nx.single_source_shortest_path_length(reverse, t, cutoff=hops).items():
            if node not in targets and dist > 0:
                out[node] = min(dist, out.get(node, dist))
    return out
