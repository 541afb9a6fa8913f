"""Demo data: a believable sales organisation and its customers (used by `seed_demo`).

Two generators:
- `seed_demo_org()` builds the people, teams and 60 hand-sized customers through the
  services, so groups, validation and the audit history are what real use produces.
  Fixed seeds and natural keys (username, team name, customer name) make it idempotent.
- `bulk_customers()` makes many customers fast for benchmarks, bypassing the services.

Everything here is invented: company names are composed from common word parts, phone
numbers are random but valid, and e-mail addresses live under example.com.
"""

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import transaction

from visitflow.accounts.models import Role, Team, User
from visitflow.accounts.services import team_create, user_create
from visitflow.customers.models import Contact, Customer, CustomerLevel, CustomerSource, Gender
from visitflow.customers.services import contact_create, customer_create

DEMO_PASSWORD = "demo12345"  # noqa: S105 - documented demo password, never a real account
DEMO_CUSTOMER_COUNT = 60
ORG_SEED = 20240601
BULK_SEED = 7_000_000
EMAIL_DOMAIN = "example.com"

EAST, SOUTH, NORTH = "east", "south", "north"
TEAMS = {EAST: "华东销售部", SOUTH: "华南销售部", NORTH: "华北销售部"}


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: str
    mobile: str
    team: str = ""  # key of TEAMS
    manages: str = ""  # key of TEAMS this user manages


DEMO_USERS = [
    DemoUser("admin", "系统管理员", Role.ADMIN, "13901010001"),
    DemoUser("gm", "王总", Role.GENERAL_MANAGER, "13801880002"),
    DemoUser("director", "李总监", Role.DIRECTOR, "13917260003"),
    DemoUser("manager_east", "陈志强", Role.SALES_MANAGER, "13812345601", EAST, EAST),
    DemoUser("manager_south", "黄伟明", Role.SALES_MANAGER, "13723456702", SOUTH, SOUTH),
    DemoUser("manager_north", "赵海峰", Role.SALES_MANAGER, "13611223303", NORTH, NORTH),
    DemoUser("sales_east1", "张磊", Role.SALES, "15861234504", EAST),
    DemoUser("sales_east2", "刘婷", Role.SALES, "18912345605", EAST),
    DemoUser("sales_south1", "林晓燕", Role.SALES, "13798765406", SOUTH),
    DemoUser("sales_north1", "孙浩", Role.SALES, "18611112207", NORTH),
    DemoUser("reception", "周静", Role.RECEPTION, "15012345608"),
    DemoUser("driver", "吴师傅", Role.DRIVER, "13534567809"),
    DemoUser("finance", "郑丽华", Role.FINANCE, "13656781210"),
]


@dataclass(frozen=True)
class City:
    region: str  # province, or the city itself for the four municipalities
    name: str
    team: str
    districts: tuple[str, ...]

    @property
    def is_municipality(self) -> bool:
        return self.region == self.name


