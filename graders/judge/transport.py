"""A lean HTTP/1.1 keep-alive transport for the openai client, for plain-http endpoints.

Why: the openai client's default transport (httpx2 over httpcore2 and anyio)
costs about 1.2 ms of CPU per request on a small machine, mostly connection-pool
bookkeeping that scans every pooled connection on each request. A judge batch
of 4,096 rows at concurrency 64 against a 50 ms endpoint then takes 2-3x the
ideal time. This transport speaks HTTP/1.1 over asyncio streams directly
(about 0.1 ms per request) and is handed to the openai client as its
`http_client`, so requests, auth, error mapping and everything above the
socket stay the openai client's own.

It is used only for `http://` endpoints (a local vLLM/SGLang server, the test
server) with no HTTP proxy configured for the host; `https://` endpoints and
proxied hosts use the openai client's default transport (TLS, proxies,
HTTP/2). `GRADERS_JUDGE_TRANSPORT=httpx` turns it off. Bodies are read whole (judges never stream). Supported framing:
Content-Length, chunked, and read-to-close.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import urllib.parse
import urllib.request
from types import ModuleType
from typing import Any


def _http_module() -> ModuleType:
    """The HTTP library under the installed openai client: httpx2 (openai 3.x) or httpx (1.x, 2.x)."""
    import openai

    for cls in openai.DefaultAsyncHttpxClient.__mro__:
        if cls.__name__ == "AsyncClient" and cls.__module__.split(".")[0] in ("httpx2", "httpx"):
            return importlib.import_module(cls.__module__.split(".")[0])
    return importlib.import_module("httpx2")


httpx2 = http = _http_module()  # the rest of this module says httpx2; it is whichever openai uses

MAX_HEADER_BYTES = 1 << 20
MAX_BODY_BYTES = 64 << 20
MAX_IDLE_PER_HOST = 512


if hasattr(asyncio, "timeout"):  # Python 3.11+: a deadline on the current task, no extra task per call

    async def bounded(aw: Any, seconds: float) -> Any:
        """`await aw`, raising TimeoutError after `seconds`."""
        async with asyncio.timeout(seconds):
            return await aw

else:  # pragma: no cover - Python 3.10
    async def bounded(aw: Any, seconds: float) -> Any:
        """`await aw`, raising TimeoutError after `seconds`."""
        return await asyncio.wait_for(aw, seconds)


class _Stale(Exception):
    """A reused keep-alive connection was closed by the server before answering."""


class _Conn:
    __slots__ = ("reader", "writer")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    def usable(self) -> bool:
        return not self.writer.is_closing() and not self.reader.at_eof()

    def close(self) -> None:
        try:
            self.writer.close()
        except Exception:  # already torn down
            pass


def use_lean_transport(base_url: str) -> bool:
    """Plain http:// with no proxy configured for the host.

    `GRADERS_JUDGE_TRANSPORT=httpx` forces the openai client's default transport
    everywhere (an escape hatch); `lean` uses this one for every http:// URL.
    """
    url = urllib.parse.urlsplit(base_url)
    if url.scheme != "http":
        return False
    mode = os.environ.get("GRADERS_JUDGE_TRANSPORT", "auto").strip().lower()
    if mode == "httpx":
        return False
    if mode == "lean":
        return True
    proxies = urllib.request.getproxies_environment()
    if "http" in proxies or "all" in proxies:
        return bool(urllib.request.proxy_bypass_environment(url.hostname or ""))
    return True


def _timeout(request: httpx2.Request, name: str) -> float | None:
    t = request.extensions.get("timeout") or {}
    v = t.get(name) if isinstance(t, dict) else None
    return float(v) if v is not None else None


class LeanTransport(httpx2.AsyncBaseTransport):
    """HTTP/1.1 with a keep-alive pool per (host, port); one connection per in-flight request."""

    def __init__(self, *, max_idle_per_host: int = MAX_IDLE_PER_HOST) -> None:
        self._idle: dict[tuple[str, int], list[_Conn]] = {}
        self._max_idle = max_idle_per_host
        self._closed = False

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        url = request.url
        if url.scheme != "http":
            raise httpx2.UnsupportedProtocol(f"the lean transport speaks plain http only, not {url.scheme}",
                                             request=request)
        host, port = url.host, url.port or 80
        body = await request.aread()
        head = self._head(request, host, port, len(body))
        for _ in range(3):  # a stale pooled connection is replaced; a fresh one is not retried
            conn, reused = await self._acquire(request, host, port)
            try:
                conn.writer.write(head + body if len(body) < 65536 else head)
                if len(body) >= 65536:
                    conn.writer.write(body)
                if conn.writer.transport.get_write_buffer_size():  # only a large body waits for the socket
                    await self._with_timeout(conn.writer.drain(), _timeout(request, "write"), httpx2.WriteTimeout,
                                             request)
                status, headers, content, keep = await self._with_timeout(
                    self._read_response(conn.reader, request.method, reused), _timeout(request, "read"),
                    httpx2.ReadTimeout, request)
            except _Stale:
                conn.close()
                continue
            except (ConnectionError, asyncio.IncompleteReadError, OSError) as exc:
                conn.close()
                raise httpx2.ReadError(f"connection lost: {type(exc).__name__}: {exc}", request=request) from None
            except BaseException:  # timeouts, cancellation: the connection's state is unknown
                conn.close()
                raise
            if keep and not self._closed:
                pool = self._idle.setdefault((host, port), [])
                if len(pool) < self._max_idle:
                    pool.append(conn)
                else:
                    conn.close()
            else:
                conn.close()
            return httpx2.Response(status, headers=headers, stream=httpx2.ByteStream(content), request=request,
                                   extensions={"http_version": b"HTTP/1.1"})
        raise httpx2.ReadError("the server closed every pooled connection without answering", request=request)

    async def aclose(self) -> None:
        self._closed = True
        for pool in self._idle.values():
            for conn in pool:
                conn.close()
        self._idle.clear()

    # -- helpers -----------------------------------------------------------------
    @staticmethod
    def _head(request: httpx2.Request, host: str, port: int, length: int) -> bytes:
        method = request.method
        method_b = method.encode("ascii") if isinstance(method, str) else method
        target = request.url.raw_path or b"/"
        lines = [method_b + b" " + target + b" HTTP/1.1"]
        has_host = has_length = False
        for k, v in request.headers.raw:
            lk = k.lower()
            if lk == b"host":
                has_host = True
            elif lk == b"content-length":
                has_length = True
            elif lk == b"transfer-encoding":
                continue  # the body is sent whole with a Content-Length
            lines.append(k + b": " + v)
        if not has_host:
            lines.append(b"Host: " + (host if port == 80 else f"{host}:{port}").encode("idna"))
        if not has_length and (length or method_b in (b"POST", b"PUT", b"PATCH")):
            lines.append(b"Content-Length: " + str(length).encode())
        return b"\r\n".join(lines) + b"\r\n\r\n"

    async def _acquire(self, request: httpx2.Request, host: str, port: int) -> tuple[_Conn, bool]:
        pool = self._idle.get((host, port))
        while pool:
            conn = pool.pop()
            if conn.usable():
                return conn, True
            conn.close()
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(host, port, limit=MAX_HEADER_BYTES), _timeout(request, "connect"))
        except (asyncio.TimeoutError, TimeoutError):
            raise httpx2.ConnectTimeout(f"connecting to {host}:{port} timed out", request=request) from None
        except OSError as exc:
            raise httpx2.ConnectError(f"cannot connect to {host}:{port}: {exc}", request=request) from None
        return _Conn(reader, writer), False

    @staticmethod
    async def _with_timeout(aw: Any, seconds: float | None, exc_type: type[Exception], request: httpx2.Request) -> Any:
        if seconds is None:
            return await aw
        try:
            return await bounded(aw, seconds)
        except (asyncio.TimeoutError, TimeoutError):
            raise exc_type(f"timed out after {seconds:g}s", request=request) from None


    @staticmethod
    async def _read_response(reader: asyncio.StreamReader, method: Any,
                             reused: bool) -> tuple[int, list[tuple[bytes, bytes]], bytes, bool]:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError as exc:
                if reused and not exc.partial:
                    raise _Stale() from None
                raise
            except asyncio.LimitOverrunError:
                raise httpx2.RemoteProtocolError("response headers too large") from None
            lines = head[:-4].split(b"\r\n")
            status_line = lines[0].split(b" ", 2)
            if len(status_line) < 2 or not status_line[0].startswith(b"HTTP/"):
                raise httpx2.RemoteProtocolError(f"malformed status line {lines[0][:80]!r}")
            try:
                status = int(status_line[1])
            except ValueError:
                raise httpx2.RemoteProtocolError(f"malformed status line {lines[0][:80]!r}") from None
            if 100 <= status < 200 and status != 101:
                continue  # interim response (100 Continue): the real one follows
            break
        http10 = status_line[0] == b"HTTP/1.0"
        headers: list[tuple[bytes, bytes]] = []
        length: int | None = None
        chunked = False
        conn_hdr = b""
        for line in lines[1:]:
            k, sep, v = line.partition(b":")
            if not sep:
                continue
            k, v = k.strip(), v.strip()
            lk = k.lower()
            if lk == b"content-length":
                try:
                    length = int(v)
                except ValueError:
                    raise httpx2.RemoteProtocolError(f"bad Content-Length {v[:40]!r}") from None
            elif lk == b"transfer-encoding":
                chunked = b"chunked" in v.lower()
                continue
            elif lk == b"connection":
                conn_hdr = v.lower()
            headers.append((k, v))
        keep = (b"keep-alive" in conn_hdr) if http10 else (b"close" not in conn_hdr)
        m = method.decode() if isinstance(method, bytes) else method
        if m == "HEAD" or status in (204, 304):
            return status, headers, b"", keep
        if chunked:
            parts = []
            total = 0
            while True:
                size_line = await reader.readuntil(b"\r\n")
                try:
                    size = int(size_line.split(b";", 1)[0].strip(), 16)
                except ValueError:
                    raise httpx2.RemoteProtocolError("malformed chunk size") from None
                if size == 0:
                    while (await reader.readuntil(b"\r\n")) != b"\r\n":
                        pass  # trailers
                    break
                total += size
                if total > MAX_BODY_BYTES:
                    raise httpx2.RemoteProtocolError("response body too large")
                parts.append(await reader.readexactly(size))
                await reader.readexactly(2)
            return status, headers, b"".join(parts), keep
        if length is not None:
            if length > MAX_BODY_BYTES:
                raise httpx2.RemoteProtocolError("response body too large")
            return status, headers, await reader.readexactly(length), keep
        parts, total = [], 0  # no framing: the body runs to the close
        while chunk := await reader.read(1 << 16):
            total += len(chunk)
            if total > MAX_BODY_BYTES:
                raise httpx2.RemoteProtocolError("response body too large")
            parts.append(chunk)
        return status, headers, b"".join(parts), False
