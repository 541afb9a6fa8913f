"""The leads of a show as a file (SOP 5.3.5 整理客户资料; issue 9's exports)."""

from django.utils.translation import gettext_lazy as _

from visitflow.core.validators import format_phone
from visitflow.reports.exports import Column
from visitflow.tradeshows.models import Lead


def _phone(value: str) -> str:
    return format_phone(value) if value else ""


def _mobile(lead: Lead) -> str:
    return _phone(lead.mobile)


LEAD_COLUMNS = [
    Column(_("name"), lambda lead: lead.name),
    Column(_("company"), lambda lead: lead.company, width=30),
    Column(_("title"), lambda lead: lead.title),
    Column(_("mobile phone"), _mobile, width=18),
    Column(_("phone"), lambda lead: _phone(lead.phone), width=18),
    Column(_("e-mail"), lambda lead: lead.email, width=24),
    Column(_("address"), lambda lead: lead.address, width=30),
    Column(_("website"), lambda lead: lead.website, width=24),
    Column(_("grade"), lambda lead: lead.grade),
    Column(_("interest (products)"), lambda lead: lead.interest, width=24),
    Column(_("notes"), lambda lead: lead.notes, width=30),
    Column(_("salesperson"), lambda lead: str(lead.owner) if lead.owner else ""),
    Column(_("status"), lambda lead: lead.get_status_display()),
    Column(_("matching customer"), lambda lead: str(lead.customer) if lead.customer else ""),
    Column(_("captured"), lambda lead: lead.created, width=18),
    Column(_("called"), lambda lead: lead.called_at, width=18),
    Column(_("call outcome"), lambda lead: lead.call_outcome, width=30),
]
