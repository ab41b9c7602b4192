"""The ``foialens`` command line: the top of the house. It imports flows/, search/, store/ and
web/; nothing imports it. ``cli.main`` builds the click command group from the command modules."""

import time as _time

STARTED_AT = _time.time()  # when the command started (first foialens import): ingests' wall time runs from here
