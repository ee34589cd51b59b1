"""One real-world event, many reports: syndicated copies, event groups and story threads.

Sits between resolve and store: it reads coded PLOVER records (never the Doc), so the same
code links articles as they are ingested and events already stored.
"""

from __future__ import annotations

# MinHash Jaccard estimate over 5-word shingles above which two articles are one story copy
# (tuned on tests/data/linking_dev.jsonl, see README "Event groups").
COPY_THRESHOLD = 0.5
# pairwise score (link/score.py) at or above which an event joins a group (same tuning).
LINK_THRESHOLD = 0.55
