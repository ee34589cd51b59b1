"""Stored records in the order they were written: PostgreSQL's JSONB re-sorts object keys."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

Reorder = Callable[[Any], Any]


def _object(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any] | None:
    """Follow $ref, oneOf and array items down to a schema node with properties."""
    if "$ref" in node:
        return _object(defs[node["$ref"].rsplit("/", 1)[1]], defs)
    for alternative in node.get("oneOf", []) + node.get("anyOf", []):
        found = _object(alternative, defs)
        if found is not None:
            return found
    if isinstance(node.get("items"), dict):
        return _object(node["items"], defs)
    return node if node.get("properties") else None


def _reorder(node: dict[str, Any], defs: dict[str, Any]) -> Reorder | None:
    """A function that puts an object's keys (and its nested objects') in schema order."""
    obj = _object(node, defs)
    if obj is None:
        return None
    keys = tuple(obj["properties"])
    nested = {k: f for k, v in obj["properties"].items() if (f := _reorder(v, defs)) is not None}

    def fix(value: Any) -> Any:
        if type(value) is list:
            return [fix(v) for v in value]
        if type(value) is not dict:
            return value
        out = {}
        for key in keys:
            if key in value:
                v, f = value[key], nested.get(key)
                out[key] = v if f is None or v is None else f(v)
        if len(out) < len(value):  # fields the schema does not list keep their stored order
            out.update((k, v) for k, v in value.items() if k not in out)
        return out

    return fix


@lru_cache(maxsize=1)
def in_record_order() -> Reorder:
    """JSONB sorts keys by length; the published schema lists them in the order records have."""
    from eventwire.output import event_schema

    schema = event_schema()
    return _reorder(schema, schema.get("$defs", {})) or (lambda value: value)