CITIES = [
    City("上海", "上海", EAST, ("浦东新区", "闵行区", "嘉定区", "松江区", "青浦区")),
    City("江苏", "苏州", EAST, ("工业园区", "吴中区", "相城区", "高新区", "吴江区")),
    City("江苏", "无锡", EAST, ("新吴区", "滨湖区", "惠山区", "锡山区")),
    City("江苏", "南京", EAST, ("江宁区", "浦口区", "栖霞区")),
    City("江苏", "常州", EAST, ("武进区", "新北区", "天宁区")),
    City("浙江", "宁波", EAST, ("北仑区", "鄞州区", "镇海区", "慈溪市", "余姚市")),
    City("浙江", "杭州", EAST, ("萧山区", "余杭区", "滨江区", "钱塘区")),
    City("浙江", "温州", EAST, ("瓯海区", "龙湾区", "乐清市", "瑞安市")),
    City("浙江", "台州", EAST, ("路桥区", "黄岩区", "温岭市")),
    City("安徽", "合肥", EAST, ("蜀山区", "包河区", "肥西县")),
    City("山东", "青岛", EAST, ("黄岛区", "城阳区", "即墨区")),
    City("广东", "深圳", SOUTH, ("宝安区", "龙岗区", "南山区", "龙华区", "光明区")),
    City("广东", "东莞", SOUTH, ("长安镇", "虎门镇", "松山湖", "塘厦镇")),
    City("广东", "佛山", SOUTH, ("顺德区", "南海区", "禅城区")),
    City("广东", "广州", SOUTH, ("番禺区", "黄埔区", "白云区", "花都区")),
    City("广东", "中山", SOUTH, ("火炬开发区", "小榄镇", "古镇镇")),
    City("福建", "厦门", SOUTH, ("集美区", "海沧区", "同安区")),
    City("福建", "泉州", SOUTH, ("晋江市", "石狮市", "南安市")),
    City("湖南", "长沙", SOUTH, ("雨花区", "岳麓区", "长沙县")),
    City("四川", "成都", SOUTH, ("高新区", "龙泉驿区", "双流区", "新都区")),
    City("重庆", "重庆", SOUTH, ("两江新区", "九龙坡区", "璧山区")),
    City("北京", "北京", NORTH, ("大兴区", "顺义区", "海淀区", "昌平区")),
    City("天津", "天津", NORTH, ("滨海新区", "西青区", "武清区")),
    City("河北", "石家庄", NORTH, ("裕华区", "高新区", "栾城区")),
    City("河北", "保定", NORTH, ("竞秀区", "莲池区")),
    City("河北", "唐山", NORTH, ("路北区", "丰润区")),
    City("辽宁", "沈阳", NORTH, ("铁西区", "浑南区", "于洪区")),
    City("辽宁", "大连", NORTH, ("甘井子区", "金州区")),
    City("山东", "济南", NORTH, ("历城区", "章丘区", "槐荫区")),
    City("河南", "郑州", NORTH, ("管城区", "中牟县", "金水区")),
    City("陕西", "西安", NORTH, ("高新区", "未央区", "长安区")),
    City("湖北", "武汉", NORTH, ("东湖高新区", "汉阳区", "江夏区")),
]
# Manufacturing hubs get more customers, as they would in a real book of business.
CITY_WEIGHTS = [
    3 if c.name in {"深圳", "苏州", "东莞", "宁波", "上海", "佛山"} else 1 for c in CITIES
]

ROADS = (
    "科技路", "工业大道", "创业路", "兴业路", "长江路", "人民路", "建设大道", "滨河路",
    "高新大道", "新华路", "金桥路", "开发大道", "迎宾大道", "振兴路", "环城北路", "华山路",
)  # fmt: skip

INDUSTRIES: dict[str, tuple[str, ...]] = {
    "电子制造": ("电子", "电子科技", "微电子", "光电科技", "电子元件", "电路科技"),
    "汽车零部件": ("汽车零部件", "汽配", "车业", "汽车部件", "精密压铸"),
    "机械设备": ("机械", "机械设备", "精密机械", "重工", "自动化设备", "数控设备"),
    "纺织服装": ("纺织", "服饰", "针织", "制衣", "家纺"),
    "化工": ("化工", "新材料", "精细化工", "涂料", "塑胶"),
    "家具": ("家具", "家居", "木业", "办公家具"),
    "医疗器械": ("医疗器械", "医疗科技", "生物医疗", "医用材料"),
    "新能源": ("新能源", "光伏科技", "储能科技", "电池", "能源科技"),
    "五金制品": ("五金", "五金制品", "金属制品", "紧固件"),
    "电气设备": ("电气", "电器", "电力设备", "电缆"),
    "包装印刷": ("包装", "印务", "包装材料"),
    "建材": ("建材", "陶瓷", "玻璃"),
    "食品": ("食品", "食品科技"),
    "进出口贸易": ("进出口", "贸易", "国际贸易", "供应链管理"),
}
INDUSTRY_NAMES = list(INDUSTRIES)
LEGAL_FORMS = ("有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司")

