"""foialens: search FOIA releases and government contracts for surveillance vendors, personal data
types and the clauses that give ICE/DHS access to that data, with page-level evidence.

The packages map onto the project's top-level folders (see pyproject.toml, package-dir):
``foialens.extractors`` (extractors/), ``foialens.models`` (models/), ``foialens.search``
(search/), ``foialens.store`` (store/), ``foialens.flows`` (flows/), ``foialens.web`` (web/),
``foialens.cli`` (cli/) and ``foialens.samples`` (samples/).
"""
