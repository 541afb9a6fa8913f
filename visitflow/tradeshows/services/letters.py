"""E-mailing the invitation letter (SOP 5.3.1 派发《邀请函》); run by a task."""

from django.conf import settings
from django.core.mail import EmailMessage

from visitflow.accounts.models import User
from visitflow.tradeshows.documents import invitation_pdf, letter_filename, personal_link
from visitflow.tradeshows.models import Invitation
from visitflow.tradeshows.services.invitations import invitation_letter_sent


def invitation_letter_email_send(*, invitation_id: int, actor_id: int | None) -> bool:
    """Send the letter to the contact's address; False when there is none (any more)."""
    invitation = (
        Invitation.objects.select_related("show", "customer", "contact", "owner")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.contact.email:
        return False
    show = invitation.show
    company = getattr(settings, "VISITFLOW_COMPANY_NAME", "") or "VisitFlow"
    # The letter is bilingual, so is the mail: the invitee's language is not known.
    subject = f"邀请函 Invitation · {show.name} · {show.booth_number}"
    body = (
        f"尊敬的{invitation.contact.name}：\n\n"
        f"{company}诚邀您参观{show.name}（{show.city} {show.venue}，展位 {show.booth_number}）。"
        f"邀请函见附件；请通过以下链接告诉我们您是否参加：\n{personal_link(invitation)}\n\n"
        f"Dear {invitation.contact.name},\n\n"
        f"{company} invites you to {show.name} ({show.city}, {show.venue}, booth "
        f"{show.booth_number}). The invitation is attached; please let us know whether you "
        f"will come: {personal_link(invitation)}\n\n"
        f"{invitation.owner}"
    )
    reply_to = [invitation.owner.email] if invitation.owner.email else []
    message = EmailMessage(
        subject=subject, body=body, to=[invitation.contact.email], reply_to=reply_to
    )
    message.attach(letter_filename(invitation), invitation_pdf(invitation), "application/pdf")
    message.send()
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    invitation_letter_sent(invitation_id=invitation.pk, actor=actor)
    return True