# Brand syllables with pinyin (for believable e-mail domains under example.com).
BRAND_CHARS = (
    ("华", "hua"), ("宏", "hong"), ("鑫", "xin"), ("源", "yuan"), ("恒", "heng"),
    ("盛", "sheng"), ("达", "da"), ("信", "xin"), ("德", "de"), ("瑞", "rui"),
    ("丰", "feng"), ("泰", "tai"), ("隆", "long"), ("兴", "xing"), ("昌", "chang"),
    ("安", "an"), ("誉", "yu"), ("荣", "rong"), ("新", "xin"), ("力", "li"),
    ("创", "chuang"), ("博", "bo"), ("科", "ke"), ("联", "lian"), ("远", "yuan"),
    ("通", "tong"), ("正", "zheng"), ("中", "zhong"), ("天", "tian"), ("海", "hai"),
    ("金", "jin"), ("银", "yin"), ("龙", "long"), ("凯", "kai"), ("嘉", "jia"),
    ("佳", "jia"), ("康", "kang"), ("美", "mei"), ("辉", "hui"), ("明", "ming"),
    ("光", "guang"), ("耀", "yao"), ("晟", "sheng"), ("泽", "ze"), ("润", "run"),
    ("威", "wei"), ("宇", "yu"), ("尚", "shang"), ("航", "hang"), ("锦", "jin"),
    ("泓", "hong"), ("浩", "hao"), ("顺", "shun"), ("永", "yong"), ("富", "fu"),
    ("益", "yi"), ("成", "cheng"), ("立", "li"), ("强", "qiang"), ("亿", "yi"),
    ("英", "ying"), ("普", "pu"), ("万", "wan"), ("腾", "teng"), ("东", "dong"),
)  # fmt: skip

SURNAMES = (
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
    ("杨", "yang"), ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"),
    ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"), ("胡", "hu"),
    ("郭", "guo"), ("何", "he"), ("高", "gao"), ("林", "lin"), ("罗", "luo"),
    ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"), ("唐", "tang"),
    ("许", "xu"), ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"),
    ("彭", "peng"), ("曾", "zeng"), ("肖", "xiao"), ("田", "tian"), ("董", "dong"),
    ("潘", "pan"), ("袁", "yuan"), ("蔡", "cai"), ("蒋", "jiang"), ("余", "yu"),
    ("于", "yu"), ("杜", "du"), ("叶", "ye"), ("程", "cheng"), ("魏", "wei"),
    ("苏", "su"), ("吕", "lv"), ("丁", "ding"), ("沈", "shen"), ("姚", "yao"),
    ("卢", "lu"), ("姜", "jiang"), ("崔", "cui"), ("钟", "zhong"), ("谭", "tan"),
    ("陆", "lu"), ("汪", "wang"), ("范", "fan"), ("廖", "liao"), ("方", "fang"),
)  # fmt: skip
MALE_GIVEN = (
    ("伟", "wei"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("勇", "yong"),
    ("杰", "jie"), ("涛", "tao"), ("斌", "bin"), ("超", "chao"), ("明", "ming"),
    ("刚", "gang"), ("平", "ping"), ("辉", "hui"), ("鹏", "peng"), ("华", "hua"),
    ("飞", "fei"), ("宇", "yu"), ("浩", "hao"), ("凯", "kai"), ("健", "jian"),
    ("俊", "jun"), ("旭", "xu"), ("龙", "long"), ("国", "guo"), ("建", "jian"),
    ("志", "zhi"), ("文", "wen"), ("海", "hai"), ("东", "dong"), ("亮", "liang"),
    ("晨", "chen"), ("峰", "feng"), ("斌", "bin"), ("德", "de"), ("永", "yong"),
)  # fmt: skip
FEMALE_GIVEN = (
    ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
    ("艳", "yan"), ("娟", "juan"), ("霞", "xia"), ("秀", "xiu"), ("玲", "ling"),
    ("燕", "yan"), ("萍", "ping"), ("红", "hong"), ("婷", "ting"), ("雪", "xue"),
    ("琳", "lin"), ("慧", "hui"), ("颖", "ying"), ("倩", "qian"), ("洁", "jie"),
    ("莉", "li"), ("琴", "qin"), ("梅", "mei"), ("晶", "jing"), ("欢", "huan"),
    ("月", "yue"), ("蓉", "rong"), ("悦", "yue"), ("佳", "jia"), ("怡", "yi"),
)  # fmt: skip

PRIMARY_TITLES = ("采购经理", "采购经理", "总经理", "采购主管", "供应链经理", "副总经理")
OTHER_TITLES = (
    "技术总监", "工程部经理", "品质经理", "采购专员", "董事长", "研发工程师",
    "厂长", "财务经理", "项目经理", "生产经理", "外贸业务员",
)  # fmt: skip

GLASSES = ("戴眼镜", "戴黑框眼镜", "戴金丝眼镜", "不戴眼镜", "不戴眼镜")
MALE_HEIGHTS = ("约168cm", "约172cm", "约175cm", "约178cm", "约182cm", "约186cm")
FEMALE_HEIGHTS = ("约155cm", "约160cm", "约163cm", "约166cm", "约170cm")
MALE_LOOKS = ("平头", "短发", "寸头", "头发花白", "微胖", "偏瘦", "络腮胡")
FEMALE_LOOKS = ("长发", "短发", "扎马尾", "卷发", "齐肩发")
CLOTHES = (
    "穿深色西装", "穿白衬衫", "穿休闲夹克", "穿Polo衫", "穿灰色风衣",
    "背黑色双肩包", "拉银色行李箱", "拿公文包",
)  # fmt: skip
DIETS = (
    "无特殊要求", "无特殊要求", "不吃辣", "喜欢川菜", "口味清淡", "喜欢粤菜",
    "不吃香菜", "海鲜过敏", "清真", "素食", "喜欢吃面食",
)  # fmt: skip
DRINKING = ("不喝酒", "少量红酒", "能喝白酒", "只喝啤酒", "开车，不喝酒", "酒量好，喜欢白酒")
OTHER_PREFERENCES = ("", "", "", "喜欢喝茶（普洱）", "吸烟", "不吸烟，介意烟味", "喜欢打羽毛球")
NOTES = (
    "",
    "",
    "年采购额约{n}00万元，关注交期和价格。",
    "老客户，合作{n}年，付款及时。",
    "正在评估我司新品，{n}月份有打样需求。",
    "{n}月展会上认识，对方计划年内来厂考察。",
    "竞争对手也在接触，需重点跟进。",
)
SOURCES = [s.value for s in CustomerSource]
SOURCE_WEIGHTS = [4 if s == CustomerSource.TRADE_SHOW else 2 for s in CustomerSource]
LEVEL_WEIGHTS = {"VIP": 1, "A": 3, "B": 4, "C": 3}

# Mobile prefixes (13x/15x/18x) that phonenumbers accepts for every 8-digit suffix.
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139",
    "150", "151", "152", "153", "155", "156", "157", "158", "159",
    "180", "181", "182", "183", "185", "186", "187", "188", "189",
)  # fmt: skip


