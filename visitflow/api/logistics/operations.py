"""Pickups and see-offs, leader meetings and gift issues (issue 4, "API").

The same services and predicates as the pages: a transfer is planned by those who run
the visit (or reception) and moved by its escort or driver; a leader meeting is answered
by the leader asked; gifts are issued by the visit's side or reception. Anything the
booking engine refuses (a car, an escort or a leader already booked) is a 409 naming the
booking in the way; anything typed wrong is a 422 in the caller's language."""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from visitflow.accounts.models import User
from visitflow.api.common import ObjectId, actor
from visitflow.api.logistics.common import aware, conflict, field_error
from visitflow.api.logistics.operations_schemas import (
    CustomerMessageOut,
    GiftIssueIn,
    GiftIssueListParams,
    GiftIssueOut,
    MeetingBriefOut,
    MeetingDeclineIn,
    MeetingIn,
    MeetingListParams,
    MeetingOut,
    MeetingProposeIn,
    MessageTextOut,
    RecommendationOut,
    StockMovementOut,
    StockReceiveIn,
    TransferIn,
    TransferListParams,
    TransferMessageIn,
    TransferOptionsOut,
    TransferOut,
    TransferStateIn,
)
from visitflow.api.logistics.schemas import ConflictOut, GiftOut
from visitflow.api.pagination import PageOrOffsetPagination
from visitflow.logistics import permissions, selectors
from visitflow.logistics.models import (
    CustomerMessage,
    GiftIssue,
    GiftItem,
    LeaderLevel,
    LeaderMeeting,
    StockMovement,
    Transfer,
)
from visitflow.logistics.services import gifts, leaders, transfers
from visitflow.logistics.services.bookings import BookingConflict
from visitflow.visits.models import Visit
from visitflow.visits.selectors import leg_get_for_user, visit_get_for_user

router = Router(tags=["logistics"])

CONFLICT = {409: ConflictOut}


def _forbidden(message: str) -> HttpError:
    return HttpError(403, message)


# --- Transfers ---------------------------------------------------------------------------


def _transfer(user: User, pk: int) -> Transfer:
    transfer = selectors.transfer_get_for_user(user, pk)
    if not permissions.can_view_transfer(user, transfer):
        raise HttpError(404, _("Not found."))
    return transfer


def _movable(user: User, pk: int) -> Transfer:
    transfer = _transfer(user, pk)
    if not permissions.can_move_transfer(user, transfer):
        raise _forbidden(_("You may not change this transfer."))
    return transfer


@router.get("/transfers", response=list[TransferOut])
@paginate(PageOrOffsetPagination)
def transfer_list(request: HttpRequest, params: Query[TransferListParams]) -> QuerySet[Transfer]:
    return selectors.transfer_list_for_user(
        actor(request),
        visit=params.visit,
        day=params.day,
        state=params.state,
        mine=params.mine,
    )


@router.get("/transfers/{transfer_id}", response=TransferOut)
def transfer_detail(request: HttpRequest, transfer_id: ObjectId) -> Transfer:
    return _transfer(actor(request), transfer_id)


@router.get("/legs/{leg_id}/transfer-options", response=TransferOptionsOut)
def transfer_options(
    request: HttpRequest, leg_id: ObjectId, station: int | None = None
) -> dict[str, Any]:
    """The window a transfer for this journey would take and the cars free for all of it
    with enough seats for the party and the escort (SOP 5.1: 安排车辆)."""
    user = actor(request)
    leg = leg_get_for_user(user, leg_id)
    if not permissions.can_plan_transfer(user, leg.visit):
        raise _forbidden(_("You may not plan transfers for this visit."))
    kind = transfers.kind_for_leg(leg)
    chosen = None
    if station is not None:
        chosen = selectors.station_list_for_user(user).filter(pk=station).first()
        if chosen is None:
            raise field_error("station", _("There is no such active station."))
    place = chosen or transfers.station_for_leg(leg, kind)
    seats = transfers.seats_needed(visit=leg.visit, escort=leg.visit.acting_host, driver=None)
    window: tuple[datetime | None, datetime | None] = (None, None)
    free: list[Any] = []
    if place is not None:
        window = transfers.transfer_window(leg=leg, kind=kind, travel_minutes=place.travel_minutes)
        free = list(transfers.free_vehicles(starts_at=window[0], ends_at=window[1], seats=seats))
    english = (get_language() or "").startswith("en")
    advice = ""
    if place is not None:
        advice = (place.no_car_advice_en or place.no_car_advice) if english else place.no_car_advice
    return {
        "kind": kind,
        "station": place,
        "leaves_at": window[0],
        "back_at": window[1],
        "seats_needed": seats,
        "free_vehicles": free,
        "no_car_advice": advice,
    }


