"""The ways out of the app: e-mail, and the group bots of WeCom, DingTalk and Feishu.

Each sender takes a rendered `OutgoingMessage`, talks to the outside world once, and
either returns the receiver's answer (a short text for the page or the log) or raises
`ChannelError` with a message fit to show where the channel was configured. Payloads and
signatures follow the vendors' documented formats:

- WeCom 群机器人: POST {"msgtype": "markdown", "markdown": {"content": …}}; the key is in
  the URL; the answer is {"errcode": 0, "errmsg": "ok"}.
- DingTalk 自定义机器人, 加签: `timestamp` (ms) and `sign` =
  urlencode(base64(HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}"))) as query
  parameters; body {"msgtype": "markdown", "markdown": {"title", "text"}}; errcode 0 is ok.
- Feishu 自定义机器人, 签名校验: `timestamp` (s) and `sign` =
  base64(HMAC-SHA256(key=f"{timestamp}\\n{secret}", msg=b"")) in the body beside
  {"msg_type": "post", "content": {"post": {<lang>: {"title", "content"}}}}; the answer is
  {"code": 0, …} (older bots: {"StatusCode": 0, …}).

Every request carries `X-VisitFlow-Delivery: <delivery id>` (and every e-mail the same
header and a Message-ID built from it), so a receiver can recognise a repeat: delivery is
at least once, and a worker that dies between sending and recording sends again.
"""

import base64
import functools
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, urlsplit

import httpx
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from visitflow.notifications.models import WebhookEndpoint, WebhookKind

DELIVERY_HEADER = "X-VisitFlow-Delivery"
# Vendors cap a message (WeCom markdown: 4096 bytes); a reminder never needs that much.
MAX_BODY_CHARS = 1200
MAX_ANSWER_CHARS = 300


class ChannelError(Exception):
    """A message could not be delivered. `permanent`: trying again cannot help (no
    address, the bot was removed), so the delivery fails at once instead of retrying."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


@dataclass(frozen=True)
class OutgoingMessage:
    """A notification as it leaves the app, already in the recipient's language."""

    title: str
    body: str
    link: str  # absolute, or "" when the notification has none
    recipient_name: str
    language: str
    delivery_id: int | None = None  # None for a test message sent from the settings page
    for_group: bool = False  # a team bot's group: say whom the message is for

    @property
    def short_body(self) -> str:
        if len(self.body) <= MAX_BODY_CHARS:
            return self.body
        return self.body[: MAX_BODY_CHARS - 1] + "…"


def absolute_link(link: str) -> str:
    """Links are stored as paths; outside the app they need the site's address."""
    if not link:
        return ""
    if urlsplit(link).scheme in ("http", "https"):
        return link
    base = settings.NOTIFICATION_SITE_URL.rstrip("/")
    return f"{base}/{link.lstrip('/')}" if base else ""


def host_allowed(url: str) -> bool:
    """Is `url` on one of the bot hosts NOTIFICATION_WEBHOOK_HOSTS lists ("*": any)?"""
    allowed = {h.lower() for h in settings.NOTIFICATION_WEBHOOK_HOSTS}
    if "*" in allowed:
        return True
    host = (urlsplit(url).hostname or "").lower()
    return host in allowed


def _headers(message: OutgoingMessage) -> dict[str, str]:
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if message.delivery_id is not None:
        headers[DELIVERY_HEADER] = str(message.delivery_id)
    return headers


def _markdown(message: OutgoingMessage, *, heading: str) -> str:
    lines = [f"{heading}{message.title}", ""]
    if message.for_group:
        lines += [_("For: %(name)s") % {"name": message.recipient_name}, ""]
    if message.short_body:
        lines += [message.short_body, ""]
    if message.link:
        lines.append(f"[{_('Open in VisitFlow')}]({message.link})")
    return "\n".join(lines).strip()


# --- payloads and signatures -------------------------------------------------------------


def wecom_payload(message: OutgoingMessage) -> dict[str, Any]:
    return {"msgtype": "markdown", "markdown": {"content": _markdown(message, heading="**")}}


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """base64(HMAC-SHA256(secret, "timestamp\\nsecret")), before URL encoding."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()


def dingtalk_url(url: str, secret: str, timestamp_ms: int) -> str:
    if not secret:
        return url
    separator = "&" if "?" in url else "?"
    sign = quote_plus(dingtalk_sign(secret, timestamp_ms))
    return f"{url}{separator}timestamp={timestamp_ms}&sign={sign}"


def dingtalk_payload(message: OutgoingMessage) -> dict[str, Any]:
    return {
        "msgtype": "markdown",
        "markdown": {"title": message.title, "text": _markdown(message, heading="#### ")},
    }


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """base64(HMAC-SHA256(key="timestamp\\nsecret", msg="")): Feishu signs the empty string."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_payload(message: OutgoingMessage, secret: str, timestamp_s: int) -> dict[str, Any]:
    content: list[list[dict[str, str]]] = []
    if message.for_group:
        content.append(
            [{"tag": "text", "text": _("For: %(name)s") % {"name": message.recipient_name}}]
        )
    content += [[{"tag": "text", "text": line}] for line in message.short_body.splitlines() if line]
    if message.link:
        content.append([{"tag": "a", "text": _("Open in VisitFlow"), "href": message.link}])
    language = "en_us" if message.language == "en" else "zh_cn"
    payload: dict[str, Any] = {
        "msg_type": "post",
        "content": {"post": {language: {"title": message.title, "content": content}}},
    }
    if secret:
        payload = {
            "timestamp": str(timestamp_s),
            "sign": feishu_sign(secret, timestamp_s),
        } | payload
    return payload


