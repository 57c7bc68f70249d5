"""The errors mlpivot raises on purpose.

Every one carries a message written for a person, naming what was wrong and where; the CLI
prints it as one sentence and the web shows it on the page. Catch `MlpivotError` to catch all.
"""

from __future__ import annotations


class MlpivotError(Exception):
    """Base of every error mlpivot raises deliberately."""


class UserError(MlpivotError):
    """The person asked for something that cannot be done as asked (unknown id, bad file...)."""


class NotFoundError(UserError):
    """An id or a record does not exist, or belongs to somebody else."""


class CatalogError(MlpivotError):
    """The knowledge base is invalid; `problems` lists each one as `file:line: what`."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = f"the knowledge base has {count} problem{'s' if count != 1 else ''}"
        super().__init__(head + ":\n" + "\n".join(self.problems))


class IngestError(UserError):
    """A document could not be read: names the file and the problem."""


class StaleWriteError(MlpivotError):
    """A versioned record changed since it was read; the write was refused, nothing merged."""


class AuthError(MlpivotError):
    """The request is not allowed in this auth mode or for this user."""