@router.post("/transfers", response={201: TransferOut, **CONFLICT})
def transfer_plan(request: HttpRequest, payload: TransferIn) -> Status[Any]:
    user = actor(request)
    leg = leg_get_for_user(user, payload.leg)
    if not permissions.can_plan_transfer(user, leg.visit):
        raise _forbidden(_("You may not plan transfers for this visit."))
    vehicle = None
    if payload.vehicle is not None:
        vehicle = selectors.vehicle_list_for_user(user).filter(pk=payload.vehicle).first()
        if vehicle is None:
            raise field_error("vehicle", _("There is no such active vehicle."))
    driver = None
    if payload.driver is not None:
        driver = transfers.drivers().filter(pk=payload.driver).first()
        if driver is None:
            raise field_error("driver", _("The driver must be an active driver."))
    escort = None
    if payload.escort is not None:
        escort = selectors.escort_choices().filter(pk=payload.escort).first()
        if escort is None:
            raise field_error("escort", _("There is no such active colleague to escort."))
    station = None
    if payload.station is not None:
        station = selectors.station_list_for_user(user).filter(pk=payload.station).first()
        if station is None:
            raise field_error("station", _("There is no such active station."))
    try:
        transfer = transfers.transfer_plan(
            actor=user,
            visit=leg.visit,
            leg=leg,
            kind=transfers.kind_for_leg(leg),
            vehicle=vehicle,
            driver=driver,
            escort=escort,
            escort_reason=payload.escort_reason,
            meeting_point=payload.meeting_point,
            station=station,
        )
    except BookingConflict as exc:
        return conflict(exc)
    return Status(201, selectors.transfer_get_for_user(user, transfer.pk))


@router.post("/transfers/{transfer_id}/state", response={200: TransferOut, **CONFLICT})
def transfer_move(request: HttpRequest, transfer_id: ObjectId, payload: TransferStateIn) -> Any:
    """The escort's buttons: on the way, met, done; or cancelled (releases the bookings).
    "Customer told" is reached by recording the message (POST …/messages)."""
    user = actor(request)
    transfer = _movable(user, transfer_id)
    transfers.TRANSITION_SERVICES[payload.state](actor=user, transfer=transfer)
    return selectors.transfer_get_for_user(user, transfer.pk)


@router.get("/transfers/{transfer_id}/message-text", response=MessageTextOut)
def transfer_message_text(
    request: HttpRequest, transfer_id: ObjectId, language: str = "zh-hans"
) -> dict[str, str]:
    """The customer message from the admin-edited template, ready to send."""
    transfer = _transfer(actor(request), transfer_id)
    language = transfers.message_language(language)
    return {
        "language": language,
        "text": transfers.transfer_message_text(transfer, language=language),
    }


@router.post("/transfers/{transfer_id}/messages", response={201: CustomerMessageOut})
def transfer_message_send(
    request: HttpRequest, transfer_id: ObjectId, payload: TransferMessageIn
) -> Status[CustomerMessage]:
    """Record that the customer was told (channel, text, time, by whom)."""
    user = actor(request)
    transfer = _movable(user, transfer_id)
    text = payload.text or transfers.transfer_message_text(transfer, language=payload.language)
    message = transfers.transfer_message_send(
        actor=user,
        transfer=transfer,
        channel=payload.channel,
        text=text,
        language=payload.language,
    )
    return Status(201, message)


# --- Leader meetings ---------------------------------------------------------------------


def _meeting(user: User, pk: int) -> LeaderMeeting:
    return selectors.meeting_get_for_user(user, pk)


def _answerable(user: User, pk: int) -> LeaderMeeting:
    meeting = _meeting(user, pk)
    if not permissions.can_answer_meeting(user, meeting):
        raise _forbidden(_("Only the leader asked answers this request."))
    return meeting


def _changeable_meeting(user: User, pk: int) -> LeaderMeeting:
    meeting = _meeting(user, pk)
    if not permissions.can_change_meeting(user, meeting):
        raise _forbidden(_("Only those who run the visit change this meeting."))
    return meeting


