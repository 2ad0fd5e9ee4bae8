"""The one exception the build raises for bad input, so the CLI can print it without a traceback."""


class BuildError(Exception):
    """A problem in a source file or the register that stops the build; the message names file, row and column."""
