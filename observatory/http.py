"""The one HTTP client every collector uses: polite, bounded, retrying, archiving, replayable.

Why one client: timeouts, retries with backoff, rate limits, size limits, politeness and secret
handling are easy to get subtly wrong, so they live here once. Every final outcome (a body, or an
error such as a timeout) goes to the :class:`~observatory.archive.RawArchive`; in ``replay`` mode
the client answers from that archive only, so ``observatory rebuild`` re-runs collectors offline.

The clock (``now``/``monotonic``/``sleep``) is injectable, so tests never wait for real seconds.

What libraries do, they do: tenacity runs the retry loop (stop after N attempts, which outcomes retry,
our wait and sleep), requests follows redirects and drops the token on another host. What is ours stays
here: the raw archive and replay, conditional requests from the archive's validators (the archive is the
cache, so a second HTTP cache such as requests-cache or hishel would only disagree with it), token
hygiene, per-host politeness, size limits on every hop, and the error kinds a run log records.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import requests
import tenacity

USER_AGENT = "civic-tech-observatory/0.1 (+open-source research collector; respects robots and rate limits)"
# Environment variables holding tokens, and the hosts (or endpoint) they may be sent to.
TOKEN_ENV_VARS: tuple[str, ...] = ("GITHUB_TOKEN", "GITLAB_TOKEN")
# Query parameters that carry secrets; stripped from every URL that is logged or archived.
SECRET_PARAMS = frozenset({"access_token", "private_token", "token", "api_key", "apikey", "key",
                           "client_secret", "client_id", "password", "sig", "signature"})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class FetchError(Exception):
    """A request that produced no usable response; ``kind`` names the failure for the run log."""

    kind = "fetch"

    def __init__(self, url: str, message: str, status: int | None = None) -> None:
        self.url = strip_secrets(url)
        self.status = status
        self.detail = redact(message)
        super().__init__(redact(f"{self.kind}: {message} ({self.url})"))


class TimeoutFetchError(FetchError):
    kind = "timeout"


class ConnectionFetchError(FetchError):
    kind = "connection"

    #: nothing listens at the address (ECONNREFUSED): retrying will not help, so the client fails fast
    refused = False


class TlsFetchError(FetchError):
    kind = "tls"


class TooLargeError(FetchError):
    kind = "too_large"


class RedirectLoopError(FetchError):
    kind = "redirect_loop"


class HttpStatusError(FetchError):
    kind = "status"


class ContentTypeError(FetchError):
    kind = "content_type"


class MalformedBodyError(FetchError):
    kind = "malformed"


class ReplayMissError(FetchError):
    kind = "replay_miss"


ERROR_KINDS: dict[str, type[FetchError]] = {
    cls.kind: cls
    for cls in (FetchError, TimeoutFetchError, ConnectionFetchError, TlsFetchError, TooLargeError,
                RedirectLoopError, HttpStatusError, ContentTypeError, MalformedBodyError, ReplayMissError)
}


def _secret_values() -> list[str]:
    return [v for name in TOKEN_ENV_VARS if (v := os.environ.get(name)) and len(v) >= 4]


def redact(text: str) -> str:
    """Replace any token value found in the environment by ``***`` (for logs, errors, archive)."""
    for secret in _secret_values():
        text = text.replace(secret, "***")
    return text


def strip_secrets(url: str) -> str:
    """Drop user:password and secret-looking query parameters, so the URL can be stored."""
    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if k.lower() not in SECRET_PARAMS])
    return redact(urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment)))


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}" if parts.port else (parts.hostname or "")


@dataclass
class Clock:
    """Wall clock, monotonic clock and sleep in one injectable object."""

    now: Callable[[], datetime] = lambda: datetime.now(UTC).replace(tzinfo=None)
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


class FakeClock(Clock):
    """A clock whose ``sleep`` only advances time: tests record the waits instead of waiting."""

    def __init__(self, start: datetime | None = None) -> None:
        self._t = 0.0
        self._start = start or datetime(2026, 11, 29, 12, 0, 0)
        self.sleeps: list[float] = []
        super().__init__(now=self._now, monotonic=lambda: self._t, sleep=self._sleep)

    def _now(self) -> datetime:
        from datetime import timedelta

        return self._start + timedelta(seconds=self._t)

    def _sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self._t += max(0.0, seconds)


@dataclass
class Response:
    """A complete, size-checked response (or one replayed from the archive)."""

    url: str                 # requested URL, secrets stripped
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime
    final_url: str
    redirects: int = 0
    elapsed_ms: float = 0.0
    not_modified: bool = False
    sha256: str = ""

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """Parse JSON, raising :class:`MalformedBodyError` (not a bare ValueError) on bad bodies."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise MalformedBodyError(self.url, f"body is not valid JSON: {exc}", self.status) from None

    def links(self) -> dict[str, str]:
        """RFC 8288 ``Link`` header as ``{rel: url}`` (GitHub/GitLab pagination)."""
        links = requests.utils.parse_header_links(self.headers.get("link", ""))
        return {link["rel"]: urljoin(self.final_url, link["url"]) for link in links if link.get("rel")}


