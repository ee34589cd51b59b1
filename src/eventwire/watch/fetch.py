"""Every URL the watcher reads, fetched one way: httpx with timeouts, a size cap and our name.

Redirects are followed and the final URL reported, so a moved feed is fetched from its new
place next time. A body larger than the cap is cut off while streaming, never held whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from eventwire import __version__

USER_AGENT = f"eventwire/{__version__} (news event coder; feed watcher)"
ROBOTS_AGENT = "eventwire"  # the name robots.txt rules are matched against
MAX_BYTES = 10_000_000
TIMEOUT = 20.0
MAX_REDIRECTS = 5


@dataclass
class Fetched:
    """One response (status 0 = no response: `error` says why)."""

    url: str  # after redirects
    status: int = 0
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    redirected: bool = False

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


@dataclass
class Fetcher:
    """A shared httpx client (connection pooling across threads) with the watcher's limits."""

    timeout: float = TIMEOUT
    max_bytes: int = MAX_BYTES
    user_agent: str = USER_AGENT
    client: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.client = httpx.Client(
            timeout=httpx.Timeout(self.timeout),
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
            trust_env=False,  # no proxy from the environment: we talk to the sources only
        )

    def get(self, url: str, headers: dict[str, str] | None = None) -> Fetched:
        """GET `url`; never raises for network trouble (Fetched.error instead)."""
        try:
            with self.client.stream("GET", url, headers=headers or {}) as response:
                found = Fetched(
                    url=str(response.url),
                    status=response.status_code,
                    headers={k.lower(): v for k, v in response.headers.items()},
                    redirected=bool(response.history),
                )
                if response.status_code == 200:
                    self._read(response, found)
                return found
        except httpx.TimeoutException:
            return Fetched(url=url, error=f"timed out after {self.timeout:g} s")
        except httpx.TooManyRedirects:
            return Fetched(url=url, error=f"more than {MAX_REDIRECTS} redirects")
        except (httpx.HTTPError, ValueError) as exc:  # refused, reset, bad URL, bad encoding
            return Fetched(url=url, error=f"{type(exc).__name__}: {exc}"[:300])

    def _read(self, response: httpx.Response, found: Fetched) -> None:
        """The body, up to the cap (a declared length above it is refused before reading)."""
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            found.error = f"too large ({declared} bytes > limit {self.max_bytes})"
            return
        body = bytearray()
        for part in response.iter_bytes():
            body += part
            if len(body) > self.max_bytes:
                found.error = f"too large (more than {self.max_bytes} bytes)"
                return
        found.body = bytes(body)

    def close(self) -> None:
        self.client.close()
