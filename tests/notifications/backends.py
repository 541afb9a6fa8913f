"""E-mail backends that fail the way real mail servers do."""

import smtplib
from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    """The server refuses every recipient (SMTP 550)."""

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        raise smtplib.SMTPRecipientsRefused({"x@example.com": (550, b"5.1.1 mailbox unavailable")})


class BrokenBackend(BaseEmailBackend):
    """A programming error somewhere below the channel (not an SMTP answer)."""

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        raise RuntimeError("backend exploded")
