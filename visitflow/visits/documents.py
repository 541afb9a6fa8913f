"""PDF documents of a visit: the reception brief for staff and the visitors' itinerary.

Chinese needs a CJK font embedded in the file. It comes from a Python package (WenQuanYi
Micro Hei, a TrueType collection) so every install has it without system fonts; fpdf2
subsets it, so a document carries only the glyphs it uses.
"""

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace

from visitflow.accounts.models import User
from visitflow.visits.models import (
    OPEN_REQUEST_STATES,
    LegDirection,
    StepState,
    TravelLeg,
    TravelMode,
    Visit,
    Visitor,
    VisitRequest,
    VisitStep,
)
from visitflow.visits.selectors import visit_detail_parts

FONT = "cjk"
INK = (33, 37, 41)
MUTED = (108, 117, 125)
ACCENT = (13, 110, 253)
RULE = (222, 226, 230)
HEAD_FILL = (233, 240, 252)
ZEBRA = (248, 249, 250)


@cache
def cjk_font_path() -> Path:
    return Path(str(resources.files("paperang_p2_fonts_cjk").joinpath("fonts/wqy-microhei.ttc")))


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _dt(value: datetime | None) -> str:
    if value is None:
        return "—"
    return timezone.localtime(value, _zone()).strftime("%Y-%m-%d %H:%M")


