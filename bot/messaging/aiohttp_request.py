"""The Bot API calls on aiohttp: python-telegram-bot's `BaseRequest`, the extension point it
documents for another HTTP library, in place of its httpx one.

Why: httpx costs most of a send's CPU. Measured on the bench's machine against a loopback
server in another process, CPU per POST: httpx 0.82-0.95 ms, aiohttp 0.20-0.28 ms on one
connection; 1.5 ms against 0.10 ms with 16 in flight (bench/README.md, finding K). In the reply
burst, python-telegram-bot's `HTTPXRequest.do_request` was ~36% of the process's time.

The contract is `HTTPXRequest`'s (python-telegram-bot's `_httpxrequest.py`):

* `do_request` returns (status, body). Parameters go form-encoded; with files, as multipart
  encoded byte for byte as httpx encodes it (HTML5 escaping of names, UTF-8 file names), which
  is what Telegram and the emulator have always received: aiohttp's own form writer would
  percent-encode a Vietnamese file name ("Ph%E1%BB%A5 l%E1%BB%A5c.xlsx").
* Timeouts: a DEFAULT_NONE one is this request's own. aiohttp's timers do the work where it has
  them: the pool wait and the connection under one `connect` timer of pool + connect seconds,
  the connection itself under `sock_connect`, the read under `sock_read` (from the body's last
  byte out to the answer's first, and between the answer's chunks). aiohttp has no write
  timer: the answer's head must come within pool + connect + write + read seconds of the start
  (our deadline), which ends a write that stalls. A file upload's write timeout is
  `media_write_timeout` unless one is given, as in httpx's.
* Errors: a timeout is `telegram.error.TimedOut`, any other transport error `NetworkError`, the
  aiohttp exception as `__cause__` (bot/messaging/answers.py reads it to know whether the call
  may have reached Telegram). Their texts never carry the token, which every URL does: it is
  cut from ours and from aiohttp's (`scrub`).
* Redirects are not followed, cookies not kept (httpx's client followed none either; Telegram
  sets none).
* Proxies, as httpx did with `trust_env` (production never set one in code): HTTP_PROXY,
  HTTPS_PROXY, ALL_PROXY and NO_PROXY are read from the environment once, when the request is
  built, and the certificate authorities are certifi's bundle unless SSL_CERT_FILE or
  SSL_CERT_DIR name others. `trust_env=False` ignores all of these (the tests, the benchmarks).
  Only http:// proxies are supported (aiohttp tunnels HTTPS through them); another scheme is
  refused when the request is built rather than ignored.
"""

from __future__ import annotations

import asyncio
import os
import ssl
import urllib.request
from collections.abc import Mapping
from typing import IO, Any
from urllib.parse import urlencode

import aiohttp
import certifi
from telegram._utils.defaultvalue import DefaultValue  # what HTTPXRequest tests DEFAULT_NONE by
from telegram._utils.types import ODVInput  # what BaseRequest.do_request is annotated with
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.config import redact

FORM = "application/x-www-form-urlencoded"
# What a call on a connection that never opened (or never got out of the pool) raises: it did
# not reach Telegram (bot/messaging/answers.py).
NEVER_SENT = (
    aiohttp.ClientConnectorError  # refused, DNS, TLS, the proxy's connection
    | aiohttp.ConnectionTimeoutError  # no connection within pool + connect seconds
    | aiohttp.ClientHttpProxyError  # the proxy refused the tunnel
)