@router.get("/visits/{visit_id}/leader-recommendation", response=RecommendationOut)
def leader_recommendation(request: HttpRequest, visit_id: ObjectId) -> dict[str, Any]:
    """Customer level by visit importance → none, a director or the general manager."""
    visit = visit_get_for_user(actor(request), visit_id)
    level = leaders.leader_recommendation(visit)
    people = list(leaders.leader_choices(level)) if level != LeaderLevel.NONE else []
    return {
        "visit_id": visit.pk,
        "leader_level": level,
        "label": str(LeaderLevel(level).label),
        "leaders": people,
    }


@router.get("/leader-meetings", response=list[MeetingOut])
@paginate(PageOrOffsetPagination)
def meeting_list(request: HttpRequest, params: Query[MeetingListParams]) -> QuerySet[LeaderMeeting]:
    return selectors.meeting_list_for_user(
        actor(request), visit=params.visit, state=params.state, as_leader=params.as_leader
    )


@router.get("/leader-meetings/{meeting_id}", response=MeetingOut)
def meeting_detail(request: HttpRequest, meeting_id: ObjectId) -> LeaderMeeting:
    return _meeting(actor(request), meeting_id)


@router.get("/leader-meetings/{meeting_id}/brief", response=MeetingBriefOut)
def meeting_brief(request: HttpRequest, meeting_id: ObjectId) -> dict[str, Any]:
    brief = leaders.meeting_brief(_meeting(actor(request), meeting_id))
    customer = brief.customer
    return {
        "customer": customer.name,
        "level": str(customer.level) if customer.level_id else "",
        "purposes": brief.visit.purpose_labels(),
        "importance": brief.visit.get_importance_display(),
        "visit": brief.visit,
        "party": brief.party,
        "past_visits": brief.past_visits,
        "open_requests": brief.open_requests,
    }


@router.post("/leader-meetings", response={201: MeetingOut})
def meeting_request(request: HttpRequest, payload: MeetingIn) -> Status[LeaderMeeting]:
    user = actor(request)
    visit: Visit = visit_get_for_user(user, payload.visit)
    if not permissions.can_request_meeting(user, visit):
        raise _forbidden(_("Only those who run the visit ask a leader to meet the customer."))
    leader = leaders.leader_choices().filter(pk=payload.leader).first()
    if leader is None:
        raise field_error(
            "leader", _("Only a director or the general manager can be asked to meet a customer.")
        )
    room = None
    if payload.room is not None:
        room = selectors.room_list_for_user(user).filter(pk=payload.room).first()
        if room is None:
            raise field_error("room", _("There is no such active room."))
    meeting = leaders.meeting_request(
        actor=user,
        visit=visit,
        leader=leader,
        starts_at=aware(payload.starts_at),
        ends_at=aware(payload.ends_at),
        room=room,
    )
    return Status(201, _meeting(user, meeting.pk))


@router.post("/leader-meetings/{meeting_id}/accept", response={200: MeetingOut, **CONFLICT})
def meeting_accept(request: HttpRequest, meeting_id: ObjectId) -> Any:
    """The leader says yes: their time (and the room) are booked, never twice."""
    user = actor(request)
    try:
        return leaders.meeting_accept(actor=user, meeting=_answerable(user, meeting_id))
    except BookingConflict as exc:
        return conflict(exc)


@router.post("/leader-meetings/{meeting_id}/decline", response=MeetingOut)
def meeting_decline(
    request: HttpRequest, meeting_id: ObjectId, payload: MeetingDeclineIn
) -> LeaderMeeting:
    user = actor(request)
    return leaders.meeting_decline(
        actor=user, meeting=_answerable(user, meeting_id), note=payload.note
    )


@router.post("/leader-meetings/{meeting_id}/propose", response=MeetingOut)
def meeting_propose(
    request: HttpRequest, meeting_id: ObjectId, payload: MeetingProposeIn
) -> LeaderMeeting:
    """The leader proposes another time; the requester takes it or not."""
    user = actor(request)
    return leaders.meeting_propose_time(
        actor=user,
        meeting=_answerable(user, meeting_id),
        starts_at=aware(payload.starts_at),
        note=payload.note,
    )


