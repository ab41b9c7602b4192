"""The one lock around pdfium calls in a process. pdfium is not thread-safe (its error code is
global state, and two documents read from two threads at once corrupt its heap), yet a batch runs
documents side by side in threads (Prefect tasks) and the web UI renders pages in request
threads. Every pdfium call from foialens code holds this lock; the slow work that needs no pdfium
(tesseract, tagging, indexing) runs outside it, so documents still overlap."""

from __future__ import annotations

import threading

PDFIUM = threading.RLock()
