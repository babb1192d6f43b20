"""Errors cxnlp raises on purpose. Each says what was expected, what was found and how to fix it."""

from __future__ import annotations


class CxnlpError(Exception):
    """Base class of every error cxnlp raises on purpose."""


class DataError(CxnlpError, ValueError):
    """Input data is unreadable or does not match what is expected.

    ``row`` is the 1-based data row (not counting a CSV header); ``field`` the column.
    """

    def __init__(self, message: str, *, row: int | None = None, field: str | None = None, source: str | None = None):
        self.row, self.field, self.source = row, field, source
        where = []
        if source:
            where.append(str(source))
        if row is not None:
            where.append(f"row {row}")
        if field is not None:
            where.append(f"field {field!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class TaxonomyError(CxnlpError, ValueError):
    """A label taxonomy is malformed or a label is not in it."""


class ModelFormatError(CxnlpError):
    """A model directory is missing, corrupt or was written by an incompatible version."""


class NotFittedError(CxnlpError, AttributeError):
    """The classifier was used before ``fit`` or ``load``."""


class MissingDependencyError(CxnlpError, ImportError):
    """An optional dependency is not installed."""

    def __init__(self, package: str, extra: str):
        super().__init__(f"this feature needs {package!r}, which is not installed. Fix: pip install \"cxnlp[{extra}]\"")
