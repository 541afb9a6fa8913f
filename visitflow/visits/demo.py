"""Demo visits (used by `seed_demo`): the demo company's visits, and bulk load for benchmarks.

Two generators, as for customers (visitflow/core/demo.py):
- `seed_demo_visits()` creates about 25 visits of the demo salespeople through the
  services (visit_create, visitor_add, leg_add, visit_confirm, …), so the steps, their
  due times, the audit trail, return calls and follow-ups are what real use produces.
  Dates are relative to today (Asia/Shanghai), so the demo always looks current: visits
  closed in the past, one departed and awaiting its return call, one in progress since
  this morning, confirmed ones today and tomorrow, drafts next week with something
  missing, one cancelled and one rescheduled. Idempotent: a visit is keyed by its
  customer and its purpose text (unique per demo visit), which — unlike the start time —
  does not move when the seeder runs again on a later day.
- `bulk_visits()` inserts many visits fast for benchmarks, bypassing the services.

The company is in Shenzhen: flights land at 深圳宝安T3, trains at 深圳北.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import F, Max
from django.utils import timezone

from visitflow.accounts.models import Role, User
from visitflow.core.demo import (
    CLOTHES,
    FEMALE_GIVEN,
    FEMALE_HEIGHTS,
    GLASSES,
    MALE_GIVEN,
    MALE_HEIGHTS,
    MALE_LOOKS,
    OTHER_TITLES,
    PRIMARY_TITLES,
    SURNAMES,
    random_mobile,
    random_person,
)
from visitflow.core.models import ActivityLog
from visitflow.customers.models import Contact, Customer, Gender
from visitflow.visits import services
from visitflow.visits.models import (
    FollowUp,
    FollowUpChannel,
    FollowUpState,
    Importance,
    LegDirection,
    PlaybookStep,
    Purpose,
    RequestState,
    StepAnchor,
    StepCondition,
    StepOwnerRule,
    StepState,
    TravelLeg,
    TravelMode,
    Visit,
    Visitor,
    VisitStatus,
    VisitStep,
)

VISIT_SEED = 20240715
BULK_VISIT_SEED = 9_000_000

FLIGHT, TRAIN, CAR = TravelMode.FLIGHT, TravelMode.TRAIN, TravelMode.CAR
AIRPORT, STATION, COMPANY = "深圳宝安T3", "深圳北", "公司"


@dataclass(frozen=True)
class Route:
    """One way to come to Shenzhen from a city, and back."""

    mode: str
    inbound: str  # flight or train number towards Shenzhen
    outbound: str  # and back
    place: str  # airport or station at the customer's end
    minutes: int  # scheduled duration

    @property
    def arrival_place(self) -> str:
        places: dict[str, str] = {FLIGHT: AIRPORT, TRAIN: STATION}
        return places.get(self.mode, COMPANY)


ROUTES: dict[str, list[Route]] = {
    "北京": [
        Route(FLIGHT, "CA1831", "CA1832", "北京首都T3", 215),
        Route(TRAIN, "G79", "G80", "北京西", 500),
        Route(FLIGHT, "CZ3102", "CZ3101", "北京大兴", 210),
    ],
    "上海": [
        Route(FLIGHT, "MU5331", "MU5332", "上海虹桥T2", 155),
        Route(TRAIN, "G1001", "G1002", "上海虹桥站", 470),
    ],
    "杭州": [
        Route(FLIGHT, "ZH9826", "ZH9825", "杭州萧山T3", 140),
        Route(TRAIN, "G1321", "G1322", "杭州东", 420),
    ],
    "南京": [
        Route(FLIGHT, "MU2795", "MU2796", "南京禄口T2", 150),
        Route(TRAIN, "G1521", "G1522", "南京南", 560),
    ],
    "宁波": [
        Route(FLIGHT, "ZH9822", "ZH9821", "宁波栎社T2", 135),
        Route(TRAIN, "G1371", "G1372", "宁波", 480),
    ],
    "温州": [
        Route(FLIGHT, "ZH9876", "ZH9875", "温州龙湾T2", 110),
        Route(TRAIN, "D3111", "D3112", "温州南", 460),
    ],
    "合肥": [Route(FLIGHT, "ZH9862", "ZH9861", "合肥新桥", 145)],
    "青岛": [Route(FLIGHT, "SC4681", "SC4682", "青岛胶东", 200)],
    "济南": [Route(FLIGHT, "SC1175", "SC1176", "济南遥墙", 195)],
    "沈阳": [Route(FLIGHT, "CZ6331", "CZ6332", "沈阳桃仙T3", 270)],
    "大连": [Route(FLIGHT, "CZ6571", "CZ6572", "大连周水子", 255)],
    "西安": [Route(FLIGHT, "ZH9212", "ZH9211", "西安咸阳T3", 170)],
    "郑州": [
        Route(TRAIN, "G71", "G72", "郑州东", 400),
        Route(FLIGHT, "ZH9282", "ZH9281", "郑州新郑T2", 170),
    ],
    "武汉": [
        Route(TRAIN, "G1011", "G1012", "武汉", 270),
        Route(FLIGHT, "CZ3370", "CZ3369", "武汉天河T3", 115),
    ],
    "成都": [Route(FLIGHT, "3U8705", "3U8706", "成都天府T1", 150)],
    "重庆": [Route(FLIGHT, "CZ3456", "CZ3455", "重庆江北T3", 130)],
    "长沙": [Route(TRAIN, "G6117", "G6118", "长沙南", 200)],
    "厦门": [
        Route(TRAIN, "D2315", "D2316", "厦门北", 220),
        Route(FLIGHT, "MF8551", "MF8552", "厦门高崎T3", 80),
    ],
    "广州": [Route(TRAIN, "G6215", "G6216", "广州南", 35)],
}
# Smaller cities travel from the nearest hub.
ROUTE_ALIASES = {
    "苏州": "上海",
    "无锡": "上海",
    "常州": "南京",
    "台州": "温州",
    "天津": "北京",
    "石家庄": "北京",
    "保定": "北京",
    "唐山": "北京",
    "泉州": "厦门",
}
# Close enough to come by their own car.
DRIVING_MINUTES = {"深圳": 40, "东莞": 60, "佛山": 100, "中山": 90, "广州": 110}


def route_for(city: str, prefer: str) -> Route:
    """How someone from `city` comes: the preferred mode when there is one."""
    if city in DRIVING_MINUTES and (prefer == CAR or city not in ROUTES):
        return Route(CAR, "", "", city, DRIVING_MINUTES[city])
    options = ROUTES.get(ROUTE_ALIASES.get(city, city)) or ROUTES["上海"]
    return next((r for r in options if r.mode == prefer), options[0])


# --- The demo visits -------------------------------------------------------------------

CLOSED, DEPARTED, ARRIVED = "closed", "departed", "in_progress"
CONFIRMED, DRAFT, CANCELLED, RESCHEDULED = "confirmed", "draft", "cancelled", "rescheduled"


@dataclass(frozen=True)
class Feedback:
    product_rating: int
    product_feedback: str
    image_rating: int
    image_feedback: str
    suggestions: str = ""


@dataclass(frozen=True)
class DemoRequest:
    title: str
    details: str
    due_in_days: int  # from the visit's last day
    done: str = ""  # the outcome when done; open when empty


@dataclass(frozen=True)
class DemoVisit:
    host: str  # username; the customer is the host's n-th demo customer
    customer_index: int
    purpose_notes: str  # unique: the natural key, with the customer
    state: str
    day: int  # arrival, in days from today
    arrive: time  # local arrival of the inbound leg (the visit's start)
    leave: time  # local departure of the outbound leg (the visit's end)
    nights: int = 0
    by: str = FLIGHT
    purposes: tuple[str, ...] = (Purpose.INSPECTION,)
    importance: str = Importance.NORMAL
    pickup: bool = True
    lodging: bool = False
    visitors: int = 2
    requests: tuple[DemoRequest, ...] = ()
    feedback: Feedback | None = None
    follow_up: str = ""  # notes of the follow-up logged after closing
    follow_up_next_in_days: int | None = None  # next follow-up date, from today
    missing: str = ""  # drafts: "inbound", "visitors" or "features"
    cancel_reason: str = ""
    moved_from_days: int = 0  # rescheduled: the original arrival, days from today
    reschedule_reason: str = ""
    skip_leader: str = ""  # reason the leader meeting was skipped


T = time
SAMPLES = DemoRequest(
    "寄送样品", "按会上确认的规格寄送3套样品，附检测报告。", 5, "顺丰已寄出，客户已签收。"
)
QUOTE = DemoRequest(
    "报价单", "按年用量阶梯报价，含税含运费，报价有效期30天。", 3, "报价单已邮件发送。"
)
TECH = DemoRequest("技术资料", "提供产品规格书、RoHS/REACH检测报告和工艺流程图。", 4)
QUOTE_OPEN = DemoRequest("报价单", "客户要求两周内给出年度框架协议报价。", 2)
SAMPLES_OPEN = DemoRequest("寄送样品", "寄送新款样品2套，客户要做装机测试。", 6)
AUDIT_DOCS = DemoRequest("验厂整改报告", "针对验厂发现的两项问题提交整改报告和照片。", 10)

DEMO_VISITS: list[DemoVisit] = [
    # 张磊 (sales_east1): a full "My day" — in progress, arriving today, tomorrow, a return
    # call due, a follow-up due, a draft with something missing.
    DemoVisit(
        "sales_east1", 0, "考察新产线，洽谈年度框架协议", CLOSED, -40, T(11, 35), T(17, 30), 1,
        purposes=(Purpose.INSPECTION, Purpose.NEGOTIATION), importance=Importance.IMPORTANT,
        lodging=True, visitors=2, requests=(SAMPLES, QUOTE),
        feedback=Feedback(5, "对新产线的自动化程度很满意，样品质量稳定。", 4,
                          "接待周到，车辆准时；会议室投影有点问题。", "希望交期再缩短一周。"),
        follow_up="微信沟通：客户已收到样品，下月安排小批量试产。",
        follow_up_next_in_days=1,
    ),
    DemoVisit(
        "sales_east1", 1, "技术交流：新型号样品评审", CLOSED, -12, T(13, 5), T(18, 10), 0,
        by=TRAIN, purposes=(Purpose.TECHNICAL,), visitors=3, requests=(TECH, SAMPLES),
        feedback=Feedback(4, "新型号参数达标，散热方案还需验证。", 5,
                          "工程师讲解专业，参观流程安排得很好。"),
    ),
    DemoVisit(
        "sales_east1", 2, "商务洽谈：二季度订单价格", DEPARTED, -3, T(10, 40), T(16, 20), 2,
        purposes=(Purpose.NEGOTIATION,), lodging=True, visitors=2, requests=(QUOTE_OPEN,),
    ),
    DemoVisit(
        "sales_east1", 3, "验厂：年度供应商审核", ARRIVED, 0, T(9, 40), T(17, 0), 1,
        purposes=(Purpose.FACTORY_AUDIT,), importance=Importance.IMPORTANT, lodging=True,
        visitors=3, requests=(AUDIT_DOCS,),
    ),
    DemoVisit(
        "sales_east1", 4, "签约：年度采购框架协议", CONFIRMED, 0, T(15, 20), T(18, 30), 1,
        purposes=(Purpose.SIGNING, Purpose.NEGOTIATION), importance=Importance.CRITICAL,
        lodging=True, visitors=3,
    ),
    DemoVisit(
        "sales_east1", 5, "考察工厂，了解新能源产品线", CONFIRMED, 1, T(10, 30), T(19, 0), 0,
        by=TRAIN, purposes=(Purpose.INSPECTION, Purpose.TECHNICAL), visitors=2,
    ),
    DemoVisit(
        "sales_east1", 6, "初次到访，了解公司实力", DRAFT, 6, T(14, 0), T(17, 0), 1,
        purposes=(Purpose.INSPECTION,), visitors=2, missing="inbound",
    ),
    DemoVisit(
        "sales_east1", 7, "技术交流：产品认证资料", CONFIRMED, 5, T(11, 0), T(17, 40), 0,
        purposes=(Purpose.TECHNICAL,), visitors=1, moved_from_days=2,
        reschedule_reason="客户临时要参加展会，到访推迟三天。",
    ),
    DemoVisit(
        "sales_east1", 1, "商务洽谈：三季度备货计划", CANCELLED, 9, T(10, 0), T(16, 0), 0,
        purposes=(Purpose.NEGOTIATION,), visitors=1,
        cancel_reason="客户内部预算冻结，改为线上视频会议。",
    ),
    # 刘婷 (sales_east2)
    DemoVisit(
        "sales_east2", 0, "考察生产线与品质管控", CLOSED, -25, T(12, 10), T(16, 30), 1,
        purposes=(Purpose.INSPECTION,), lodging=True, visitors=2, requests=(SAMPLES,),
        feedback=Feedback(3, "价格偏高，品质认可。", 4, "厂区整洁，午餐安排很好。",
                          "希望提供更灵活的付款方式。"),
        follow_up="电话沟通：客户对比了两家报价，下周给答复。",
    ),
    DemoVisit(
        "sales_east2", 1, "年度合作回顾", CLOSED, -70, T(9, 50), T(17, 0), 0, by=TRAIN,
        purposes=(Purpose.NEGOTIATION,), visitors=1,
        feedback=Feedback(5, "全年交付零投诉。", 5, "非常专业，感谢热情接待。"),
        follow_up="拜访客户，确认明年采购计划增长约20%。",
    ),
    DemoVisit(
        "sales_east2", 2, "技术交流：定制方案讨论", CONFIRMED, 1, T(13, 45), T(18, 0), 0,
        purposes=(Purpose.TECHNICAL,), visitors=2,
    ),
    DemoVisit(
        "sales_east2", 3, "考察工厂，评估新供应商", DRAFT, 8, T(10, 0), T(16, 0), 0,
        purposes=(Purpose.INSPECTION,), visitors=2, missing="features",
    ),
    DemoVisit(
        "sales_east2", 4, "商务洽谈：新品代理", CANCELLED, 3, T(14, 0), T(17, 0), 0,
        purposes=(Purpose.NEGOTIATION,), visitors=1, cancel_reason="客户总经理临时出差，另约时间。",
    ),
    # 林晓燕 (sales_south1): customers close by come by car.
    DemoVisit(
        "sales_south1", 0, "验厂：质量体系审核", CLOSED, -18, T(9, 0), T(17, 30), 0, by=CAR,
        purposes=(Purpose.FACTORY_AUDIT,), importance=Importance.IMPORTANT, pickup=False,
        visitors=2, requests=(AUDIT_DOCS,),
        feedback=Feedback(4, "质量体系完善，来料检验记录齐全。", 4, "接待人员专业、准时。"),
        skip_leader="总经理在外地参加行业会议，由副总接见。",
    ),
    DemoVisit(
        "sales_south1", 1, "商务洽谈：年度价格调整", DEPARTED, -2, T(10, 0), T(16, 0), 0,
        by=CAR, purposes=(Purpose.NEGOTIATION,), pickup=False, visitors=2,
        requests=(QUOTE_OPEN, SAMPLES_OPEN),
    ),
    DemoVisit(
        "sales_south1", 2, "技术交流：新工艺导入", ARRIVED, 0, T(9, 15), T(16, 30), 0, by=CAR,
        purposes=(Purpose.TECHNICAL,), pickup=False, visitors=2,
    ),
    DemoVisit(
        "sales_south1", 3, "考察工厂，洽谈代工合作", CONFIRMED, 2, T(11, 20), T(17, 45), 1,
        purposes=(Purpose.INSPECTION, Purpose.NEGOTIATION), lodging=True, visitors=2,
    ),
    DemoVisit(
        "sales_south1", 4, "参观展厅，了解新品", DRAFT, 7, T(14, 30), T(18, 0), 0,
        purposes=(Purpose.INSPECTION,), visitors=0, missing="visitors",
    ),
    # 孙浩 (sales_north1): the long trips from the north.
    DemoVisit(
        "sales_north1", 0, "考察工厂，洽谈北方区域代理", CLOSED, -30, T(18, 38), T(17, 0), 2,
        by=TRAIN, purposes=(Purpose.INSPECTION, Purpose.NEGOTIATION), lodging=True,
        visitors=2, requests=(QUOTE,),
        feedback=Feedback(4, "产品线齐全，部分型号价格有竞争力。", 5,
                          "从接站到送站都很贴心，酒店离工厂很近。"),
        follow_up="电话回访后寄送了代理政策，客户在内部评估。",
    ),
    DemoVisit(
        "sales_north1", 1, "签约：三年供货协议", CLOSED, -5, T(11, 35), T(17, 50), 1,
        purposes=(Purpose.SIGNING,), importance=Importance.CRITICAL, lodging=True, visitors=3,
        requests=(SAMPLES,),
        feedback=Feedback(5, "合同条款清晰，对产品很有信心。", 5, "签约仪式隆重，非常感谢。"),
    ),
    DemoVisit(
        "sales_north1", 2, "技术交流：设备选型", CONFIRMED, 1, T(11, 35), T(18, 0), 1,
        purposes=(Purpose.TECHNICAL,), lodging=True, visitors=2,
    ),
    DemoVisit(
        "sales_north1", 3, "考察工厂，初步合作洽谈", DRAFT, 10, T(11, 35), T(17, 0), 1,
        purposes=(Purpose.INSPECTION,), visitors=1, moved_from_days=4,
        reschedule_reason="客户航班取消，改期一周。",
    ),
    # The managers keep the key accounts.
    DemoVisit(
        "manager_east", 0, "签约：战略合作协议", CLOSED, -60, T(11, 35), T(17, 30), 1,
        purposes=(Purpose.SIGNING, Purpose.INSPECTION), importance=Importance.CRITICAL,
        lodging=True, visitors=3,
        feedback=Feedback(5, "产品和服务都超出预期。", 5, "王总亲自接见，很受重视。",
                          "希望每季度做一次技术交流。"),
        follow_up="季度拜访：确认下季度订单。",
    ),
    DemoVisit(
        "manager_south", 0, "验厂：客户审核新生产基地", CONFIRMED, 4, T(10, 0), T(17, 0), 0,
        by=CAR, purposes=(Purpose.FACTORY_AUDIT,), importance=Importance.IMPORTANT,
        pickup=False, visitors=3,
    ),
    DemoVisit(
        "manager_north", 0, "年度合作回顾与新品推介", CLOSED, -100, T(11, 35), T(17, 0), 1,
        purposes=(Purpose.NEGOTIATION, Purpose.TECHNICAL), lodging=True, visitors=2,
        feedback=Feedback(4, "新品推介有吸引力。", 4, "安排妥当。"),
        follow_up="邮件发送新品目录和价格表。",
    ),
]  # fmt: skip


@dataclass
class VisitSummary:
    visits_created: int = 0
    skipped: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def _at(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def _schedule(spec: DemoVisit, route: Route, day: date) -> tuple[datetime, datetime]:
    starts = _at(day, spec.arrive)
    ends = _at(day + timedelta(days=spec.nights), spec.leave)
    if ends <= starts:
        ends = starts + timedelta(hours=5)
    return starts, ends


def _add_party(
    spec: DemoVisit, visit: Visit, customer: Customer, actor: User, rng: random.Random
) -> None:
    contacts = list(Contact.objects.filter(customer=customer).order_by("-is_primary", "pk"))
    domain = "example.com"
    for i in range(spec.visitors):
        if i < len(contacts):
            services.visitor_add(actor=actor, visit=visit, contact=contacts[i])
            continue
        person = random_person(rng, domain, primary=False)
        fields: dict[str, Any] = {
            k: person[k] for k in ("name", "gender", "title", "mobile", "features")
        }
        if spec.missing == "features":
            fields["features"] = ""
        services.visitor_add(actor=actor, visit=visit, **fields)
    if spec.missing == "features" and spec.visitors and len(contacts) >= spec.visitors:
        # Every visitor came from a contact: take the description off the last one.
        last = visit.visitors.order_by("-position").first()
        if last is not None:
            services.visitor_update(actor=actor, visitor=last, data={"features": ""})


def _add_legs(spec: DemoVisit, visit: Visit, route: Route, actor: User) -> None:
    if spec.missing == "inbound":
        return
    if route.mode == CAR:
        # Coming by their own car: nobody to meet at a station, no legs worth recording.
        return
    late = timedelta(minutes=12)
    services.leg_add(
        actor=actor,
        visit=visit,
        direction=LegDirection.INBOUND,
        mode=route.mode,
        number=route.inbound,
        from_place=route.place,
        to_place=route.arrival_place,
        departs_at=visit.starts_at - timedelta(minutes=route.minutes),
        arrives_at=visit.starts_at,
        actual_arrival=visit.starts_at + late if visit.starts_at < timezone.now() else None,
    )
    services.leg_add(
        actor=actor,
        visit=visit,
        direction=LegDirection.OUTBOUND,
        mode=route.mode,
        number=route.outbound,
        from_place=route.arrival_place,
        to_place=route.place,
        departs_at=visit.ends_at,
        arrives_at=visit.ends_at + timedelta(minutes=route.minutes),
    )


def _complete_steps_due(visit: Visit, actor: User, *, before: datetime, skip_leader: str) -> None:
    """Tick the steps (and their checklists) that were due before `before`, as done then."""
    steps = visit.steps.filter(state=StepState.PENDING, due_at__lt=before).select_related(
        "playbook_step", "visit"
    )
    for step in steps:
        if skip_leader and step.playbook_step.code == "leader_meeting":
            services.step_skip(actor=actor, step=step, reason=skip_leader)
            continue
        for item in step.items.all():
            services.step_item_toggle(actor=actor, item=item, done=True)
        services.step_complete(actor=actor, step=step)
    # The services stamp "now"; the demo backdates the work to when it was due.
    now = timezone.now()
    done = visit.steps.filter(state__in=[StepState.DONE, StepState.SKIPPED], due_at__lt=now)
    done.update(done_at=F("due_at"))
    for step in done:
        step.items.filter(is_done=True).update(done_at=step.due_at)


def _finish(spec: DemoVisit, visit: Visit, actor: User) -> None:
    now = timezone.now()
    last_day = timezone.localdate(visit.ends_at)
    for req in spec.requests:
        request = services.request_create(
            actor=actor,
            visit=visit,
            title=req.title,
            details=req.details,
            due_date=last_day + timedelta(days=req.due_in_days),
        )
        if req.done and spec.state == CLOSED:
            services.request_set_state(
                actor=actor, request=request, state=RequestState.DONE, resolution=req.done
            )
    # Everything up to the see-off is done; for a departed visit the return call is due.
    services.visit_mark_departed(actor=actor, visit=visit)
    if spec.state != CLOSED:
        return
    call_step = visit.steps.filter(playbook_step__code="return_call").first()
    made_at = call_step.due_at if call_step and call_step.due_at else visit.ends_at
    if spec.feedback is not None:
        fb = spec.feedback
        services.return_call_record(
            actor=actor,
            visit=visit,
            reached=True,
            product_rating=fb.product_rating,
            product_feedback=fb.product_feedback,
            image_rating=fb.image_rating,
            image_feedback=fb.image_feedback,
            suggestions=fb.suggestions,
            made_at=min(made_at, now),
        )
    _complete_steps_due(visit, actor, before=now, skip_leader=spec.skip_leader)
    VisitStep.objects.filter(visit=visit, playbook_step__code="return_call").update(
        done_at=min(made_at, now)
    )
    services.visit_close(actor=actor, visit=visit)
    follow_up = FollowUp.objects.filter(customer=visit.customer, state=FollowUpState.OPEN).first()
    if spec.follow_up and follow_up is not None:
        next_date = (
            timezone.localdate() + timedelta(days=spec.follow_up_next_in_days)
            if spec.follow_up_next_in_days
            else None
        )
        services.follow_up_log(
            actor=actor,
            follow_up=follow_up,
            channel=FollowUpChannel.WECHAT if "微信" in spec.follow_up else FollowUpChannel.PHONE,
            notes=spec.follow_up,
            next_date=next_date,
        )


def _create_visit(spec: DemoVisit, customer: Customer, actor: User, rng: random.Random) -> Visit:
    today = timezone.localdate()
    route = route_for(customer.city, spec.by)
    pickup = spec.pickup and route.mode != CAR
    day = today + timedelta(days=spec.moved_from_days or spec.day)
    starts, ends = _schedule(spec, route, day)
    visit = services.visit_create(
        actor=actor,
        customer=customer,
        starts_at=starts,
        ends_at=ends,
        purposes=list(spec.purposes),
        purpose_notes=spec.purpose_notes,
        importance=spec.importance,
        wants_pickup=pickup,
        wants_dropoff=pickup,
        wants_lodging=spec.lodging,
        notes="自驾前来。" if route.mode == CAR else "",
    )
    if spec.moved_from_days:
        new_starts, new_ends = _schedule(spec, route, today + timedelta(days=spec.day))
        visit = services.visit_update(
            actor=actor,
            visit=visit,
            data={"starts_at": new_starts, "ends_at": new_ends},
            reschedule_reason=spec.reschedule_reason,
        )
    _add_party(spec, visit, customer, actor, rng)
    _add_legs(spec, visit, route, actor)
    visit.refresh_from_db()
    if spec.state in (DRAFT, CANCELLED) and not spec.cancel_reason:
        return visit
    if spec.state == CANCELLED:
        services.visit_cancel(actor=actor, visit=visit, reason=spec.cancel_reason)
        return visit
    services.visit_confirm(actor=actor, visit=visit)
    now = timezone.now()
    # Whatever was due before now for an upcoming visit (the briefing) is done.
    _complete_steps_due(
        visit, actor, before=min(now, visit.starts_at - timedelta(hours=3)), skip_leader=""
    )
    if spec.state in (CONFIRMED, RESCHEDULED):
        return visit
    inbound = visit.legs.filter(direction=LegDirection.INBOUND).first()
    services.visit_mark_arrived(
        actor=actor,
        visit=visit,
        at=inbound.actual_arrival if inbound and inbound.actual_arrival else visit.starts_at,
    )
    _complete_steps_due(visit, actor, before=min(now, visit.ends_at), skip_leader=spec.skip_leader)
    if spec.state == ARRIVED:
        for req in spec.requests:
            services.request_create(
                actor=actor,
                visit=visit,
                title=req.title,
                details=req.details,
                due_date=timezone.localdate(visit.ends_at) + timedelta(days=req.due_in_days),
            )
        return visit
    _finish(spec, visit, actor)
    return visit


def seed_demo_visits() -> VisitSummary:
    """Create (or complete) the demo visits. A second run creates nothing."""
    summary = VisitSummary()
    users = {u.username: u for u in User.objects.filter(username__in={s.host for s in DEMO_VISITS})}
    for n, spec in enumerate(DEMO_VISITS):
        host = users.get(spec.host)
        if host is None:
            summary.skipped += 1
            continue
        customers = list(Customer.objects.filter(owner=host, is_active=True).order_by("pk")[:20])
        if not customers:
            summary.skipped += 1
            continue
        customer = customers[spec.customer_index % len(customers)]
        if Visit.objects.filter(customer=customer, purpose_notes=spec.purpose_notes).exists():
            continue
        rng = random.Random(VISIT_SEED + n)  # noqa: S311 - reproducible demo data
        with transaction.atomic():
            visit = _create_visit(spec, customer, host, rng)
        summary.visits_created += 1
        summary.by_status[visit.status] = summary.by_status.get(visit.status, 0) + 1
    return summary


# --- Benchmark data -------------------------------------------------------------------


@dataclass
class BulkVisitSummary:
    visits: int = 0
    steps: int = 0
    visitors: int = 0
    legs: int = 0


BULK_PURPOSES = [p.value for p in Purpose if p != Purpose.OTHER]
BULK_NOTES = ("", "", "考察工厂", "洽谈年度价格", "技术交流", "验厂", "新品推介", "签约")
BULK_ROUTES = [r for routes in ROUTES.values() for r in routes]


VISIT_COLUMNS = (
    "id", "created", "updated", "customer_id", "host_id", "status", "purposes",
    "purpose_notes", "importance", "starts_at", "ends_at", "wants_pickup", "wants_dropoff",
    "wants_lodging", "party_size", "notes", "cancel_reason", "outcome", "outcome_note",
)  # fmt: skip
VISITOR_COLUMNS = (
    "created", "updated", "visit_id", "name", "gender", "title", "mobile", "features",
    "position",
)  # fmt: skip
LEG_COLUMNS = (
    "created", "updated", "visit_id", "direction", "mode", "number", "from_place",
    "to_place", "departs_at", "arrives_at", "actual_arrival",
)  # fmt: skip
STEP_COLUMNS = (
    "created", "updated", "visit_id", "playbook_step_id", "position", "state", "owner_id",
    "due_at", "done_at", "done_by_id", "skip_reason",
)  # fmt: skip


def _datetime_adapter() -> Callable[[datetime], object]:
    """Aware datetimes as the backend stores them: PostgreSQL takes them as they are;
    SQLite wants naive UTC text, which Django's own adapter makes several times slower."""
    if connection.vendor != "sqlite":
        return lambda value: value
    return lambda value: value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


