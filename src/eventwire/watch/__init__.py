"""Watch feeds and sites politely, code what is new, and never fetch the same thing twice.

fetch (httpx) -> polite (robots.txt, pacing, back-off) -> parse (feedparser, sitemaps, OPML,
feed discovery) -> poll (one feed) -> pages (one article, read by ingest) -> round -> service.
"""
