"""The reception-quality report as a file: one row per host and month."""

from django.utils.translation import gettext_lazy as _

from visitflow.reports.exports import Column

QUALITY_COLUMNS = [
    Column(_("month"), lambda r: r.month.strftime("%Y-%m")),
    Column(_("team"), lambda r: r.team),
    Column(_("host"), lambda r: r.host),
    Column(_("visits hosted"), lambda r: r.visits),
    Column(_("steps due"), lambda r: r.steps_due),
    Column(_("steps on time"), lambda r: r.steps_on_time),
    Column(_("steps done late"), lambda r: r.steps_late),
    Column(_("steps overdue"), lambda r: r.steps_overdue),
    Column(_("steps skipped"), lambda r: r.steps_skipped),
    Column(_("on time (%)"), lambda r: r.on_time_rate, number_format="0.0"),
    Column(_("return calls due"), lambda r: r.return_calls_due),
    Column(_("return calls on time"), lambda r: r.return_calls_on_time),
    Column(_("return calls on time (%)"), lambda r: r.return_call_rate, number_format="0.0"),
    Column(_("products (1-5)"), lambda r: r.product_average, number_format="0.00"),
    Column(_("company image (1-5)"), lambda r: r.image_average, number_format="0.00"),
    Column(_("open requests"), lambda r: r.open_requests),
]
