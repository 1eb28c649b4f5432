"""The base of the errors a user can fix (bad data, bad query, no build yet).

The CLI prints their message and exits with a non-zero status, without a traceback.
"""


class UserError(Exception):
    """A mistake in the input, reported with a message that names the place."""

    exit_code = 1

    def report(self) -> str:
        return str(self)