def _insert_rows(model: type[models.Model], columns: tuple[str, ...], rows: list[tuple]) -> None:
    """One parameterised INSERT run for many rows (executemany): several times faster
    than bulk_create for millions of rows, which builds a model instance per row and,
    on SQLite, splits the insert into statements of ~80 rows."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    # Table and column names come from the model and the constants above, never from input.
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _bulk_visitor(rng: random.Random, position: int) -> tuple[str, str, str, str, str]:
    male = rng.random() < 0.7
    name = rng.choice(SURNAMES)[0] + "".join(
        rng.choice(MALE_GIVEN if male else FEMALE_GIVEN)[0] for _ in range(rng.choice((1, 2)))
    )
    features = "，".join(
        (
            rng.choice(GLASSES),
            rng.choice(MALE_HEIGHTS if male else FEMALE_HEIGHTS),
            rng.choice(MALE_LOOKS) if male else "长发",
            rng.choice(CLOTHES),
        )
    )
    return (
        name,
        Gender.MALE.value if male else Gender.FEMALE.value,
        rng.choice(PRIMARY_TITLES if position == 1 else OTHER_TITLES),
        random_mobile(rng),
        features,
    )


def _bulk_status(rng: random.Random, starts: datetime, ends: datetime, now: datetime) -> str:
    """A state consistent with the dates."""
    roll = rng.random()
    if ends < now:
        if roll < 0.04:
            return VisitStatus.CANCELLED
        if ends > now - timedelta(days=10) and roll < 0.5:
            return VisitStatus.DEPARTED
        return VisitStatus.CLOSED
    if starts <= now:
        return VisitStatus.IN_PROGRESS
    if roll < 0.05:
        return VisitStatus.CANCELLED
    if starts < now + timedelta(days=14):
        return VisitStatus.CONFIRMED if roll < 0.85 else VisitStatus.DRAFT
    return VisitStatus.CONFIRMED if roll < 0.5 else VisitStatus.DRAFT


ARRIVED_STATES = frozenset({VisitStatus.IN_PROGRESS, VisitStatus.DEPARTED, VisitStatus.CLOSED})


def _bulk_step_state(status: str, due: datetime, ends: datetime, now: datetime) -> str:
    done, pending = StepState.DONE.value, StepState.PENDING.value
    if status == VisitStatus.CLOSED:
        return done
    if status == VisitStatus.DEPARTED:
        return done if due <= ends else pending
    if status in (VisitStatus.IN_PROGRESS, VisitStatus.CONFIRMED):
        return done if due < now else pending
    return pending


def bulk_visits(
    count: int,
    *,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> BulkVisitSummary:
    """Insert `count` visits for benchmarks, spread over two years back and three months
    ahead, with their ten steps, one to three visitors and (mostly) two travel legs.

    Deliberately bypasses the services (no validation, no audit rows, no checklist items,
    requests, return calls or follow-ups): a service call per visit makes ~60 queries and
    would take hours for 200,000; this is load data for the pages, not a story. Steps
    carry due times from the playbook's anchors and offsets and states consistent with
    the visit's dates, so "My day" and the calendar feed see realistic pending work.
    Visits go to the benchmark customers (those without an audit trail, i.e. not made
    through the services) and their owners host them.
    """
    summary = BulkVisitSummary()
    audited = ActivityLog.objects.filter(customer__isnull=False).values("customer_id")
    customers = list(
        Customer.objects.filter(is_active=True)
        .exclude(pk__in=audited)
        .values_list("pk", "owner_id", "city")
    )
    if not customers:
        customers = list(
            Customer.objects.filter(is_active=True).values_list("pk", "owner_id", "city")
        )
    if not customers:
        return summary
    managers = {
        u.pk: (u.team.manager_id if u.team and u.team.manager_id != u.pk else None)
        for u in User.objects.filter(role__in=[Role.SALES, Role.SALES_MANAGER]).select_related(
            "team"
        )
    }
    templates = list(PlaybookStep.objects.filter(is_active=True).order_by("position", "id"))
    rng = random.Random(BULK_VISIT_SEED + Visit.objects.count())  # noqa: S311 - load data
    tz = timezone.get_current_timezone()
    now = timezone.now()
    adapt = _datetime_adapter()
    purposes_field = Visit._meta.get_field("purposes")
    next_id = (Visit.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    today = timezone.localdate()
    first_day, span = today - timedelta(days=730), 730 + 90
    remaining = count
    while remaining > 0:
        size = min(batch_size, remaining)
        remaining -= size
        visits: list[Visit] = []
        plans: list[Route | None] = []
        for _ in range(size):
            pk, owner_id, _city = customers[rng.randrange(len(customers))]
            day = first_day + timedelta(days=rng.randrange(span))
            starts = datetime.combine(day, time(rng.randrange(8, 17), rng.choice((0, 15, 30, 45))))
            starts = starts.replace(tzinfo=tz)
            nights = rng.choice((0, 0, 1, 1, 1, 2, 3))
            if nights:
                ends = datetime.combine(
                    day + timedelta(days=nights), time(rng.randrange(14, 20), 30)
                ).replace(tzinfo=tz)
            else:
                ends = starts + timedelta(hours=rng.randrange(3, 7))
            roll = rng.random()
            route = rng.choice(BULK_ROUTES) if roll < 0.8 else None
            pickup = route is not None and rng.random() < 0.8
            visits.append(
                Visit(
                    pk=next_id + len(visits),
                    customer_id=pk,
                    host_id=owner_id,
                    status=_bulk_status(rng, starts, ends, now),
                    purposes=rng.sample(BULK_PURPOSES, rng.choice((1, 1, 2))),
                    purpose_notes=rng.choice(BULK_NOTES),
                    importance=rng.choices(Importance.values, weights=(8, 3, 1))[0],
                    starts_at=starts,
                    ends_at=ends,
                    wants_pickup=pickup,
                    wants_dropoff=pickup,
                    wants_lodging=nights > 0,
                    party_size=rng.choice((1, 1, 2, 2, 2, 3)),
                )
            )
            plans.append(route)
        with transaction.atomic():
            stamp = adapt(now)
            # Ids are given, not returned: one executemany instead of bulk_create.
            _insert_rows(
                Visit,
                VISIT_COLUMNS,
                [
                    (
                        v.pk, stamp, stamp, v.customer_id, v.host_id, v.status,
                        purposes_field.get_db_prep_save(v.purposes, connection),
                        v.purpose_notes, v.importance, adapt(v.starts_at), adapt(v.ends_at),
                        v.wants_pickup, v.wants_dropoff, v.wants_lodging, v.party_size, "", "",
                        "", "",
                    )
                    for v in visits
                ],
            )  # fmt: skip
            next_id += len(visits)
            legs: list[tuple] = []
            visitors: list[tuple] = []
            steps: list[tuple] = []
            for visit, route in zip(visits, plans, strict=True):
                for position in range(1, visit.party_size + 1):
                    visitors.append(
                        (stamp, stamp, visit.pk, *_bulk_visitor(rng, position), position)
                    )
                starts, ends = visit.starts_at, visit.ends_at
                if route is not None:
                    trip = timedelta(minutes=route.minutes)
                    arrived = visit.status in ARRIVED_STATES
                    late = timedelta(minutes=rng.choice((0, 5, 10, 25)))
                    legs.append(
                        (
                            stamp, stamp, visit.pk, LegDirection.INBOUND.value, route.mode,
                            route.inbound, route.place, route.arrival_place,
                            adapt(starts - trip), adapt(starts),
                            adapt(starts + late) if arrived else None,
                        )
                    )  # fmt: skip
                    legs.append(
                        (
                            stamp, stamp, visit.pk, LegDirection.OUTBOUND.value, route.mode,
                            route.outbound, route.arrival_place, route.place,
                            adapt(ends), adapt(ends + trip), None,
                        )
                    )  # fmt: skip
                    home = ends + trip
                else:
                    next_day = ends.astimezone(tz).date() + timedelta(days=1)
                    home = datetime.combine(next_day, time(10)).replace(tzinfo=tz)
                anchors: dict[str, datetime] = {
                    StepAnchor.ARRIVAL: starts,
                    StepAnchor.DEPARTURE: ends,
                    StepAnchor.HOME: home,
                    StepAnchor.VISIT_CREATED: starts - timedelta(days=14),
                }
                applies: dict[str, bool] = {
                    StepCondition.ALWAYS: True,
                    StepCondition.PICKUP: visit.wants_pickup,
                    StepCondition.DROPOFF: visit.wants_dropoff,
                    StepCondition.LODGING: visit.wants_lodging,
                }
                for template in templates:
                    due = anchors.get(template.anchor, starts) + timedelta(
                        minutes=template.offset_minutes
                    )
                    owner_id = visit.host_id
                    if template.owner_rule == StepOwnerRule.HOST_MANAGER:
                        owner_id = managers.get(visit.host_id) or visit.host_id
                    if applies.get(template.condition, True):
                        state = _bulk_step_state(visit.status, due, ends, now)
                    else:
                        state = StepState.NOT_NEEDED.value
                    done = state == StepState.DONE
                    steps.append(
                        (
                            stamp, stamp, visit.pk, template.pk, template.position, state,
                            owner_id, adapt(due), adapt(min(due, now)) if done else None,
                            owner_id if done else None, "",
                        )
                    )  # fmt: skip
            _insert_rows(Visitor, VISITOR_COLUMNS, visitors)
            _insert_rows(TravelLeg, LEG_COLUMNS, legs)
            _insert_rows(VisitStep, STEP_COLUMNS, steps)
        summary.visits += len(visits)
        # The ids were given explicitly: move PostgreSQL's sequence past them.
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [Visit]):
                cursor.execute(statement)
        summary.visitors += len(visitors)
        summary.legs += len(legs)
        summary.steps += len(steps)
        if progress:
            progress(summary.visits)
    return summary
