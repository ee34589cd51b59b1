"""Actors: the knowledge base, role rules and mentions on the Doc (issue 2 item 5, issue 3)."""

from eventwire.resolve.actors.lookup import actors_for_token
from eventwire.resolve.actors.mentions import annotate_mentions

__all__ = ["actors_for_token", "annotate_mentions"]
