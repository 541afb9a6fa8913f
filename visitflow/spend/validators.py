"""Receipts are checked by what they contain, not by what they are called: a renamed
executable or HTML page is refused even when it ends in .pdf."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from visitflow.core.exceptions import ApplicationError

# Magic numbers of the types a receipt may be: (content type, suffix, test on the head).
RECEIPT_TYPES: list[tuple[str, str, bytes, int]] = [
    ("image/jpeg", ".jpg", b"\xff\xd8\xff", 0),
    ("image/png", ".png", b"\x89PNG\r\n\x1a\n", 0),
    ("application/pdf", ".pdf", b"%PDF-", 0),
]


def sniff_receipt(head: bytes) -> tuple[str, str] | None:
    """(content type, suffix) of a JPEG, PNG, WebP or PDF; None for anything else."""
    for content_type, suffix, magic, offset in RECEIPT_TYPES:
        if head[offset : offset + len(magic)] == magic:
            return content_type, suffix
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


def validate_receipt(upload: UploadedFile) -> tuple[str, str]:
    """The receipt's content type and suffix, or an ApplicationError on `receipt`."""
    limit = settings.SPEND_RECEIPT_MAX_BYTES
    size = upload.size or 0
    if size == 0:
        msg = _("The receipt file is empty.")
        raise ApplicationError(msg, field_errors={"receipt": [msg]})
    if size > limit:
        msg = _("The receipt is %(size)s; at most %(limit)s is accepted.") % {
            "size": filesizeformat(size),
            "limit": filesizeformat(limit),
        }
        raise ApplicationError(msg, field_errors={"receipt": [msg]})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    found = sniff_receipt(head)
    if found is None:
        msg = _("A receipt must be a photo (JPEG, PNG, WebP) or a PDF.")
        raise ApplicationError(msg, field_errors={"receipt": [msg]})
    return found
