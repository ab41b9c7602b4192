"""The ``foialens`` command line: the top of the house. It imports flows/, search/, store/ and
web/; nothing imports it. ``cli.main`` builds the Typer app from the command modules."""
