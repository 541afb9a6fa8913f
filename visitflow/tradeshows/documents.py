"""The invitation letter (邀请函, SOP 5.3.1) as a bilingual PDF with the invitee's QR code.

The layout helpers and the embedded CJK font are the visit documents' (WenQuanYi from
the paperang-p2-fonts-cjk package, subset by fpdf2). The QR code (segno) holds the
invitee's personal link: their phone opens the answer page with it, and at the booth the
scan page reads the same code to check them in."""

import io
import zipfile
from collections.abc import Iterable

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from fpdf.enums import XPos, YPos

from visitflow.tradeshows.models import Invitation
from visitflow.visits.documents import FONT, MUTED, VisitPdf

_WEEKDAYS_ZH = "一二三四五六日"


def personal_link(invitation: Invitation) -> str:
    base = settings.NOTIFICATION_SITE_URL.rstrip("/")
    return base + reverse("tradeshows:rsvp", args=[invitation.token])


def _dates(invitation: Invitation) -> tuple[str, str]:
    show = invitation.show
    start, end = show.starts_on, show.ends_on
    zh = f"{start:%Y年%m月%d日}（周{_WEEKDAYS_ZH[start.weekday()]}）"
    en = f"{start:%d %B %Y}"
    if end != start:
        zh += f" 至 {end:%Y年%m月%d日}（周{_WEEKDAYS_ZH[end.weekday()]}）"
        en = f"{start:%d %B} - {end:%d %B %Y}"
    return zh, en


def _qr_png(data: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=8, border=2)
    buffer.seek(0)
    return buffer


def invitation_pdf(invitation: Invitation) -> bytes:
    show = invitation.show
    contact = invitation.contact
    customer = invitation.customer
    company = getattr(settings, "VISITFLOW_COMPANY_NAME", "") or "VisitFlow"
    owner = invitation.owner
    date_zh, date_en = _dates(invitation)
    pdf = VisitPdf(
        title="邀请函 Invitation",
        footer_note=f"{company} · " + timezone.localtime(timezone.now()).strftime("%Y-%m-%d"),
    )
    pdf.title_block("邀请函 Invitation", company)
    pdf.set_font(FONT, size=11)
    pdf.multi_cell(
        0, 6.5, f"尊敬的 {customer.name} {contact.name}：", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.multi_cell(
        0,
        6,
        f"{company}诚挚邀请您莅临{show.name}，参观我司展位 {show.booth_number}，"
        "了解我们的最新产品，我们期待与您在展会相见。",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(2)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(
        0,
        5.5,
        f"Dear {contact.name} ({customer.name}), {company} is delighted to invite you to "
        f"{show.name}. Please visit us at booth {show.booth_number} to see our latest products; "
        "we look forward to meeting you at the show.",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_text_color(33, 37, 41)
    pdf.section("展会信息 The show")
    pdf.facts(
        [
            ("展会 Show", show.name),
            ("日期 Dates", f"{date_zh}\n{date_en}"),
            ("地点 Venue", f"{show.city} · {show.venue}"),
            ("展位 Booth", show.booth_number),
            (
                "联系人 Your contact",
                f"{owner}" + (f" · {owner.mobile_display}" if owner.mobile else ""),
            ),
        ]
    )
    pdf.section("您的专属二维码 Your personal QR code")
    top = pdf.get_y() + 2
    pdf.image(_qr_png(personal_link(invitation)), x=pdf.l_margin, y=top, w=42, h=42)
    pdf.set_xy(pdf.l_margin + 48, top + 2)
    pdf.set_font(FONT, size=10)
    text = (
        "请扫码告诉我们您是否参加、哪一天到场以及同行人数；到达展位时出示此码即可快速登记。\n"
        "Scan to tell us whether and on which day you will come and how many of you; show "
        "this code at the booth for a quick welcome.\n\n"
        f"登记码 Check-in code: {invitation.code}"
    )
    pdf.multi_cell(0, 5.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(pdf.get_y(), top + 46))
    return pdf.render()


def letter_filename(invitation: Invitation) -> str:
    safe = "".join(
        ch
        for ch in f"{invitation.customer.name}-{invitation.contact.name}"
        if ch.isalnum() or ch in "-_"
    )
    return f"invitation-{invitation.code}-{safe or invitation.pk}.pdf"


def letters_zip(invitations: Iterable[Invitation]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for invitation in invitations:
            archive.writestr(letter_filename(invitation), invitation_pdf(invitation))
    return buffer.getvalue()
