"""The customer list as a file (issue 9): the columns a team moving from spreadsheets
expects, phones as people write them."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from visitflow.core.validators import format_phone
from visitflow.customers.models import Customer
from visitflow.reports.exports import Column


def _primary(customer: Customer) -> tuple[str, str]:
    contacts = getattr(customer, "primary_contacts", None) or []
    if not contacts:
        return "", ""
    return contacts[0].name, format_phone(contacts[0].mobile) if contacts[0].mobile else ""


CUSTOMER_COLUMNS = [
    Column(_("company name"), lambda c: c.name, width=30),
    Column(_("short name"), lambda c: c.short_name),
    Column(_("level"), lambda c: c.level.name),
    Column(_("owner"), lambda c: str(c.owner) if c.owner else ""),
    Column(_("industry"), lambda c: c.industry),
    Column(_("province / region"), lambda c: c.region),
    Column(_("city"), lambda c: c.city),
    Column(_("address"), lambda c: c.address, width=30),
    Column(pgettext_lazy("customer list", "primary contact"), lambda c: _primary(c)[0]),
    Column(_("mobile phone"), lambda c: _primary(c)[1], width=18),
    Column(_("source"), lambda c: c.get_source_display()),
    Column(_("active"), lambda c: c.is_active),
    Column(_("updated"), lambda c: c.updated, width=18),
]