@dataclass
class ClientConfig:
    user_agent: str = USER_AGENT
    timeout_s: float = 20.0
    max_retries: int = 3
    backoff_base_s: float = 1.0
    backoff_max_s: float = 60.0
    max_wait_s: float = 900.0       # longest Retry-After / rate-limit reset we accept before giving up
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 10
    politeness_s: float = 0.0       # minimum gap between two requests to one host
    verify_tls: bool = True


@dataclass
class HttpStats:
    """What the client has done so far in this run, for progress lines while it waits."""

    requests: int = 0
    retries: int = 0
    waits: int = 0
    waited_s: float = 0.0

    def line(self) -> str:
        return f"{self.requests} requests, {self.retries} retries, {self.waits} waits ({self.waited_s:.0f} s)"


ProgressHook = Callable[[str, HttpStats], None]


@dataclass
class _HostGate:
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_at: float = 0.0



class LastGood(Protocol):
    """What a conditional request needs from the last good answer for a URL."""

    etag: str | None
    last_modified: str | None
    sha256: str
    status: int


class ArchiveStore(Protocol):
    """What the client asks of the raw archive (``observatory.archive.RawArchive`` is the one we ship).

    Declared here so the client depends on an interface and the archive on the client's ``Response``, not
    both on each other.
    """

    def replay(self, run_id: str, method: str, url: str, body_sha256: str | None) -> Response: ...
    def validators(self, method: str, url: str, body_sha256: str | None) -> LastGood | None: ...
    def load(self, sha256: str) -> bytes: ...
    def record(self, run_id: str, method: str, url: str, body_sha256: str | None, resp: Response) -> None: ...
    def record_error(self, run_id: str, method: str, url: str, body_sha256: str | None,
                     fetched_at: datetime, exc: FetchError) -> None: ...

