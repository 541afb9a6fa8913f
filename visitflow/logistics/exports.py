"""The pickups and see-offs of the day board as a file (issue 9): what reception hands to
the drivers, or keeps for the record."""

from django.utils.translation import gettext_lazy as _

from visitflow.core.validators import format_phone
from visitflow.logistics.models import Transfer
from visitflow.logistics.services.transfers import leg_time
from visitflow.reports.exports import Column


def _person(user: object | None) -> str:
    return str(user) if user else ""


def _phone(transfer: Transfer) -> str:
    escort = transfer.escort
    return format_phone(escort.mobile) if escort.mobile else ""


TRANSFER_COLUMNS = [
    Column(_("kind"), lambda t: t.get_kind_display()),
    Column(_("customer"), lambda t: t.visit.customer.name, width=30),
    Column(_("host"), lambda t: str(t.visit.host)),
    Column(_("flight / train number"), lambda t: t.leg.number),
    Column(_("airport / station"), lambda t: str(t.station) if t.station else t.leg.to_place),
    Column(_("at the station"), lambda t: leg_time(t.leg, t.kind), width=18),
    Column(_("leaves the company at"), lambda t: t.leaves_at, width=18),
    Column(_("back at the company at"), lambda t: t.back_at, width=18),
    Column(_("meeting point"), lambda t: t.meeting_point, width=24),
    Column(_("car"), lambda t: t.vehicle.plate if t.vehicle else ""),
    Column(_("driver"), lambda t: _person(t.driver)),
    Column(_("escort"), lambda t: _person(t.escort)),
    Column(_("escort's mobile"), _phone, width=18),
    Column(_("state"), lambda t: t.get_state_display()),
]