class AiohttpRequest(BaseRequest):
    """`connection_pool_size` connections at most (aiohttp's connector: taking one is O(1),
    unlike httpcore's pool, bot/messaging/wire.py); timeouts as `HTTPXRequest`'s, defaults
    included."""

    __slots__ = (
        "_connect_timeout",
        "_limit",
        "_media_write_timeout",
        "_origins",
        "_pool_timeout",
        "_proxies",
        "_read_timeout",
        "_session",
        "_timeouts",
        "_trust_env",
        "_write_timeout",
    )

    def __init__(
        self,
        connection_pool_size: int = 8,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
        *,
        trust_env: bool = True,
    ) -> None:
        if connection_pool_size < 1:
            raise ValueError("an AiohttpRequest needs at least one connection")
        self._limit = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._trust_env = trust_env
        self._proxies = environment_proxies() if trust_env else {}
        self._origins: dict[str, str | None] = {}  # origin -> its proxy, once looked up
        self._timeouts: dict[tuple[float | None, ...], aiohttp.ClientTimeout] = {}
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    @property
    def session(self) -> aiohttp.ClientSession | None:
        """The session between `initialize` and `shutdown` (None before the first)."""
        return self._session

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(
                    limit=self._limit, ssl=tls_context(trust_env=self._trust_env)
                ),
                cookie_jar=aiohttp.DummyCookieJar(),
                headers={"User-Agent": self.USER_AGENT},
                trust_env=False,  # the environment was read once, in __init__
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data is not None and request_data.contains_files
        body: bytes | None = None
        headers: dict[str, str] | None = None
        if request_data is not None:
            if files:
                body, content_type = multipart(
                    request_data.json_parameters, request_data.multipart_data
                )
                headers = {"Content-Type": content_type}
            elif parameters := request_data.json_parameters:
                body = urlencode(parameters).encode()
                headers = {"Content-Type": FORM}
        read = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = (
            self._connect_timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout
        )
        pool = self._pool_timeout if isinstance(pool_timeout, DefaultValue) else pool_timeout
        if isinstance(write_timeout, DefaultValue):
            write = self._media_write_timeout if files else self._write_timeout
        else:
            write = write_timeout
        timeout = self._timeout(pool, connect, read)
        deadline = None  # the answer's head within the four together: aiohttp times no write
        if pool is not None and connect is not None and write is not None and read is not None:
            deadline = pool + connect + write + read
        try:
            if deadline is None:
                response = await self._send(session, method, url, body, headers, timeout)
            else:
                async with asyncio.timeout(deadline):
                    response = await self._send(session, method, url, body, headers, timeout)
            try:
                payload = await response.read()
            except BaseException:
                response.close()
                raise
        except TimeoutError as error:  # aiohttp's timeouts are TimeoutErrors too
            if isinstance(error, aiohttp.ConnectionTimeoutError):
                raise TimedOut(
                    "Pool or connect timeout: no connection to Telegram within "
                    f"{pool_or_connect(pool, connect)} s. The request was not sent."
                ) from scrub(error, url)
            raise TimedOut from scrub(error, url)
        except aiohttp.ClientError as error:
            # The class name first, as HTTPXRequest does: some messages are empty.
            message = redact(f"aiohttp.{type(error).__name__}: {error}", token_in(url))
            raise NetworkError(message) from scrub(error, url)
        return response.status, payload

    async def _send(
        self,
        session: aiohttp.ClientSession,
        method: str,
        url: str,
        body: bytes | None,
        headers: dict[str, str] | None,
        timers: aiohttp.ClientTimeout,
    ) -> aiohttp.ClientResponse:
        return await session.request(
            method,
            url,
            data=body,
            headers=headers,
            timeout=timers,
            allow_redirects=False,
            proxy=self._proxy_for(url) if self._proxies else None,
        )

    def _timeout(
        self, pool: float | None, connect: float | None, read: float | None
    ) -> aiohttp.ClientTimeout:
        key = (pool, connect, read)
        timeout = self._timeouts.get(key)
        if timeout is None:
            timeout = self._timeouts[key] = aiohttp.ClientTimeout(
                total=None,
                connect=pool_or_connect(pool, connect),
                sock_connect=connect,
                sock_read=read,
            )
        return timeout

    def _proxy_for(self, url: str) -> str | None:
        origin = url[: url.find("/", url.find("//") + 2)]
        if origin not in self._origins:
            self._origins[origin] = proxy_for(origin, self._proxies)
        return self._origins[origin]


def pool_or_connect(pool: float | None, connect: float | None) -> float | None:
    """aiohttp times the wait for a pooled connection and the opening of a new one together."""
    return None if pool is None or connect is None else pool + connect


