"""Which fields a column may fill, and a first guess from the column's header."""

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class ImportField:
    key: str
    label: str | Promise
    synonyms: tuple[str, ...]
    max_length: int = 0


# Order: the template's columns and the mapping page's choices.
FIELDS: tuple[ImportField, ...] = (
    ImportField(
        "name",
        _("Company name"),
        (
            "客户名称",
            "公司名称",
            "客户",
            "公司",
            "企业名称",
            "单位名称",
            "company",
            "company name",
            "customer",
            "name",
        ),
        200,
    ),
    ImportField(
        "short_name", _("Short name"), ("简称", "客户简称", "short name", "abbreviation"), 50
    ),
    ImportField("level", _("Level"), ("级别", "客户级别", "等级", "level", "grade"), 50),
    ImportField(
        "owner",
        _("Owner"),
        ("负责人", "销售", "业务员", "客户经理", "所属销售", "owner", "salesperson", "sales"),
        150,
    ),
    ImportField("industry", _("Industry"), ("行业", "所属行业", "industry"), 100),
    ImportField(
        "region", _("Province / region"), ("省份", "地区", "省", "区域", "province", "region"), 50
    ),
    ImportField("city", _("City"), ("城市", "市", "city"), 50),
    ImportField("address", _("Address"), ("地址", "详细地址", "公司地址", "address"), 300),
    ImportField("notes", _("Notes"), ("备注", "说明", "notes", "remarks", "comment"), 5000),
    ImportField(
        "contact_name",
        _("Contact name"),
        ("联系人", "联系人姓名", "姓名", "contact", "contact name", "contact person"),
        100,
    ),
    ImportField(
        "contact_title", _("Contact title"), ("职务", "职位", "title", "position", "job title"), 100
    ),
    ImportField(
        "contact_mobile",
        _("Contact mobile"),
        ("手机", "手机号", "手机号码", "电话", "联系电话", "mobile", "phone", "tel", "telephone"),
        40,
    ),
    ImportField(
        "contact_email", _("Contact e-mail"), ("邮箱", "电子邮箱", "email", "e-mail", "mail"), 254
    ),
    ImportField(
        "contact_wechat", _("Contact WeChat ID"), ("微信", "微信号", "wechat", "wechat id"), 50
    ),
    ImportField(
        "contact_features",
        pgettext_lazy("contact", "How to recognise them"),
        ("特征", "外貌特征", "features", "appearance"),
        300,
    ),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
REQUIRED_FIELDS = ("name", "level")


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-:：*（）()]+", "", text).lower()


_SYNONYMS = {_norm(s): f.key for f in FIELDS for s in f.synonyms}


def suggest_mapping(headers: list[str]) -> dict[str, str]:
    """Column number (as text, JSON keys are text) → field key; each field once."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    # The labels in the current language too: our own template's headers.
    synonyms = {**_SYNONYMS, **{_norm(str(f.label)): f.key for f in FIELDS}}
    for index, header in enumerate(headers):
        key = synonyms.get(_norm(header or ""))
        if key and key not in taken:
            mapping[str(index)] = key
            taken.add(key)
    return mapping