class HttpClient:
    """GET/POST with retries, politeness, limits, conditional requests and archiving.

    ``mode="live"`` talks to the network (and archives); ``mode="replay"`` serves the entries of
    ``replay_run_id`` from the archive in order and never opens a socket.
    """

    def __init__(
        self,
        archive: ArchiveStore | None = None,
        run_id: str = "adhoc",
        config: ClientConfig | None = None,
        clock: Clock | None = None,
        mode: str = "live",
        tokens: Mapping[str, str] | None = None,
        rng: random.Random | None = None,
        session: requests.Session | None = None,
    ) -> None:
        if mode not in ("live", "replay"):
            raise ValueError(f"unknown client mode {mode!r}")
        if mode == "replay" and archive is None:
            raise ValueError("replay mode needs an archive")
        self.archive = archive
        self.run_id = run_id
        self.config = config or ClientConfig()
        self.clock = clock or Clock()
        self.mode = mode
        self.tokens = dict(tokens or {})      # host -> env var name whose value is sent as a bearer token
        self.rng = rng or random.Random()
        self.session = session or requests.Session()
        self.session.trust_env = False        # no proxies / netrc credentials leaking into requests
        self._gates: dict[str, _HostGate] = {}
        self._gates_lock = threading.Lock()
        self.stats = HttpStats()
        self.on_progress: ProgressHook | None = None  # called with an event name: request, retry, wait
        self._refused_hosts: dict[str, str] = {}  # host -> the refusal, so later requests fail at once

    def _report(self, event: str) -> None:
        if self.on_progress is not None:
            self.on_progress(event, self.stats)

    def _sleep(self, seconds: float) -> None:
        self.stats.waits += 1
        self.stats.waited_s += seconds
        self._report("wait")
        self.clock.sleep(seconds)

    # -- public API ---------------------------------------------------------------------------

    def get(self, url: str, *, params: Mapping[str, Any] | None = None,
            headers: Mapping[str, str] | None = None, accept: str | None = None,
            conditional: bool = True, expect: tuple[str, ...] = ()) -> Response:
        return self.request("GET", url, params=params, headers=headers, accept=accept,
                            conditional=conditional, expect=expect)

    def post_json(self, url: str, payload: Any, *, headers: Mapping[str, str] | None = None,
                  expect: tuple[str, ...] = ("application/json",)) -> Response:
        body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
        hdrs = {"Content-Type": "application/json", **(headers or {})}
        return self.request("POST", url, data=body, headers=hdrs, accept="application/json",
                            conditional=False, expect=expect)

    def request(self, method: str, url: str, *, params: Mapping[str, Any] | None = None,
                data: bytes | None = None, headers: Mapping[str, str] | None = None,
                accept: str | None = None, conditional: bool = True,
                expect: tuple[str, ...] = ()) -> Response:
        """One logical request: archived outcome, or a :class:`FetchError` (also archived).

        ``expect`` lists acceptable content types; any other raises :class:`ContentTypeError`.
        """
        if params:
            sep = "&" if urlsplit(url).query else "?"
            url = f"{url}{sep}{urlencode(params)}"
        clean_url = strip_secrets(url)
        body_hash = hashlib.sha256(data).hexdigest() if data is not None else None
        if self.mode == "replay":
            assert self.archive is not None
            resp = self.archive.replay(self.run_id, method, clean_url, body_hash)
        else:
            resp = self._live(method, url, clean_url, data, body_hash, headers, accept, conditional)
        if resp.status >= 400:
            raise HttpStatusError(clean_url, f"HTTP {resp.status}", resp.status)
        if expect and resp.content_type not in expect:
            raise ContentTypeError(clean_url, f"content type {resp.content_type or 'missing'!r}, "
                                              f"expected {' or '.join(expect)}", resp.status)
        return resp

    # -- live path ----------------------------------------------------------------------------

    def _live(self, method: str, url: str, clean_url: str, data: bytes | None, body_hash: str | None,
              headers: Mapping[str, str] | None, accept: str | None, conditional: bool) -> Response:
        hdrs = {"User-Agent": self.config.user_agent, "Accept-Encoding": "gzip, deflate"}
        if accept:
            hdrs["Accept"] = accept
        hdrs.update(headers or {})
        token = self._token_for(url)
        if token:
            hdrs["Authorization"] = f"Bearer {token}"
        previous = None
        if conditional and self.archive is not None and method == "GET":
            previous = self.archive.validators(method, clean_url, body_hash)
            if previous is not None:
                if previous.etag:
                    hdrs["If-None-Match"] = previous.etag
                if previous.last_modified:
                    hdrs["If-Modified-Since"] = previous.last_modified
        fetched_at = self.clock.now()
        try:
            resp = self._with_retries(method, url, clean_url, data, hdrs, fetched_at)
        except FetchError as exc:
            if self.archive is not None:
                self.archive.record_error(self.run_id, method, clean_url, body_hash, fetched_at, exc)
            raise
        if resp.status == 304 and previous is not None:
            assert self.archive is not None
            resp.body = self.archive.load(previous.sha256)
            resp.status = previous.status
            resp.not_modified = True
        if self.archive is not None:
            self.archive.record(self.run_id, method, clean_url, body_hash, resp)
        return resp

    def _token_for(self, url: str) -> str | None:
        env = self.tokens.get(host_of(url))
        return os.environ.get(env) if env else None

    def _with_retries(self, method: str, url: str, clean_url: str, data: bytes | None,
                      headers: dict[str, str], fetched_at: datetime) -> Response:
        """tenacity runs the loop (stop, predicates, wait); the waits go through our clock and stats."""
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.config.max_retries + 1),
            retry=tenacity.retry_if_exception(_transient) | tenacity.retry_if_result(lambda r: r.status in RETRY_STATUSES),
            wait=lambda state: self._wait(state, clean_url),
            sleep=self._sleep,
            before_sleep=lambda state: self._count("retry"),
            retry_error_callback=lambda state: _give_up(state, clean_url),
        )
        return retrying(self._attempt, method, url, clean_url, data, headers, fetched_at)

    def _attempt(self, method: str, url: str, clean_url: str, data: bytes | None,
                 headers: dict[str, str], fetched_at: datetime) -> Response:
        resp = self._fetch(method, url, clean_url, data, headers, fetched_at)
        self._respect_rate_limit(resp, clean_url)
        return resp

    def _count(self, event: str) -> None:
        if event == "retry":
            self.stats.retries += 1
        else:
            self.stats.requests += 1
        self._report(event)

    def _wait(self, state: tenacity.RetryCallState, clean_url: str) -> float:
        """``Retry-After`` when the server gives it, else exponential backoff with equal jitter."""
        resp = None if state.outcome is None or state.outcome.failed else state.outcome.result()
        wait = parse_retry_after(resp.headers.get("retry-after"), self.clock.now()) if resp is not None else None
        if wait is None:
            cap = min(self.config.backoff_max_s, self.config.backoff_base_s * (2 ** (state.attempt_number - 1)))
            wait = self.rng.uniform(cap / 2, cap)
        if wait > self.config.max_wait_s:
            raise HttpStatusError(clean_url, f"server asks to wait {wait:.0f}s, more than allowed",
                                  resp.status if resp else None)
        return wait

    def _respect_rate_limit(self, resp: Response, clean_url: str) -> None:
        """GitHub/GitLab style: when no request is left, wait until the reset epoch."""
        remaining = resp.headers.get("x-ratelimit-remaining") or resp.headers.get("ratelimit-remaining")
        reset = resp.headers.get("x-ratelimit-reset") or resp.headers.get("ratelimit-reset")
        if remaining is None or reset is None:
            return
        try:
            if int(remaining) > 0:
                return
            reset_at = float(reset)
        except ValueError:
            return
        now_epoch = self.clock.now().replace(tzinfo=UTC).timestamp()
        wait = max(0.0, reset_at - now_epoch) + 1.0
        if wait > self.config.max_wait_s:
            raise HttpStatusError(clean_url, f"rate limit exhausted for {wait:.0f}s", resp.status)
        self._sleep(wait)

    def _polite(self, url: str) -> None:
        """At most one request per ``politeness_s`` to a host, shared across threads."""
        gap = self.config.politeness_s
        if gap <= 0:
            return
        host = host_of(url)
        with self._gates_lock:
            gate = self._gates.setdefault(host, _HostGate())
        with gate.lock:
            now = self.clock.monotonic()
            if gate.next_at > now:
                self._sleep(gate.next_at - now)
                now = self.clock.monotonic()
            gate.next_at = now + gap

    def _read_limited(self, r: requests.Response) -> bytes:
        """The body, refused past ``max_bytes`` whether the size is declared or only streamed."""
        limit = self.config.max_bytes
        declared = r.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise TooLargeError(r.url, f"declared size {declared} bytes exceeds {limit}")
        chunks: list[bytes] = []
        total = 0
        for chunk in r.iter_content(64 * 1024):
            total += len(chunk)
            if total > limit:
                raise TooLargeError(r.url, f"body exceeds {limit} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    def _hop(self, r: requests.Response, **_: object) -> requests.Response:
        """requests follows redirects (and drops the token on another host); each hop is bounded and polite."""
        if r.is_redirect:
            r._content = self._read_limited(r)  # requests would read a redirect's body without a limit
            self._polite(urljoin(r.url, r.headers["location"]))
            self._count("request")
        return r

    def _fetch(self, method: str, url: str, clean_url: str, data: bytes | None,
               headers: dict[str, str], fetched_at: datetime) -> Response:
        refused = self._refused_hosts.get(host_of(url))
        if refused is not None:
            error = ConnectionFetchError(url, f"refused earlier in this run, not retried ({refused})")
            error.refused = True
            raise error
        self._polite(url)
        self._count("request")
        start = self.clock.monotonic()
        self.session.max_redirects = self.config.max_redirects
        try:
            with self.session.request(method, url, data=data, headers=headers, stream=True,
                                      timeout=self.config.timeout_s, verify=self.config.verify_tls,
                                      hooks={"response": self._hop}) as r:
                body = self._read_limited(r)
                hdrs = {k.lower(): v for k, v in r.headers.items()}
                return Response(url=clean_url, status=r.status_code, headers=hdrs, body=body,
                                fetched_at=fetched_at, final_url=strip_secrets(r.url), redirects=len(r.history),
                                elapsed_ms=round((self.clock.monotonic() - start) * 1000, 1),
                                sha256=hashlib.sha256(body).hexdigest())
        except requests.exceptions.TooManyRedirects:
            raise RedirectLoopError(clean_url, f"more than {self.config.max_redirects} redirects") from None
        except requests.exceptions.SSLError as exc:
            raise TlsFetchError(url, _short(exc)) from None
        except (requests.exceptions.Timeout, TimeoutError) as exc:
            raise TimeoutFetchError(url, f"no answer within {self.config.timeout_s}s ({_short(exc)})") from None
        except requests.exceptions.ChunkedEncodingError as exc:
            raise MalformedBodyError(url, f"truncated body: {_short(exc)}") from None
        except requests.exceptions.ContentDecodingError as exc:
            raise MalformedBodyError(url, f"undecodable body: {_short(exc)}") from None
        except requests.exceptions.ConnectionError as exc:
            if "timed out" in str(exc).lower():
                raise TimeoutFetchError(url, f"no answer within {self.config.timeout_s}s") from None
            error = ConnectionFetchError(url, _short(exc))
            if _is_refused(exc):
                error.refused = True
                self._refused_hosts[host_of(url)] = "connection refused: nothing listens there"
            raise error from None
        except requests.exceptions.RequestException as exc:
            raise FetchError(url, _short(exc)) from None


def _transient(exc: BaseException) -> bool:
    """Timeouts and dropped connections are worth another try; a refused connection is not."""
    return isinstance(exc, TimeoutFetchError | ConnectionFetchError) and not getattr(exc, "refused", False)


def _give_up(state: tenacity.RetryCallState, clean_url: str) -> Response:
    """Attempts exhausted: re-raise the last error, or say which status kept coming back."""
    assert state.outcome is not None
    if state.outcome.failed:
        raise state.outcome.exception()  # type: ignore[misc]
    status = state.outcome.result().status
    raise HttpStatusError(clean_url, f"HTTP {status} after {state.attempt_number} attempts", status)


def _is_refused(exc: BaseException) -> bool:
    """True when the connection was actively refused (no server at that address and port)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ConnectionRefusedError):
            return True
        for arg in getattr(current, "args", ()):
            if isinstance(arg, BaseException) and _is_refused(arg):
                return True
        current = current.__cause__ or current.__context__ or getattr(current, "reason", None)
    return "connection refused" in str(exc).lower()


def _short(exc: BaseException) -> str:
    text = redact(str(exc))
    return text if len(text) < 300 else text[:297] + "..."


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """``Retry-After`` as seconds: either a number or an HTTP date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return max(0.0, (when - now).total_seconds())
