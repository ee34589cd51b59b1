"""The one error a store raises for a database it cannot open, read or write."""

from __future__ import annotations


class StoreError(RuntimeError):
    """The database cannot be opened or written (locked, not a database, too old, ...)."""