@router.post("/leader-meetings/{meeting_id}/take-proposal", response={200: MeetingOut, **CONFLICT})
def meeting_take_proposal(request: HttpRequest, meeting_id: ObjectId) -> Any:
    user = actor(request)
    try:
        return leaders.meeting_accept_proposal(
            actor=user, meeting=_changeable_meeting(user, meeting_id)
        )
    except BookingConflict as exc:
        return conflict(exc)


@router.post("/leader-meetings/{meeting_id}/cancel", response=MeetingOut)
def meeting_cancel(request: HttpRequest, meeting_id: ObjectId) -> LeaderMeeting:
    user = actor(request)
    return leaders.meeting_cancel(actor=user, meeting=_changeable_meeting(user, meeting_id))


# --- Gifts -------------------------------------------------------------------------------


@router.get("/gift-issues", response=list[GiftIssueOut])
@paginate(PageOrOffsetPagination)
def gift_issue_list(
    request: HttpRequest, params: Query[GiftIssueListParams]
) -> QuerySet[GiftIssue]:
    return selectors.gift_issue_list_for_user(actor(request), visit=params.visit)


@router.get("/gift-issues/{issue_id}", response=GiftIssueOut)
def gift_issue_detail(request: HttpRequest, issue_id: ObjectId) -> GiftIssue:
    return selectors.gift_issue_get_for_user(actor(request), issue_id)


@router.post("/gift-issues", response={201: GiftIssueOut})
def gift_issue(request: HttpRequest, payload: GiftIssueIn) -> Status[GiftIssue]:
    """Take gifts from stock for a visit; stock never goes negative, even when two issues
    race (one conditional UPDATE decides)."""
    user = actor(request)
    visit = visit_get_for_user(user, payload.visit)
    if not permissions.can_issue_gift(user, visit):
        raise _forbidden(_("Only those who run the visit or reception issue gifts."))
    item = selectors.gift_items_available().filter(pk=payload.item).first()
    if item is None:
        raise field_error("item", _("There is no such gift in use."))
    issue = gifts.gift_issue(actor=user, visit=visit, item=item, quantity=payload.quantity)
    return Status(201, selectors.gift_issue_get_for_user(user, issue.pk))


@router.post("/gift-issues/{issue_id}/hand-over", response=GiftIssueOut)
def gift_hand_over(request: HttpRequest, issue_id: ObjectId) -> GiftIssue:
    """SOP 5.1 送车: handed over in person before the visitors leave."""
    user = actor(request)
    issue = selectors.gift_issue_get_for_user(user, issue_id)
    if not permissions.can_hand_over_gift(user, issue):
        raise _forbidden(_("Only those who run the visit hand gifts over."))
    gifts.gift_hand_over(actor=user, issue=issue)
    return selectors.gift_issue_get_for_user(user, issue.pk)


@router.post("/gift-issues/{issue_id}/return", response=GiftIssueOut)
def gift_return(request: HttpRequest, issue_id: ObjectId) -> GiftIssue:
    """Unused gifts go back to stock."""
    user = actor(request)
    issue = selectors.gift_issue_get_for_user(user, issue_id)
    if not permissions.can_return_gift(user, issue):
        raise _forbidden(_("Only those who run the visit or reception return gifts."))
    gifts.gift_return(actor=user, issue=issue)
    return selectors.gift_issue_get_for_user(user, issue.pk)


@router.post("/gifts/{gift_id}/receive", response=GiftOut)
def gift_receive(request: HttpRequest, gift_id: ObjectId, payload: StockReceiveIn) -> GiftItem:
    user = actor(request)
    item = selectors.gift_get_for_user(user, gift_id)
    if not permissions.can_manage_resources(user):
        raise _forbidden(_("Only reception and administrators change these."))
    gifts.stock_receive(actor=user, item=item, quantity=payload.quantity, note=payload.note)
    return selectors.gift_get_for_user(user, gift_id)


@router.get("/gifts/{gift_id}/movements", response=list[StockMovementOut])
@paginate(PageOrOffsetPagination)
def gift_movements(request: HttpRequest, gift_id: ObjectId) -> QuerySet[StockMovement]:
    user = actor(request)
    item = selectors.gift_get_for_user(user, gift_id)
    if not permissions.can_manage_resources(user):
        raise _forbidden(_("Only reception and administrators see stock movements."))
    return selectors.stock_movement_list(item)
