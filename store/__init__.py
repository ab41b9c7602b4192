"""The data directory: what flows/ writes and web/ and the CLI read.

``foialens.store.datadir.DataDir`` is the one way in: stored per-document results, copies of the
original PDFs, batch summaries, page images. It knows nothing of Prefect, spaCy or HTTP.
"""
