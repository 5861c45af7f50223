"""The lean HTTP/1.1 transport: framing, keep-alive, stale connections, timeouts, proxy rules."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx2
import pytest

from graders.judge.transport import LeanTransport, use_lean_transport

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter, int], Awaitable[bool]]


async def _read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return await reader.readexactly(length) if length else b""


async def _serve(handler: Handler) -> tuple[asyncio.AbstractServer, str, list[int]]:
    conns: list[int] = []

    async def conn(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conns.append(1)
        n = 0
        try:
            while True:
                try:
                    await _read_request(reader)
                except asyncio.IncompleteReadError:
                    return
                n += 1
                keep = await handler(reader, writer, n)
                await writer.drain()
                if not keep:
                    return
        finally:
            writer.close()

    srv = await asyncio.start_server(conn, "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    return srv, f"http://127.0.0.1:{port}", conns


def _run(handler: Handler, requests: int = 2, timeout: float = 2.0) -> tuple[list[httpx2.Response], int]:
    async def main() -> tuple[list[httpx2.Response], int]:
        srv, url, conns = await _serve(handler)
        async with httpx2.AsyncClient(transport=LeanTransport(), timeout=timeout) as client:
            out = [await client.post(url + "/v1/x", json={"i": i}) for i in range(requests)]
        srv.close()
        return out, len(conns)
    return asyncio.run(main())


def test_content_length_and_keep_alive() -> None:
    async def h(r: asyncio.StreamReader, w: asyncio.StreamWriter, n: int) -> bool:
        w.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 8\r\n\r\n{\"n\": %d}" % n)
        return True
    out, conns = _run(h, 3)
    assert [o.json() for o in out] == [{"n": 1}, {"n": 2}, {"n": 3}] and conns == 1


def test_chunked_body_and_interim_100() -> None:
    async def h(r: asyncio.StreamReader, w: asyncio.StreamWriter, n: int) -> bool:
        w.write(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                b"4\r\n{\"a\"\r\n6;ext=1\r\n: 1234\r\n1\r\n}\r\n0\r\nX-Trailer: t\r\n\r\n")
        return True
    out, conns = _run(h, 2)
    assert out[0].json() == {"a": 1234} and out[1].json() == {"a": 1234} and conns == 1


def test_read_to_close_and_connection_close() -> None:
    async def h(r: asyncio.StreamReader, w: asyncio.StreamWriter, n: int) -> bool:
        w.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nhello world")
        return False
    out, conns = _run(h, 2)
    assert [o.text for o in out] == ["hello world", "hello world"] and conns == 2


def test_stale_keep_alive_connection_is_replaced() -> None:
    async def h(r: asyncio.StreamReader, w: asyncio.StreamWriter, n: int) -> bool:
        w.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        return False  # closes without announcing it: the pooled connection goes stale

    async def main() -> list[str]:
        srv, url, _ = await _serve(h)
        async with httpx2.AsyncClient(transport=LeanTransport(), timeout=2) as client:
            out = []
            for _ in range(3):
                out.append((await client.post(url, content=b"x")).text)
                await asyncio.sleep(0.05)
        srv.close()
        return out
    assert asyncio.run(main()) == ["ok", "ok", "ok"]


def test_error_status_and_headers_pass_through() -> None:
    async def h(r: asyncio.StreamReader, w: asyncio.StreamWriter, n: int) -> bool:
        w.write(b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3\r\nContent-Length: 0\r\n\r\n")
        return True
    out, _ = _run(h, 1)
    assert out[0].status_code == 429 and out[0].headers["retry-after"] == "3"


def test_read_timeout() -> None:
    async def h(r: asyncio.StreamReader, w: asyncio.StreamWriter, n: int) -> bool:
        await asyncio.sleep(1.0)
        return False
    with pytest.raises(httpx2.ReadTimeout):
        _run(h, 1, timeout=0.1)


def test_connect_error() -> None:
    async def main() -> None:
        async with httpx2.AsyncClient(transport=LeanTransport(), timeout=1) as client:
            await client.get("http://127.0.0.1:9/")
    with pytest.raises(httpx2.ConnectError):
        asyncio.run(main())


def test_only_plain_http_without_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy", "GRADERS_JUDGE_TRANSPORT"):
        monkeypatch.delenv(var, raising=False)
    assert use_lean_transport("http://127.0.0.1:8000/v1")
    assert not use_lean_transport("https://api.openai.com/v1")
    monkeypatch.setenv("HTTP_PROXY", "http://proxy:3128")
    assert not use_lean_transport("http://10.0.0.5:8000/v1")
    monkeypatch.setenv("NO_PROXY", "10.0.0.5")
    assert use_lean_transport("http://10.0.0.5:8000/v1")
    monkeypatch.setenv("GRADERS_JUDGE_TRANSPORT", "httpx")
    assert not use_lean_transport("http://10.0.0.5:8000/v1")
    monkeypatch.setenv("GRADERS_JUDGE_TRANSPORT", "lean")
    assert use_lean_transport("http://example.invalid/v1") and not use_lean_transport("https://x/v1")
