"""Invitations to a trade show (SOP 5.3.1): letters, the invitee's answer, the calls.

The invitation's status moves only along TRANSITIONS, in `_move`; the invitee's answer
and the call outcomes are the two ways in, the booth check-in the way out."""

import secrets
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from visitflow.accounts.models import User
from visitflow.accounts.selectors_absences import company_zone
from visitflow.core.exceptions import ApplicationError
from visitflow.core.services import log_activity
from visitflow.customers.models import Contact
from visitflow.tradeshows.models import (
    CallOutcome,
    Invitation,
    InvitationCall,
    InvitationStatus,
    TradeShow,
)

S = InvitationStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.INVITED: frozenset({S.CONFIRMED, S.DECLINED, S.CAME}),
    S.CONFIRMED: frozenset({S.DECLINED, S.CAME}),
    S.DECLINED: frozenset({S.CONFIRMED, S.CAME}),
    S.CAME: frozenset(),
}
# Outcomes that settle the confirmation call (SOP 5.3.1: the letter arrived, the date and
# place were given); the others keep it due.
CALL_DONE = frozenset(
    {CallOutcome.REACHED, CallOutcome.LETTER_RECEIVED, CallOutcome.WILL_COME, CallOutcome.DECLINED}
)
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud and typed
CODE_LENGTH = 8
MAX_PARTY = 20


def _error(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, field_errors={field: [message]})


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))


def new_token() -> str:
    return secrets.token_urlsafe(32)  # 32 random bytes


def _link_expiry(show: TradeShow) -> datetime:
    """The personal link works until the end of the show's last day (company time)."""
    return datetime.combine(show.ends_on + timedelta(days=1), time.min, tzinfo=company_zone())


def first_call_due(now: datetime) -> datetime:
    """SOP 5.3.1: after the letter is out, a call confirms it arrived: a few days later,
    at ten in the morning company time (nobody is called at two at night)."""
    days = int(getattr(settings, "TRADESHOW_INVITATION_CALL_AFTER_DAYS", 3))
    day = timezone.localtime(now, company_zone()).date() + timedelta(days=days)
    return datetime.combine(day, time(10), tzinfo=company_zone())


def _move(invitation: Invitation, target: str) -> bool:
    if invitation.status == target:
        return False
    if target not in TRANSITIONS[invitation.status]:
        raise ApplicationError(
            _("This invitation is “%(status)s” already and cannot change to “%(target)s”.")
            % {"status": invitation.get_status_display(), "target": S(target).label}
        )
    invitation.status = target
    return True


@transaction.atomic
def invitation_create_many(
    *, actor: User, show: TradeShow, contacts: list[Contact]
) -> list[Invitation]:
    """Invite these contacts (already scoped to what the actor may see); a contact
    invited before is skipped, so choosing a customer twice does no harm."""
    if show.ends_on < timezone.localdate():
        raise ApplicationError(_("This show is over; nobody can be invited any more."))
    if not contacts:
        raise _error("contacts", _("Choose at least one contact to invite."))
    already = set(
        show.invitations.filter(contact__in=contacts).values_list("contact_id", flat=True)
    )
    now = timezone.now()
    created = []
    for contact in contacts:
        if contact.pk in already:
            continue
        invitation = Invitation(
            show=show,
            customer=contact.customer,
            contact=contact,
            owner=contact.customer.owner,
            token=new_token(),
            link_expires_at=_link_expiry(show),
            call_due_at=first_call_due(now),
        )
        for attempt in range(5):
            invitation.code = new_code()
            try:
                with transaction.atomic():
                    invitation.save()
                break
            except IntegrityError:
                if attempt == 4:
                    raise
        log_activity(
            actor=actor,
            action="invitation.created",
            obj=invitation,
            customer=contact.customer,
            changes={"show": str(show), "contact": str(contact)},
        )
        created.append(invitation)
    return created


@transaction.atomic
def invitation_revoke_link(*, actor: User, invitation: Invitation) -> Invitation:
    if invitation.link_revoked_at is None:
        invitation.link_revoked_at = timezone.now()
        invitation.save(update_fields=["link_revoked_at", "updated"])
        log_activity(
            actor=actor,
            action="invitation.link_revoked",
            obj=invitation,
            customer=invitation.customer,
        )
    return invitation


