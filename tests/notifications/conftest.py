"""A stand-in for the vendors' bots: a small HTTP server on 127.0.0.1 that records every
request, checks the DingTalk and Feishu signatures with the secret the way the vendors
document them, and answers like the vendor would (or with whatever a test tells it)."""

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlsplit

import pytest

SECRET = "SECtest0123456789abcdef"  # DingTalk secrets start with SEC


@dataclass
class Received:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: dict[str, Any]
    signature_ok: bool | None  # None: nothing to check (WeCom)


@dataclass
class BotServer:
    port: int = 0
    secret: str = SECRET
    requests: list[Received] = field(default_factory=list)
    # (HTTP status, JSON body or raw text) to answer instead of the vendor's usual answer.
    answer: tuple[int, Any] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, kind: str, query: str = "") -> str:
        base = f"http://127.0.0.1:{self.port}/{kind}/send"
        return f"{base}?{query}" if query else base


def _dingtalk_expected(secret: str, timestamp: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _feishu_expected(secret: str, timestamp: str) -> str:
    digest = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _handler(server: BotServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            parts = urlsplit(self.path)
            # parse_qs decodes; the raw value is kept to check the URL encoding too.
            raw_query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            try:
                body = json.loads(raw.decode())
            except ValueError:
                body = {}
            kind = parts.path.strip("/").split("/")[0]
            signature_ok: bool | None = None
            if kind == "dingtalk":
                ts = query.get("timestamp", "")
                signature_ok = bool(ts) and unquote_plus(raw_query.get("sign", "")) == (
                    _dingtalk_expected(server.secret, ts)
                )
                reply: Any = (
                    {"errcode": 0, "errmsg": "ok"}
                    if signature_ok
                    else {"errcode": 310000, "errmsg": "sign not match"}
                )
            elif kind == "feishu":
                ts = str(body.get("timestamp", ""))
                signature_ok = bool(ts) and body.get("sign") == _feishu_expected(server.secret, ts)
                reply = (
                    {"code": 0, "msg": "success", "data": {}}
                    if signature_ok
                    else {
                        "code": 19021,
                        "msg": "sign match fail or timestamp is not within one hour from current time",
                    }
                )
            elif kind == "feishu-old":
                reply = {"StatusCode": 0, "StatusMessage": "success"}
            else:
                reply = {"errcode": 0, "errmsg": "ok"}
            status = 200
            if server.answer is not None:
                status, reply = server.answer
            with server.lock:
                server.requests.append(
                    Received(parts.path, query, dict(self.headers.items()), body, signature_ok)
                )
            data = reply.encode() if isinstance(reply, str) else json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


@pytest.fixture
def bot_server() -> Iterator[BotServer]:
    state = BotServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(autouse=True)
def _notification_settings(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NOTIFICATION_SITE_URL = "https://visitflow.example.com"
    settings.NOTIFICATION_RETRY_BACKOFF_SECONDS = [60, 300, 1800, 7200]
    settings.NOTIFICATION_DELIVERY_LEASE_SECONDS = 120
    settings.NOTIFICATION_WEBHOOK_TIMEOUT_SECONDS = 3
    # The vendors, the local stand-in bot, and the example hosts the tests type.
    settings.NOTIFICATION_WEBHOOK_HOSTS = [
        "qyapi.weixin.qq.com",
        "oapi.dingtalk.com",
        "open.feishu.cn",
        "127.0.0.1",
        "x.example.com",
        "y.example.com",
        "a.example.com",
    ]
