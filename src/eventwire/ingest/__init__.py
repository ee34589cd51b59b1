"""Ingest: files, directories, stdin, HTML and JSONL -> cleaned Articles (or Skipped)."""

from eventwire.ingest.build import article_from_text
from eventwire.ingest.clean import clean_text
from eventwire.ingest.readers import read_inputs

__all__ = ["article_from_text", "clean_text", "read_inputs"]
