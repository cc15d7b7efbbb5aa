"""Sources on the web: article URLs and RSS/Atom feeds.

Fetching is deliberately strict, because a scheduled run reads whatever a feed points to:
only ``http``/``https``, a size cap, a time limit, and redirects followed by hand so that
one to another scheme (``file:``, ``ftp:``) is refused. A feed expands into one source per
entry; an article URL is one source. Network failures raise ``TransientSourceError`` so
the orchestration can retry them; anything else is a ``SourceError``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import httpx

from pipeline.config.schema import WebConfig, is_url
from pipeline.sources.discover import discover_sources, safe_id
from pipeline.sources.html import extract_html, looks_like_html
from pipeline.sources.read import decode_bytes
from pipeline.text import normalise_newlines
from pipeline.types import RawDocument, Source, SourceError

ALLOWED_SCHEMES = ("http", "https")
USER_AGENT = "Briefing/0.1 (+news briefing; respects robots by only fetching what it is given)"


class TransientSourceError(SourceError):
    """A failure that may pass (time-out, connection refused, 5xx): worth a retry."""


@dataclass(frozen=True)
class FetchLimits:
    timeout: float = 20.0  # seconds, for connect and each read
    max_bytes: int = 5_000_000
    max_redirects: int = 5

    @classmethod
    def of(cls, web: WebConfig) -> FetchLimits:
        return cls(timeout=web.timeout, max_bytes=web.max_bytes)


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content: bytes
    content_type: str


def check_url(url: str) -> str:
    """The URL if its scheme is http(s) and it names a host; else a ``SourceError``."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise SourceError(f"only http and https URLs are fetched, not {parts.scheme!r}: {url}")
    if not parts.hostname:
        raise SourceError(f"URL has no host: {url}")
    return url


def fetch(url: str, limits: FetchLimits | None = None) -> Fetched:
    """GET ``url`` within the limits, following http(s) redirects only."""
    limits = limits or FetchLimits()
    current = check_url(url)
    timeout = httpx.Timeout(limits.timeout)
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html, application/xml, text/*;q=0.9"}
    with httpx.Client(timeout=timeout, follow_redirects=False, headers=headers) as client:
        for _ in range(limits.max_redirects + 1):
            try:
                with client.stream("GET", current) as response:
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        current = check_url(urljoin(current, location))
                        continue
                    if response.status_code >= 500 or response.status_code == 429:
                        raise TransientSourceError(
                            f"{current} answered HTTP {response.status_code}; will retry"
                        )
                    if response.status_code >= 400:
                        raise SourceError(f"{current} answered HTTP {response.status_code}")
                    declared = int(response.headers.get("content-length") or 0)
                    if declared > limits.max_bytes:
                        raise SourceError(_too_big(current, limits.max_bytes))
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > limits.max_bytes:
                            raise SourceError(_too_big(current, limits.max_bytes))
                        chunks.append(chunk)
                    content_type = response.headers.get("content-type", "")
                    return Fetched(url=current, content=b"".join(chunks), content_type=content_type)
            except httpx.TimeoutException as error:
                raise TransientSourceError(f"timed out fetching {current}: {error}") from error
            except httpx.TransportError as error:
                raise TransientSourceError(f"could not fetch {current}: {error}") from error
    raise SourceError(f"more than {limits.max_redirects} redirects from {url}")


def _too_big(url: str, limit: int) -> str:
    return f"{url} is larger than the {limit // 1_000_000} MB limit for web sources"


def feed_entries(fetched: Fetched) -> list[tuple[str, str]] | None:
    """(link, title) of each entry when ``fetched`` is an RSS/Atom feed, else None."""
    looks_like_feed = any(
        t in fetched.content_type for t in ("rss", "atom", "xml")
    ) or fetched.content.lstrip()[:200].lower().startswith((b"<?xml", b"<rss", b"<feed"))
    if not looks_like_feed:
        return None
    parsed = feedparser.parse(fetched.content)
    if not parsed.get("version") and not parsed.entries:
        return None
    entries = []
    for entry in parsed.entries:
        link = entry.get("link")
        if link:
            entries.append((urljoin(fetched.url, link), entry.get("title", "")))
    return entries


def url_source_id(url: str) -> str:
    """A readable, stable id for a web source: host and last path part, plus a short hash."""
    parts = urlsplit(url)
    tail = [p for p in parts.path.split("/") if p]
    stem = tail[-1].rsplit(".", 1)[0] if tail else ""
    digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:8]
    return safe_id(
        f"{parts.hostname or 'web'}-{stem}-{digest}" if stem else f"{parts.hostname}-{digest}"
    )


def expand_url(url: str, limits: FetchLimits | None = None) -> list[Source]:
    """One source for an article URL; one per entry for a feed. A URL that can't be
    fetched now stays one source, so reading it later reports why (nothing is dropped)."""
    try:
        fetched = fetch(url, limits)
    except SourceError:
        return [Source(id=url_source_id(url), path=url)]
    entries = feed_entries(fetched)
    if entries is None:
        return [Source(id=url_source_id(fetched.url), path=url)]
    return [Source(id=url_source_id(link), path=link) for link, _ in entries]


def read_url(source: Source, limits: FetchLimits | None = None) -> RawDocument:
    """Fetch a web source and reduce it to its article text, like a local HTML file."""
    fetched = fetch(source.path, limits)
    text, encoding = decode_bytes(fetched.content)
    if "html" in fetched.content_type or looks_like_html(text):
        body, title = extract_html(text)
        return RawDocument(source, normalise_newlines(body), encoding, "html", title)
    if fetched.content_type and not fetched.content_type.startswith("text/"):
        raise SourceError(f"{source.path} is {fetched.content_type}, not an article")
    return RawDocument(source, normalise_newlines(text), encoding, "text")


def gather_sources(entries: list[str], limits: FetchLimits | None = None) -> list[Source]:
    """Every source named by config or command line: files, folders, globs, URLs, feeds.

    Ids are unique across the run, in the order the entries were given.
    """

    sources: list[Source] = []
    paths: list[Path] = []  # consecutive local entries, discovered together (one file
    for entry in entries:  # named twice under two spellings is then read once)
        if is_url(entry):
            sources.extend(discover_sources(paths) if paths else [])
            paths = []
            sources.extend(expand_url(entry, limits))
        else:
            paths.append(Path(entry))
    sources.extend(discover_sources(paths) if paths else [])
    return _unique(sources)


def _unique(sources: list[Source]) -> list[Source]:
    seen_paths: set[str] = set()
    used: set[str] = set()
    result = []
    for source in sources:
        if source.path in seen_paths:
            continue
        seen_paths.add(source.path)
        source_id, n = source.id, 2
        while source_id in used:
            source_id, n = f"{source.id}-{n}", n + 1
        used.add(source_id)
        result.append(source if source_id == source.id else Source(source_id, source.path))
    return result