@dataclass
class CompanyDraft:
    """One customer with its contacts, before it is written to the database."""

    name: str
    short_name: str
    domain: str
    city: City
    industry: str
    address: str
    source: str
    notes: str
    level_code: str
    contacts: list[dict[str, object]] = field(default_factory=list)


def random_mobile(rng: random.Random) -> str:
    """A Chinese mobile number in E.164, as normalize_phone() stores it."""
    return f"+86{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"


def random_person(rng: random.Random, domain: str, *, primary: bool) -> dict[str, object]:
    male = rng.random() < 0.7  # purchasing and plant management skew male in these trades
    surname, surname_py = rng.choice(SURNAMES)
    given_pool = MALE_GIVEN if male else FEMALE_GIVEN
    given = [rng.choice(given_pool) for _ in range(rng.choice((1, 2, 2)))]
    name = surname + "".join(ch for ch, _py in given)
    given_py = "".join(py for _ch, py in given)
    looks = ", ".join(
        [
            rng.choice(GLASSES),
            rng.choice(MALE_HEIGHTS if male else FEMALE_HEIGHTS),
            rng.choice(MALE_LOOKS if male else FEMALE_LOOKS),
            rng.choice(CLOTHES),
        ]
    )
    return {
        "name": name,
        "gender": Gender.MALE if male else Gender.FEMALE,
        "title": rng.choice(PRIMARY_TITLES if primary else OTHER_TITLES),
        "mobile": random_mobile(rng),
        "email": f"{given_py}.{surname_py}@{domain}" if rng.random() < 0.6 else "",
        "wechat_id": f"{surname_py}{given_py}{rng.randrange(10, 9999)}"
        if rng.random() < 0.7
        else "",
        "features": looks,
        "diet": rng.choice(DIETS),
        "drinking": rng.choice(DRINKING),
        "other_preferences": rng.choice(OTHER_PREFERENCES),
        "is_primary": primary,
    }


