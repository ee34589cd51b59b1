"""Actors: the knowledge base, role rules and mentions on the Doc.

The names below load lazily so that light modules of this package (the `eventwire kb`
command, the importers) can be imported without spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eventwire.resolve.actors.lookup import actors_for_token
    from eventwire.resolve.actors.mentions import annotate_mentions

__all__ = ["actors_for_token", "annotate_mentions"]


def __getattr__(name: str) -> Any:
    """PEP 562: import the spaCy-bound modules on first use."""
    if name == "actors_for_token":
        from eventwire.resolve.actors.lookup import actors_for_token

        return actors_for_token
    if name == "annotate_mentions":
        from eventwire.resolve.actors.mentions import annotate_mentions

        return annotate_mentions
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