class VisitPdf(FPDF):
    """A4 with a brand line on top and, at the foot, when it was made and the page."""

    def __init__(self, *, title: str, footer_note: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        # One face for Latin and Chinese, with no bold cut: emphasis comes from size and
        # colour (parsing the collection is most of a document's build time, so only once).
        self.add_font(FONT, "", str(cjk_font_path()), collection_font_number=0)
        self.doc_title = title
        self.footer_note = footer_note
        self.set_title(title)
        self.set_creator("VisitFlow")
        self.set_margins(16, 18, 16)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_font(FONT, size=10)
        self.set_text_color(*INK)
        self.add_page()

    def header(self) -> None:
        self.set_font(FONT, size=8)
        self.set_text_color(*MUTED)
        self.set_y(8)
        self.cell(0, 5, "VisitFlow", align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, self.doc_title, align="R")
        self.set_draw_color(*ACCENT)
        self.set_line_width(0.6)
        self.line(self.l_margin, 14, self.w - self.r_margin, 14)
        self.set_y(18)
        self.set_text_color(*INK)
        self.set_font(FONT, size=10)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_font(FONT, size=7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 6, self.footer_note, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 6, f"{self.page_no()} / {{nb}}", align="R")

    # --- building blocks -------------------------------------------------------------

    def title_block(self, title: str, subtitle: str = "") -> None:
        self.set_font(FONT, size=18)
        self.set_text_color(*INK)
        self.multi_cell(0, 9, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self.set_font(FONT, size=10)
            self.set_text_color(*MUTED)
            self.multi_cell(0, 5.5, subtitle, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)
        self.set_text_color(*INK)

    def section(self, title: str) -> None:
        if self.get_y() > self.h - 45:
            self.add_page()
        self.ln(3)
        self.set_font(FONT, size=12)
        self.set_text_color(*ACCENT)
        self.cell(0, 7, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*RULE)
        self.set_line_width(0.3)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1.5)
        self.set_text_color(*INK)
        self.set_font(FONT, size=9.5)

    def facts(self, rows: Sequence[tuple[str, str]], label_width: float = 38) -> None:
        """Label and value pairs, the label muted, the value wrapping."""
        width = self.w - self.l_margin - self.r_margin
        with self.table(
            col_widths=(label_width, width - label_width),
            width=width,
            first_row_as_headings=False,
            borders_layout=TableBordersLayout.NONE,
            line_height=5.2,
            padding=(0.8, 1.5),
            text_align="LEFT",
        ) as table:
            for label, value in rows:
                row = table.row()
                row.cell(label, style=FontFace(color=MUTED))
                row.cell(value or "—")

    def grid(
        self, headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
    ) -> None:
        """A table with a tinted heading row and zebra rows; repeats headings on new pages."""
        if not rows:
            self.set_text_color(*MUTED)
            self.cell(0, 6, _("None."), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_text_color(*INK)
            return
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        with self.table(
            col_widths=tuple(widths),
            width=self.w - self.l_margin - self.r_margin,
            headings_style=FontFace(emphasis="NONE", color=INK, fill_color=HEAD_FILL),
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            cell_fill_color=ZEBRA,
            cell_fill_mode="ROWS",
            line_height=5.2,
            padding=(1.2, 1.5),
            text_align="LEFT",
            repeat_headings=1,
        ) as table:
            heading = table.row()
            for text in headings:
                heading.cell(text)
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(value or "—")

    def paragraph(self, text: str, *, muted: bool = False) -> None:
        self.set_text_color(*(MUTED if muted else INK))
        self.multi_cell(0, 5.2, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)

    def render(self) -> bytes:
        return bytes(self.output())


def _generated_note(user: User, extra: str = "") -> str:
    note = _("Generated %(time)s by %(user)s") % {
        "time": timezone.localtime(timezone.now(), _zone()).strftime("%Y-%m-%d %H:%M"),
        "user": user,
    }
    return f"{note} · {extra}" if extra else note


def _person(user: User | None) -> str:
    if user is None:
        return "—"
    return " · ".join(p for p in (str(user), user.mobile_display) if p)


def _leg_times(leg: TravelLeg) -> tuple[str, str]:
    arrival = _dt(leg.arrives_at)
    if leg.actual_arrival and leg.actual_arrival != leg.arrives_at:
        arrival += "\n" + _("actual %(time)s") % {"time": _dt(leg.actual_arrival)}
    return _dt(leg.departs_at), arrival


def _step_state(step: VisitStep) -> str:
    label = step.get_state_display()
    if step.state == StepState.DONE:
        return f"{label}\n{_dt(step.done_at)} {step.done_by or ''}".strip()
    if step.state == StepState.SKIPPED and step.skip_reason:
        return f"{label}: {step.skip_reason}"
    if getattr(step, "is_overdue", False):
        return f"{label} · {_('overdue')}"
    return str(label)


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


# --- The reception brief (staff) ---------------------------------------------------------


def brief_pdf(visit: Visit, *, user: User) -> bytes:
    """Everything the reception team needs on paper, in the reader's language."""
    parts = visit_detail_parts(visit)
    visitors: list[Visitor] = parts["visitors"]  # type: ignore[assignment]
    legs: list[TravelLeg] = parts["legs"]  # type: ignore[assignment]
    steps: list[VisitStep] = parts["steps"]  # type: ignore[assignment]
    requests: list[VisitRequest] = [
        r
        for r in parts["requests"]  # type: ignore[attr-defined]
        if r.state in OPEN_REQUEST_STATES
    ]
    customer = visit.customer

    pdf = VisitPdf(
        title=_("Reception brief"),
        footer_note=_generated_note(user, _("Internal: not for visitors")),
    )
    pdf.title_block(
        customer.name,
        _("Reception brief · %(start)s to %(end)s")
        % {"start": _dt(visit.starts_at), "end": _dt(visit.ends_at)},
    )

    pdf.section(_("Visit"))
    purposes = "; ".join(p for p in (*visit.purpose_labels(), visit.purpose_notes) if p)
    co_hosts = ", ".join(str(u) for u in visit.co_hosts.all())
    arrangements = "; ".join(
        (
            _("pickup: %(answer)s") % {"answer": _yes_no(visit.wants_pickup)},
            _("drop-off: %(answer)s") % {"answer": _yes_no(visit.wants_dropoff)},
            _("lodging: %(answer)s") % {"answer": _yes_no(visit.wants_lodging)},
        )
    )
    pdf.facts(
        [
            (_("Customer"), f"{customer.name} ({customer.level})"),
            (_("Address"), customer.address or customer.city),
            (_("Host"), _person(visit.host)),
            *(
                [(_("Stand-in host"), _person(visit.stand_in))]
                if visit.stand_in_id and visit.is_open
                else []
            ),
            (_("Co-hosts"), co_hosts),
            (_("Status"), str(visit.get_status_display())),
            (_("Importance"), str(visit.get_importance_display())),
            (_("Arrival"), _dt(visit.starts_at)),
            (_("Departure"), _dt(visit.ends_at)),
            (_("Purpose"), purposes),
            (_("Arrangements"), arrangements),
            (_("Party size"), str(visit.party_size or len(visitors))),
            (_("Notes"), visit.notes),
        ]
    )

    pdf.section(_("Party"))
    pdf.grid(
        [_("#"), _("Name"), _("Title"), _("How to recognise them"), _("Mobile phone")],
        [
            [
                str(i),
                f"{v.name}" + (f" ({v.get_gender_display()})" if v.gender else ""),
                v.title,
                v.features,
                v.mobile_display,
            ]
            for i, v in enumerate(visitors, start=1)
        ],
        (11, 34, 31, 64, 38),
    )

    pdf.section(_("Itinerary"))
    pdf.grid(
        [_("Direction"), _("By"), _("Number"), _("From → to"), _("Departs"), _("Arrives")],
        [
            [
                str(leg.get_direction_display()),
                str(leg.get_mode_display()),
                leg.number,
                " → ".join(p for p in (leg.from_place, leg.to_place) if p),
                *_leg_times(leg),
            ]
            for leg in legs
        ],
        (20, 20, 20, 52, 32, 34),
    )

    pdf.section(_("Steps"))
    pdf.grid(
        [_("#"), _("Step"), _("Owner"), _("Due"), _("State")],
        [
            [
                str(i),
                step.playbook_step.localized_name,
                str(step.owner),
                _dt(step.due_at),
                _step_state(step),
            ]
            for i, step in enumerate(steps, start=1)
        ],
        (11, 50, 30, 32, 55),
    )

    pdf.section(_("Open requests"))
    pdf.grid(
        [_("Request"), _("Owner"), _("Due date"), _("State")],
        [
            [
                r.title + (f"\n{r.details}" if r.details else ""),
                str(r.owner),
                r.due_date.isoformat(),
                str(r.get_state_display()),
            ]
            for r in requests
        ],
        (88, 32, 28, 30),
    )
    return pdf.render()


# --- The visitors' itinerary (bilingual) -------------------------------------------------

# This document is bilingual by design, whatever the reader's interface language: the
# visitors get Chinese and English side by side. So its labels are fixed pairs rather
# than one catalogue lookup (which would print the same language twice).
_WEEKDAYS = (
    ("周一", "Mon"),
    ("周二", "Tue"),
    ("周三", "Wed"),
    ("周四", "Thu"),
    ("周五", "Fri"),
    ("周六", "Sat"),
    ("周日", "Sun"),
)
_MODES = {
    TravelMode.FLIGHT: ("航班", "Flight"),
    TravelMode.TRAIN: ("高铁/火车", "Train"),
    TravelMode.COACH: ("大巴", "Coach"),
    TravelMode.CAR: ("自驾", "Own car"),
}
_DIRECTIONS = {
    LegDirection.INBOUND: ("来程", "Inbound"),
    LegDirection.OUTBOUND: ("返程", "Return"),
}


def _both(pair: tuple[str, str]) -> str:
    return f"{pair[0]} {pair[1]}"


def _day_time(value: datetime | None) -> str:
    if value is None:
        return "—"
    local = timezone.localtime(value, _zone())
    zh, en = _WEEKDAYS[local.weekday()]
    return f"{local:%Y-%m-%d}\n{zh} {en} {local:%H:%M}"


def itinerary_pdf(visit: Visit) -> bytes:
    """What the visitors may see: dates, their legs, whom to call, where to go."""
    visitors = list(visit.visitors.all())
    legs = list(visit.legs.all())
    customer = visit.customer
    company_name = getattr(settings, "VISITFLOW_COMPANY_NAME", "")
    company_address = getattr(settings, "VISITFLOW_COMPANY_ADDRESS", "")

    pdf = VisitPdf(
        title="来访行程 Visit itinerary",
        footer_note="生成于 Generated "
        + timezone.localtime(timezone.now(), _zone()).strftime("%Y-%m-%d %H:%M"),
    )
    pdf.title_block(
        "来访行程 Visit itinerary",
        f"{customer.name}" + (f" · {company_name}" if company_name else ""),
    )
    width = pdf.w - pdf.l_margin - pdf.r_margin
    half = width / 2
    pdf.set_font(FONT, size=10)
    top = pdf.get_y()
    welcome_zh = "欢迎莅临！以下是您此次来访的行程安排，如有变动请随时联系接待人。"
    welcome_en = (
        "Welcome! Here is the plan for your visit. "
        "If anything changes, please call your host at any time."
    )
    pdf.multi_cell(half - 3, 5.5, welcome_zh, new_x=XPos.RIGHT, new_y=YPos.TOP)
    pdf.set_xy(pdf.l_margin + half + 3, top)
    pdf.multi_cell(half - 3, 5.5, welcome_en, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(pdf.get_y(), top + 12))

    pdf.section("日期 Dates")
    pdf.facts(
        [
            ("抵达 Arrival", _day_time(visit.starts_at).replace("\n", " ")),
            ("离开 Departure", _day_time(visit.ends_at).replace("\n", " ")),
        ],
        label_width=42,
    )

    pdf.section("交通 Travel")
    pdf.grid(
        [
            "行程 Leg",
            "交通 By",
            "班次 Number",
            "出发 From",
            "到达 To",
            "出发时间 Departs",
            "到达时间 Arrives",
        ],
        [
            [
                _both(_DIRECTIONS.get(LegDirection(leg.direction), ("", leg.direction))),
                _both(_MODES.get(TravelMode(leg.mode), ("", leg.mode))),
                leg.number,
                leg.from_place,
                leg.to_place,
                _day_time(leg.departs_at),
                _day_time(leg.arrives_at),
            ]
            for leg in legs
        ],
        (20, 22, 20, 30, 30, 28, 28),
    )
    inbound = next((leg for leg in legs if leg.direction == LegDirection.INBOUND), None)
    if visit.wants_pickup and inbound and inbound.to_place:
        pdf.ln(1)
        pdf.paragraph(
            f"接站：我们将在 {inbound.to_place} 迎接您。"
            f"  Pickup: we will meet you at {inbound.to_place}."
        )
    if visit.wants_lodging:
        pdf.paragraph("住宿：由我们安排。  Lodging: arranged by us.")

    # SOP 5.2: while a stand-in hosts, the visitors call the stand-in.
    host = visit.acting_host
    pdf.section("接待人 Your host")
    pdf.facts(
        [
            ("姓名 Name", str(host)),
            ("电话 Phone", host.mobile_display),
        ],
        label_width=42,
    )

    if company_address:
        pdf.section("地址 Address")
        pdf.facts(
            [("公司 Company", company_name), ("地址 Address", company_address)], label_width=42
        )

    if visitors:
        pdf.section("来访人员 Visitors")
        pdf.grid(
            ["#", "姓名 Name", "职务 Title"],
            [[str(i), v.name, v.title] for i, v in enumerate(visitors, start=1)],
            (10, 80, 88),
        )
    return pdf.render()