def random_company(rng: random.Random, *, with_contacts: int = 0) -> CompanyDraft:
    city = rng.choices(CITIES, weights=CITY_WEIGHTS)[0]
    industry = rng.choice(INDUSTRY_NAMES)
    word = rng.choice(INDUSTRIES[industry])
    (c1, p1), (c2, p2) = rng.sample(BRAND_CHARS, 2)
    brand = c1 + c2
    prefix = city.name if city.is_municipality or rng.random() < 0.5 else f"{city.name}市"
    district = rng.choice(city.districts)
    road = rng.choice(ROADS)
    province = "" if city.is_municipality else f"{city.region}省"
    address = f"{province}{city.name}市{district}{road}{rng.randrange(1, 999)}号"
    if rng.random() < 0.3:
        address += f"{rng.randrange(1, 12)}栋"
    domain = f"{p1}{p2}.{EMAIL_DOMAIN}"
    draft = CompanyDraft(
        name=f"{prefix}{brand}{word}{rng.choice(LEGAL_FORMS)}",
        short_name=f"{brand}{word[:2]}",
        domain=domain,
        city=city,
        industry=industry,
        address=address,
        source=rng.choices(SOURCES, weights=SOURCE_WEIGHTS)[0],
        notes=rng.choice(NOTES).format(n=rng.randrange(2, 12)),
        level_code=rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()))[0],
    )
    for i in range(with_contacts):
        draft.contacts.append(random_person(rng, domain, primary=i == 0))
    return draft


@dataclass
class OrgSummary:
    users_created: int = 0
    teams_created: int = 0
    customers_created: int = 0
    contacts_created: int = 0


def _ensure_users(summary: OrgSummary) -> dict[str, User]:
    teams: dict[str, Team] = {}
    admin = User.objects.filter(username="admin").first()
    for key, name in TEAMS.items():
        team = Team.objects.filter(name=name).first()
        if team is None:
            team = team_create(name=name, actor=admin)
            summary.teams_created += 1
        teams[key] = team
    users: dict[str, User] = {}
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = user_create(
                username=spec.username,
                password=DEMO_PASSWORD,
                display_name=spec.display_name,
                role=spec.role,
                team=teams[spec.team] if spec.team else None,
                mobile=spec.mobile,
                email=f"{spec.username}@{EMAIL_DOMAIN}",
                actor=admin,
            )
            summary.users_created += 1
        if spec.role == Role.ADMIN:
            admin = user
        if spec.manages and teams[spec.manages].manager_id != user.pk:
            # No team_set_manager service yet; the manager is set once, at set-up.
            teams[spec.manages].manager = user
            teams[spec.manages].save(update_fields=["manager", "updated"])
        users[spec.username] = user
    return users


def _owner_for(rng: random.Random, city: City, owners_by_team: dict[str, list[User]]) -> User:
    owners = owners_by_team[city.team]
    # Salespeople carry most accounts; the manager keeps a few key ones.
    weights = [1 if o.role == Role.SALES_MANAGER else 3 for o in owners]
    return rng.choices(owners, weights=weights)[0]