# --- sending -----------------------------------------------------------------------------


def _vendor_answer(endpoint: WebhookEndpoint, response: httpx.Response) -> str:
    """The vendor's verdict on a request: its message when it accepted, else ChannelError."""
    text = response.text[:MAX_ANSWER_CHARS]
    try:
        data = response.json()
    except ValueError:
        data = None
    if response.status_code >= 400:
        raise ChannelError(
            _("The bot answered HTTP %(status)s: %(text)s")
            % {"status": response.status_code, "text": text or response.reason_phrase}
        )
    if not isinstance(data, dict):
        raise ChannelError(
            _("The bot answered something that is not JSON: %(text)s") % {"text": text}
        )
    if endpoint.kind == WebhookKind.FEISHU:
        # Current bots answer {"code": 0, "msg": "success"}; older ones {"StatusCode": 0}.
        code = data.get("code", data.get("StatusCode"))
        detail = data.get("msg", data.get("StatusMessage", ""))
    else:
        code = data.get("errcode")
        detail = data.get("errmsg", "")
    if code is None:
        raise ChannelError(_("The bot's answer has no result code: %(text)s") % {"text": text})
    if code != 0:
        raise ChannelError(
            _("The bot answered error %(code)s: %(message)s") % {"code": code, "message": detail}
        )
    return f"{code} {detail}".strip()


@functools.cache
def _http_client() -> httpx.Client:
    """One client per process: building one loads the CA bundle (about 80 ms), and a
    kept-alive connection to the bot saves a TLS handshake per message."""
    return httpx.Client()


def post_to_bot(endpoint: WebhookEndpoint, message: OutgoingMessage) -> str:
    """Send `message` to the bot; the vendor's answer, or ChannelError."""
    url = endpoint.url
    if not host_allowed(url):
        raise ChannelError(
            _("Messages may not be posted to %(host)s (not a known bot service).")
            % {"host": urlsplit(url).hostname or url},
            permanent=True,
        )
    if endpoint.kind == WebhookKind.WECOM:
        payload = wecom_payload(message)
    elif endpoint.kind == WebhookKind.DINGTALK:
        url = dingtalk_url(url, endpoint.secret, int(time.time() * 1000))
        payload = dingtalk_payload(message)
    elif endpoint.kind == WebhookKind.FEISHU:
        payload = feishu_payload(message, endpoint.secret, int(time.time()))
    else:
        raise ChannelError(
            _("Unknown bot service “%(kind)s”.") % {"kind": endpoint.kind}, permanent=True
        )
    timeout = settings.NOTIFICATION_WEBHOOK_TIMEOUT_SECONDS
    try:
        response = _http_client().post(
            url,
            content=json.dumps(payload, ensure_ascii=False).encode(),
            headers=_headers(message),
            timeout=timeout,
            follow_redirects=False,
        )
    except httpx.TimeoutException as exc:
        raise ChannelError(
            _("The bot did not answer within %(seconds)s seconds.") % {"seconds": timeout}
        ) from exc
    except httpx.HTTPError as exc:
        raise ChannelError(_("Could not reach the bot: %(error)s") % {"error": exc}) from exc
    return _vendor_answer(endpoint, response)


def message_id(delivery_id: int) -> str:
    host = urlsplit(settings.NOTIFICATION_SITE_URL).hostname or "visitflow.invalid"
    return f"<delivery-{delivery_id}@{host}>"


def send_email(address: str, message: OutgoingMessage) -> str:
    """One e-mail with a text and an HTML part; the backend's answer, or ChannelError."""
    if not address:
        raise ChannelError(_("This person has no e-mail address."), permanent=True)
    context = {"message": message}
    text = render_to_string("notifications/email/notification.txt", context)
    html = render_to_string("notifications/email/notification.html", context)
    headers = {}
    if message.delivery_id is not None:
        headers = {
            "Message-ID": message_id(message.delivery_id),
            DELIVERY_HEADER: str(message.delivery_id),
        }
    email = EmailMultiAlternatives(
        subject=message.title.replace("\n", " "),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers=headers,
    )
    email.attach_alternative(html, "text/html")
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # SMTPException, a refused connection, a bad address…
        raise ChannelError(
            _("The mail server refused the message: %(error)s")
            % {"error": str(exc) or type(exc).__name__}
        ) from exc
    return _("Handed to the mail server.")
