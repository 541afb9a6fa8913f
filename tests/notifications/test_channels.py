"""Each channel's payload and signature, checked by a local stand-in of the vendor's bot,
and each way a channel can refuse."""

from typing import Any

import pytest
from django.core import mail
from django.utils import translation

from tests.notifications.conftest import SECRET, BotServer
from visitflow.notifications.channels import (
    DELIVERY_HEADER,
    ChannelError,
    OutgoingMessage,
    absolute_link,
    dingtalk_sign,
    feishu_sign,
    post_to_bot,
    send_email,
)
from visitflow.notifications.models import WebhookEndpoint, WebhookKind

MESSAGE = OutgoingMessage(
    title="接机提醒：明天 09:30 浦东机场",
    body="客户：上海东方机械有限公司\n航班 MU5101",
    link="https://visitflow.example.com/visits/12/",
    recipient_name="张伟",
    language="zh-hans",
    delivery_id=42,
)


def endpoint(kind: str, url: str, secret: str = "") -> WebhookEndpoint:
    # Unsaved: the channel only reads kind, url and secret.
    return WebhookEndpoint(kind=kind, url=url, secret=secret)


def test_wecom_markdown_payload(bot_server: BotServer) -> None:
    answer = post_to_bot(endpoint(WebhookKind.WECOM, bot_server.url("wecom", "key=abc")), MESSAGE)

    assert answer == "0 ok"
    [request] = bot_server.requests
    assert request.query == {"key": "abc"}
    assert request.headers[DELIVERY_HEADER] == "42"
    assert request.body["msgtype"] == "markdown"
    content = request.body["markdown"]["content"]
    assert content.startswith("**接机提醒：明天 09:30 浦东机场")
    assert "航班 MU5101" in content
    assert "(https://visitflow.example.com/visits/12/)" in content


def test_dingtalk_signed_request(bot_server: BotServer) -> None:
    url = bot_server.url("dingtalk", "access_token=tok")

    answer = post_to_bot(endpoint(WebhookKind.DINGTALK, url, SECRET), MESSAGE)

    assert answer == "0 ok"
    [request] = bot_server.requests
    assert request.signature_ok is True
    assert request.query["access_token"] == "tok"
    assert len(request.query["timestamp"]) == 13  # milliseconds
    assert request.body == {
        "msgtype": "markdown",
        "markdown": {"title": MESSAGE.title, "text": request.body["markdown"]["text"]},
    }
    assert request.body["markdown"]["text"].startswith("#### 接机提醒")


def test_dingtalk_wrong_secret_is_the_vendors_error(bot_server: BotServer) -> None:
    url = bot_server.url("dingtalk", "access_token=tok")

    with pytest.raises(ChannelError) as caught:
        post_to_bot(endpoint(WebhookKind.DINGTALK, url, "SECwrong"), MESSAGE)

    assert bot_server.requests[0].signature_ok is False
    assert "310000" in caught.value.message
    assert "sign not match" in caught.value.message
    assert not caught.value.permanent


def test_dingtalk_sign_matches_the_documented_example() -> None:
    # HMAC-SHA256(key=secret, msg="timestamp\nsecret"), base64 — the documented recipe.
    import base64
    import hashlib
    import hmac

    expected = base64.b64encode(
        hmac.new(b"this is secret", b"1577262236757\nthis is secret", hashlib.sha256).digest()
    ).decode()
    assert dingtalk_sign("this is secret", 1577262236757) == expected


def test_feishu_signed_post(bot_server: BotServer) -> None:
    en = OutgoingMessage(**{**MESSAGE.__dict__, "language": "en", "for_group": True})

    with translation.override("en"):
        answer = post_to_bot(endpoint(WebhookKind.FEISHU, bot_server.url("feishu"), SECRET), en)

    assert answer == "0 success"
    [request] = bot_server.requests
    assert request.signature_ok is True
    body = request.body
    assert body["msg_type"] == "post"
    assert body["timestamp"].isdigit() and len(body["timestamp"]) == 10  # seconds, a string
    post = body["content"]["post"]["en_us"]
    assert post["title"] == MESSAGE.title
    texts = [item for line in post["content"] for item in line]
    assert {"tag": "text", "text": "For: 张伟"} in texts
    assert {"tag": "a", "text": "Open in VisitFlow", "href": MESSAGE.link} in texts


def test_feishu_signature_is_over_the_empty_string() -> None:
    import base64
    import hashlib
    import hmac

    expected = base64.b64encode(
        hmac.new(b"1599360473\nsecret", b"", hashlib.sha256).digest()
    ).decode()
    assert feishu_sign("secret", 1599360473) == expected


def test_feishu_without_secret_sends_no_signature(bot_server: BotServer) -> None:
    post_to_bot(endpoint(WebhookKind.FEISHU, bot_server.url("feishu-old")), MESSAGE)

    [request] = bot_server.requests
    assert "sign" not in request.body and "timestamp" not in request.body
    assert "zh_cn" in request.body["content"]["post"]


