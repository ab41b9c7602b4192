"""The bundled sample batch: realistic contracts, an MOU, a policy and FOIA productions.

``generate_sample_batch(out_dir)`` writes the PDFs plus ``ground_truth.json`` (what every page
contains: vendors, data types, agencies, clauses, exemptions, redaction boxes, Bates numbers),
both produced from the same document definitions. Output is deterministic and cached: nothing is
rewritten while the ``.generator-version`` stamp matches.

    python -m samples.generate OUT_DIR
"""

from __future__ import annotations

import argparse
from pathlib import Path

from foialens.samples.agreements import alpr_usage_policy, dmv_fusion_mou, procurement_packet
from foialens.samples.batch import TRUTH_FILE, load_ground_truth, source_version, write_batch
from foialens.samples.contracts import (
    clearview_pilot,
    data_broker_subscriptions,
    palantir_icm_task_order,
    venntel_location_order,
    vigilant_alpr_contract,
)
from foialens.samples.foia import ice_foia_cover_letter, ice_foia_production, ice_foia_scanned_production
from foialens.samples.render import Doc
from foialens.samples.setting import DEFAULT

DOCUMENT_BUILDERS = (
    vigilant_alpr_contract,
    palantir_icm_task_order,
    clearview_pilot,
    data_broker_subscriptions,
    venntel_location_order,
    dmv_fusion_mou,
    alpr_usage_policy,
    procurement_packet,
    ice_foia_cover_letter,
    ice_foia_production,
    ice_foia_scanned_production,
)


def sample_documents() -> list[Doc]:
    """The documents of the bundled batch."""
    return [build(DEFAULT) for build in DOCUMENT_BUILDERS]


def generate_sample_batch(out_dir: Path) -> Path:
    """Write the sample batch into ``out_dir`` (skipped when already current) and return it."""
    out_dir = Path(out_dir)
    write_batch(out_dir, f"sample-batch {source_version()}", sample_documents(), {"batch": "sample"})
    return out_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.generate", description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="folder to write the sample PDFs into")
    args = parser.parse_args(argv)
    out = generate_sample_batch(args.out_dir)
    truth = load_ground_truth(out)
    for doc in truth["documents"]:
        scanned = f", scanned pages {doc['scanned_pages']}" if doc["scanned_pages"] else ""
        print(f"{out / doc['file']}  ({doc['kind']}, {doc['pages']} pages{scanned})")
    pages = sum(d["pages"] for d in truth["documents"])
    print(f"{len(truth['documents'])} PDFs, {pages} pages; ground truth in {out / TRUTH_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
