"""Demo notifications (used by `seed_demo`): a few messages in the demo people's inboxes,
some already read, and the east team's WeCom group bot set up but switched off (its
address is an example; switch it on with a real one to see messages arrive).

Idempotent: every notification has a `demo:` key, the bot is one per team. Only kinds
whose default channels are the inbox and the person's own bot are used, so seeding
sends no e-mail.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from visitflow.accounts.models import Team, User
from visitflow.notifications.models import Notification, NotificationKind, WebhookEndpoint
from visitflow.notifications.services import notify, webhook_create

EXAMPLE_WECOM_URL = (
    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-000000000000"
)


@dataclass
class NotificationSummary:
    notifications_created: int = 0
    webhooks_created: int = 0


# username, key, kind, title, body, url name, hours ago, read
MESSAGES = [
    (
        "sales_east1",
        "escort-1",
        NotificationKind.ESCORT_PHONE,
        "接机中：请给接待人员打个电话",
        "吴师傅已出发前往虹桥机场 T2 接客户，请在客户落地后 15 分钟内与接待人员确认是否接到。",
        "visits:my_day",
        1,
        False,
    ),
    (
        "sales_east1",
        "return-1",
        NotificationKind.RETURN_CALL_DUE,
        "回访提醒：客户已到家",
        "昨天来访的客户已返程到家，请今天内完成回访电话并记录客户反馈。",
        "visits:follow_ups",
        3,
        False,
    ),
    (
        "sales_east1",
        "step-1",
        NotificationKind.STEP_DUE,
        "明天的来访：请确认用餐安排",
        "接待流程第 4 步“安排用餐”明天到期，请确认餐厅和口味偏好。",
        "visits:list",
        20,
        True,
    ),
    (
        "sales_east2",
        "follow-1",
        NotificationKind.FOLLOW_UP_DUE,
        "跟进到期：报价后第 7 天",
        "按跟进节奏，今天应再次联系客户，确认报价反馈。",
        "visits:follow_ups",
        2,
        False,
    ),
    (
        "manager_east",
        "meeting-1",
        NotificationKind.LEADER_MEETING,
        "领导会见：今天 15:00",
        "王总将于 15:00 在一号接待室会见来访客户，请提前 10 分钟到场。",
        "visits:list",
        5,
        False,
    ),
]


def seed_demo_notifications() -> NotificationSummary:
    summary = NotificationSummary()
    users = {
        u.username: u
        for u in User.objects.filter(username__in={m[0] for m in MESSAGES} | {"admin"})
    }
    if "admin" not in users:
        return summary  # no demo company
    now = timezone.now()
    with transaction.atomic():
        for username, key, kind, title, body, url_name, hours_ago, read in MESSAGES:
            person = users.get(username)
            if person is None:
                continue
            created = notify(
                recipient=person,
                kind=kind,
                title=title,
                body=body,
                link=reverse(url_name),
                key=f"demo:{key}",
            )
            if created is None:
                continue
            summary.notifications_created += 1
            # Spread over the last day, so the inbox reads like a real one.
            Notification.objects.filter(pk=created.pk).update(
                created=now - timedelta(hours=hours_ago),
                read_at=now - timedelta(hours=hours_ago - 1) if read else None,
            )
        team = Team.objects.filter(manager__username="manager_east").first()
        if team is not None and not WebhookEndpoint.objects.filter(team=team).exists():
            webhook_create(
                actor=users["admin"],
                kind="wecom",
                url=EXAMPLE_WECOM_URL,
                team=team,
                is_active=False,
            )
            summary.webhooks_created += 1
    return summary