def seed_demo_org(customers: int = DEMO_CUSTOMER_COUNT) -> OrgSummary:
    """Create (or complete) the demo company. A second run creates nothing."""
    summary = OrgSummary()
    with transaction.atomic():
        users = _ensure_users(summary)
    owners_by_team: dict[str, list[User]] = {key: [] for key in TEAMS}
    for spec in DEMO_USERS:
        if spec.role in (Role.SALES, Role.SALES_MANAGER):
            owners_by_team[spec.team].append(users[spec.username])
    levels = {lv.code: lv for lv in CustomerLevel.objects.all()}
    rng = random.Random(ORG_SEED)  # noqa: S311 - reproducible demo data, not secrets
    seen: set[str] = set()
    while len(seen) < customers:
        draft = random_company(rng, with_contacts=rng.choice((1, 2, 2, 3)))
        owner = _owner_for(rng, draft.city, owners_by_team)
        if draft.name.lower() in seen:
            continue
        seen.add(draft.name.lower())
        if Customer.objects.filter(name__iexact=draft.name).exists():
            continue
        with transaction.atomic():
            customer = customer_create(
                actor=owner,
                owner=owner,
                name=draft.name,
                short_name=draft.short_name,
                level=levels[draft.level_code],
                industry=draft.industry,
                region=draft.city.region,
                city=draft.city.name,
                address=draft.address,
                source=draft.source,
                notes=draft.notes,
            )
            for contact in draft.contacts:
                contact_create(actor=owner, customer=customer, **contact)
        summary.customers_created += 1
        summary.contacts_created += len(draft.contacts)
    return summary


# --- Benchmark data -------------------------------------------------------------------


@dataclass
class BulkSummary:
    customers_created: int = 0
    contacts_created: int = 0


def _unique_name(draft: CompanyDraft, taken: set[str]) -> str | None:
    if draft.name.lower() not in taken:
        return draft.name
    # A second plant of the same company is common: 苏州华强电子有限公司（吴江分公司）.
    for district in draft.city.districts:
        candidate = f"{draft.name}（{district.rstrip('区县市镇')}分公司）"
        if candidate.lower() not in taken:
            return candidate
    return None


def _batches(total: int, size: int) -> Iterator[int]:
    while total > 0:
        yield min(size, total)
        total -= size


def bulk_customers(
    count: int,
    *,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> BulkSummary:
    """Insert `count` customers with 1-2 contacts each, in batches, for benchmarks.

    Deliberately bypasses the services (no validation, no audit rows, no permission
    checks): this is load data, and a service call per row would take an hour for 100k.
    Names are checked against every existing name first, so the case-insensitive unique
    constraint never fires; the seed depends on how many customers exist, so a second
    run adds different companies.
    """
    summary = BulkSummary()
    owners = list(
        User.objects.filter(
            is_active=True, role__in=[Role.SALES, Role.SALES_MANAGER], team__isnull=False
        ).select_related("team")
    )
    if not owners:
        owners = list(User.objects.filter(is_active=True, role=Role.SALES))
    owners_by_team_name: dict[str, list[User]] = {}
    for owner in owners:
        owners_by_team_name.setdefault(owner.team.name if owner.team else "", []).append(owner)
    owner_pool = {key: owners_by_team_name.get(name) or owners for key, name in TEAMS.items()}
    levels = {lv.code: lv.pk for lv in CustomerLevel.objects.filter(is_active=True)}
    fallback_level = next(iter(levels.values()))
    taken = {name.lower() for name in Customer.objects.values_list("name", flat=True)}
    rng = random.Random(BULK_SEED + len(taken))  # noqa: S311 - reproducible load data
    for size in _batches(count, batch_size):
        customers: list[Customer] = []
        contacts_per_customer: list[list[dict[str, object]]] = []
        while len(customers) < size:
            draft = random_company(rng, with_contacts=rng.choice((1, 1, 2)))
            name = _unique_name(draft, taken)
            if name is None:
                continue
            taken.add(name.lower())
            pool = owner_pool[draft.city.team]
            owner = pool[rng.randrange(len(pool))]
            customers.append(
                Customer(
                    name=name,
                    short_name=draft.short_name,
                    level_id=levels.get(draft.level_code, fallback_level),
                    industry=draft.industry,
                    region=draft.city.region,
                    city=draft.city.name,
                    address=draft.address,
                    owner_id=owner.pk,
                    source=draft.source,
                    notes=draft.notes,
                )
            )
            contacts_per_customer.append(draft.contacts)
        with transaction.atomic():
            Customer.objects.bulk_create(customers, batch_size=batch_size)
            contacts = [
                Contact(customer_id=customer.pk, **data)
                for customer, rows in zip(customers, contacts_per_customer, strict=True)
                for data in rows
            ]
            Contact.objects.bulk_create(contacts, batch_size=batch_size)
        summary.customers_created += len(customers)
        summary.contacts_created += len(contacts)
        if progress:
            progress(summary.customers_created)
    return summary