@transaction.atomic
def invitation_renew_link(*, actor: User, invitation: Invitation) -> Invitation:
    """A new personal link (the old one stops working), e.g. after a letter went astray."""
    invitation.token = new_token()
    invitation.link_revoked_at = None
    invitation.link_expires_at = _link_expiry(invitation.show)
    invitation.save(update_fields=["token", "link_revoked_at", "link_expires_at", "updated"])
    log_activity(
        actor=actor, action="invitation.link_renewed", obj=invitation, customer=invitation.customer
    )
    return invitation


@transaction.atomic
def invitation_rsvp(
    *,
    invitation: Invitation,
    coming: bool,
    day: date | None = None,
    party_size: int | None = None,
    names: str = "",
) -> Invitation:
    """The invitee's own answer on their personal page (no account, so no actor)."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("show")
        .get(pk=invitation.pk)
    )
    show = invitation.show
    if invitation.status == S.CAME:
        raise ApplicationError(_("You have already been welcomed at the booth. Thank you!"))
    names = names.strip()
    if coming:
        if day is None or not show.starts_on <= day <= show.ends_on:
            raise _error("day", _("Choose one of the show days."))
        if party_size is None or not 1 <= party_size <= MAX_PARTY:
            raise _error(
                "party_size",
                _("Tell us how many people will come (1 to %(max)s).") % {"max": MAX_PARTY},
            )
        invitation.rsvp_day, invitation.rsvp_party_size, invitation.rsvp_names = (
            day,
            party_size,
            names[:500],
        )
        _move(invitation, S.CONFIRMED)
    else:
        invitation.rsvp_day, invitation.rsvp_party_size, invitation.rsvp_names = None, None, ""
        _move(invitation, S.DECLINED)
    invitation.rsvp_at = timezone.now()
    invitation.save()
    log_activity(
        actor=None,
        action="invitation.answered",
        obj=invitation,
        customer=invitation.customer,
        changes={"status": invitation.get_status_display()},
    )
    return invitation


@transaction.atomic
def invitation_call_record(
    *,
    actor: User,
    invitation: Invitation,
    outcome: str,
    call_again_at: datetime | None = None,
    note: str = "",
) -> InvitationCall:
    """SOP 5.3.1 电话沟通确认: the call's outcome; "call again" sets when, "not reached"
    keeps the call due tomorrow."""
    invitation = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
    if outcome not in CallOutcome.values:
        raise _error("outcome", _("Choose what came of the call."))
    now = timezone.now()
    if outcome == CallOutcome.CALL_AGAIN:
        if call_again_at is None:
            raise _error("call_again_at", _("Say when to call again."))
        if call_again_at <= now:
            raise _error("call_again_at", _("The next call must be in the future."))
        invitation.call_due_at = call_again_at
    elif outcome == CallOutcome.NOT_REACHED:
        call_again_at = None
        invitation.call_due_at = now + timedelta(days=1)
    else:
        call_again_at = None
        invitation.call_due_at = None
    if invitation.status != S.CAME:
        if outcome == CallOutcome.WILL_COME:
            _move(invitation, S.CONFIRMED)
        elif outcome == CallOutcome.DECLINED:
            _move(invitation, S.DECLINED)
    else:
        invitation.call_due_at = None
    invitation.save()
    call = InvitationCall.objects.create(
        invitation=invitation,
        caller=actor,
        outcome=outcome,
        call_again_at=call_again_at,
        note=note.strip()[:500],
    )
    log_activity(
        actor=actor,
        action="invitation.called",
        obj=invitation,
        customer=invitation.customer,
        changes={"outcome": call.get_outcome_display()},
    )
    return call


@transaction.atomic
def invitation_letter_sent(*, invitation_id: int, actor: User | None = None) -> None:
    invitation = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation_id)
    invitation.letter_sent_at = timezone.now()
    invitation.save(update_fields=["letter_sent_at", "updated"])
    log_activity(
        actor=actor, action="invitation.letter_sent", obj=invitation, customer=invitation.customer
    )


def invitation_email_letter(*, actor: User, invitation: Invitation) -> None:
    """Queue the letter by e-mail once this transaction commits (SOP 5.3.1 派发)."""
    from visitflow.tradeshows.tasks import email_invitation_letter

    if not invitation.contact.email:
        raise ApplicationError(
            _("%(contact)s has no e-mail address: download the letter and send it another way.")
            % {"contact": invitation.contact}
        )
    pk, actor_pk = invitation.pk, actor.pk
    transaction.on_commit(lambda: email_invitation_letter.enqueue(pk, actor_pk))