def multipart(parameters: Mapping[str, str], files: Mapping[str, Any]) -> tuple[bytes, str]:
    """The body and content type httpx would send for these form fields and files: the fields
    first, then each file as (file name, content, MIME type); content read if a file handle."""
    boundary = os.urandom(16).hex()
    dash = f"--{boundary}\r\n".encode()
    parts: list[bytes] = []
    for name, value in parameters.items():
        parts += (dash, b"Content-Disposition: form-data; ", _field("name", name), b"\r\n\r\n")
        parts += (value.encode(), b"\r\n")
    for name, (filename, content, mimetype) in files.items():
        parts += (dash, b"Content-Disposition: form-data; ", _field("name", name))
        if filename:
            parts += (b"; ", _field("filename", filename))
        parts += (f"\r\nContent-Type: {mimetype}\r\n\r\n".encode(), _bytes(content), b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# HTML5's form encoding, httpx's: a quote and the control characters (escape aside) as %XX.
_ESCAPES = {'"': "%22", "\\": "\\\\"} | {chr(c): f"%{c:02X}" for c in range(0x20) if c != 0x1B}
_ESCAPE = str.maketrans(_ESCAPES)


def _field(name: str, value: str) -> bytes:
    return f'{name}="{value.translate(_ESCAPE)}"'.encode()


def _bytes(content: bytes | str | IO[bytes]) -> bytes:
    if isinstance(content, bytes):
        return content
    if isinstance(content, str):
        return content.encode()
    if content.seekable():
        content.seek(0)
    return content.read()


def token_in(url: str) -> str | None:
    """The token in a Bot API URL (`…/bot<TOKEN>/method`, `…/file/bot<TOKEN>/path`)."""
    for segment in url.split("/"):
        if segment.startswith("bot") and ":" in segment:
            return segment[3:]
    return None


def scrub(error: BaseException, url: str) -> BaseException:
    """`error` and the exceptions it chains, with the URL's token cut from their texts (some of
    aiohttp's name the URL: "Connection timeout to host http://…/bot<TOKEN>/sendMessage")."""
    token = token_in(url)
    seen: BaseException | None = error
    for _ in range(8):  # the chain is short; never loop on a cycle
        if seen is None or not token:
            break
        seen.args = tuple(redact(a, token) if isinstance(a, str) else a for a in seen.args)
        if isinstance(seen, OSError) and isinstance(seen.strerror, str):
            seen.strerror = redact(seen.strerror, token)
        seen = seen.__cause__ or seen.__context__
    return error


def environment_proxies() -> dict[str, str]:
    """The proxies the environment names, read as httpx reads them: per scheme (`http`,
    `https`, `all`) and `no` (NO_PROXY); an address without a scheme is an http:// proxy."""
    found = urllib.request.getproxies_environment()
    proxies = {}
    for scheme in ("http", "https", "all"):
        if address := found.get(scheme):
            address = address if "://" in address else f"http://{address}"
            if not address.startswith("http://"):
                raise ValueError(
                    f"{scheme.upper()}_PROXY: only http:// proxies are supported, not {address!r}"
                )
            proxies[scheme] = address
    if proxies and found.get("no"):
        proxies["no"] = found["no"]
    return proxies


def proxy_for(origin: str, proxies: Mapping[str, str]) -> str | None:
    """The proxy for `scheme://host[:port]`, or None (none named, or NO_PROXY covers it)."""
    scheme, _, host = origin.partition("://")
    no = {"no": proxies["no"]} if "no" in proxies else None
    # CPython's reading of NO_PROXY (urllib's own, since Python 2); typeshed leaves it out.
    if no and urllib.request.proxy_bypass_environment(host, no):  # type: ignore[attr-defined]
        return None
    return proxies.get(scheme) or proxies.get("all")


def tls_context(*, trust_env: bool) -> ssl.SSLContext:
    """The certificate authorities httpx trusted: SSL_CERT_FILE or SSL_CERT_DIR when the
    environment is trusted and names one, else certifi's bundle."""
    if trust_env and os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if trust_env and os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    return ssl.create_default_context(cafile=certifi.where())