def test_feishu_bad_signature_is_the_vendors_error(bot_server: BotServer) -> None:
    with pytest.raises(ChannelError) as caught:
        post_to_bot(endpoint(WebhookKind.FEISHU, bot_server.url("feishu"), "other"), MESSAGE)
    assert "19021" in caught.value.message


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ((200, {"errcode": 93000, "errmsg": "invalid webhook url"}), "93000"),
        ((500, "upstream exploded"), "HTTP 500"),
        ((404, ""), "HTTP 404"),
        ((200, "<html>not json</html>"), "不是 JSON"),  # in the default language, Chinese
        ((200, {"hello": "world"}), "没有结果码"),
    ],
)
def test_bot_refusals_become_channel_errors(
    bot_server: BotServer, answer: tuple[int, Any], expected: str
) -> None:
    bot_server.answer = answer
    with pytest.raises(ChannelError) as caught:
        post_to_bot(endpoint(WebhookKind.WECOM, bot_server.url("wecom")), MESSAGE)
    assert expected in caught.value.message


def test_unreachable_bot_is_a_channel_error() -> None:
    # Port 9 (discard) on localhost: nothing listens, the connection is refused.
    with pytest.raises(ChannelError) as caught:
        post_to_bot(endpoint(WebhookKind.WECOM, "http://127.0.0.1:9/send"), MESSAGE)
    assert "无法连接机器人" in caught.value.message


def test_absolute_link(settings: Any) -> None:
    assert absolute_link("/visits/3/") == "https://visitflow.example.com/visits/3/"
    assert absolute_link("https://elsewhere.example.com/x") == "https://elsewhere.example.com/x"
    assert absolute_link("") == ""
    settings.NOTIFICATION_SITE_URL = ""
    assert absolute_link("/visits/3/") == ""


@pytest.mark.django_db
def test_email_has_text_and_html_parts_and_the_delivery_id() -> None:
    send_email("zhang@example.com", MESSAGE)

    [email] = mail.outbox
    assert email.subject == MESSAGE.title
    assert email.to == ["zhang@example.com"]
    assert "航班 MU5101" in email.body
    assert MESSAGE.link in email.body
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    assert "<h1" in html and "航班 MU5101" in html
    assert email.extra_headers[DELIVERY_HEADER] == "42"
    assert email.extra_headers["Message-ID"] == "<delivery-42@visitflow.example.com>"


def test_refusing_mail_server_is_a_channel_error(settings: Any) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    with pytest.raises(ChannelError) as caught:
        send_email("zhang@example.com", MESSAGE)
    assert "拒收" in caught.value.message
    assert "mailbox unavailable" in caught.value.message


def test_no_address_fails_for_good() -> None:
    with pytest.raises(ChannelError) as caught:
        send_email("", MESSAGE)
    assert caught.value.permanent


@pytest.mark.django_db
def test_webhook_url_must_be_http(org: dict[str, Any]) -> None:
    from visitflow.core.exceptions import ApplicationError
    from visitflow.notifications.services import webhook_create

    with pytest.raises(ApplicationError) as caught:
        webhook_create(
            actor=org["admin"],
            kind=WebhookKind.WECOM,
            url="ftp://qyapi.example.com/x",
            team=org["east"],
        )
    assert "url" in caught.value.field_errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.2:5432/",  # an internal service
        "http://169.254.169.254/latest/meta-data/",  # the cloud's metadata address
        "https://qyapi.weixin.qq.com.evil.example.com/cgi-bin/webhook/send",
        "https://evil.example.com/?q=qyapi.weixin.qq.com",
    ],
)
def test_webhook_host_must_be_a_bot_service(org: dict[str, Any], url: str) -> None:
    from visitflow.core.exceptions import ApplicationError
    from visitflow.notifications.services import webhook_create

    with pytest.raises(ApplicationError) as caught:
        webhook_create(
            actor=org["east_sales"], kind=WebhookKind.WECOM, url=url, user=org["east_sales"]
        )
    assert "允许的域名" in caught.value.field_errors["url"][0]


def test_a_host_no_longer_allowed_is_not_posted_to(bot_server: BotServer, settings: Any) -> None:
    settings.NOTIFICATION_WEBHOOK_HOSTS = ["qyapi.weixin.qq.com"]
    with pytest.raises(ChannelError) as caught:
        post_to_bot(endpoint(WebhookKind.WECOM, bot_server.url("wecom")), MESSAGE)
    assert caught.value.permanent
    assert bot_server.requests == []


def test_any_host_when_configured(bot_server: BotServer, settings: Any) -> None:
    settings.NOTIFICATION_WEBHOOK_HOSTS = ["*"]
    assert post_to_bot(endpoint(WebhookKind.WECOM, bot_server.url("wecom")), MESSAGE) == "0 ok"
