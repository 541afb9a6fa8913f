"""The business-card test set: cards rendered with Pillow, each with its ground truth.

Chinese, English and bilingual cards in four layouts (left-aligned, centred, two columns, a
logo block), plus photographed ones: the card lying on a table, turned a few degrees, seen at
an angle, blurred, grainy and lit from one side. Everything is drawn here from fixed data and
fixed seeds, so the set is the same on every machine and no image is stored in the repo.

Used by tests/tradeshows/test_ocr.py and bench/ocr.py.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from visitflow.tradeshows.ocr import CardFields
from visitflow.visits.documents import cjk_font_path

CARD_SIZE = (1000, 600)  # 90 x 54 mm at about 280 dpi, what a phone photo holds
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
INK = (30, 30, 35)
MUTED = (90, 90, 100)


@dataclass(frozen=True)
class Photo:
    """How a card was photographed: angle, perspective, blur, noise, light from one side."""

    angle: float = 0.0
    skew: float = 0.0  # how much farther the top edge is than the bottom one (0 to 0.15)
    blur: float = 0.0
    noise: float = 0.0  # standard deviation of the grain, in 0-255 levels
    shade: float = 0.0  # how much darker the far side is (0 to 0.5)
    scale: float = 1.0  # the card's size in the frame (1: it fills most of it)
    seed: int = 0


@dataclass(frozen=True)
class CardSpec:
    key: str
    truth: CardFields
    # Printed above the contacts, in order: (text, point size, bold).
    header: tuple[tuple[str, int, bool], ...]
    contacts: tuple[str, ...]
    layout: str = "left"  # left, centred, two_column, logo
    logo: str = ""
    accent: tuple[int, int, int] = (20, 90, 160)
    paper: tuple[int, int, int] = (255, 255, 255)
    contact_size: int = 24
    photo: Photo | None = None
    extra: tuple[str, ...] = field(default=())  # printed but not a field (slogan, QQ)


def _font(size: int, *, latin: bool, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    if latin and (DEJAVU / name).exists():
        return ImageFont.truetype(str(DEJAVU / name), size)
    return ImageFont.truetype(str(cjk_font_path()), size, index=0)


def _font_for(text: str, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    # DejaVu has no Chinese: any line with a CJK character is set in WenQuanYi.
    return _font(size, latin=text.isascii(), bold=bold)


def _draw_line(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    size: int,
    *,
    bold: bool = False,
    fill: tuple[int, int, int] = INK,
    anchor: str = "la",
) -> float:
    """Draw one line; return its height plus the gap to the next line."""
    font = _font_for(text, size, bold)
    # WenQuanYi has no bold face: a thin stroke thickens it the way a bold print looks.
    stroke = 1 if bold and not text.isascii() else 0
    draw.text(xy, text, font=font, fill=fill, anchor=anchor, stroke_width=stroke, stroke_fill=fill)
    return size * 1.45


def render_flat(spec: CardSpec) -> Image.Image:
    width, height = CARD_SIZE
    image = Image.new("RGB", CARD_SIZE, spec.paper)
    draw = ImageDraw.Draw(image)
    header_height = sum(size * 1.45 for _t, size, _b in spec.header)
    contacts_height = len(spec.contacts) * spec.contact_size * 1.45

    if spec.layout == "centred":
        y = max(30.0, (height - header_height - contacts_height - 40) / 2)
        for text, size, bold in spec.header:
            y += _draw_line(draw, (width / 2, y), text, size, bold=bold, anchor="ma")
        draw.line((width * 0.3, y + 8, width * 0.7, y + 8), fill=spec.accent, width=3)
        y += 30
        for text in spec.contacts:
            y += _draw_line(draw, (width / 2, y), text, spec.contact_size, fill=MUTED, anchor="ma")
    elif spec.layout == "two_column":
        y = (height - header_height) / 2
        for text, size, bold in spec.header:
            y += _draw_line(draw, (50, y), text, size, bold=bold)
        draw.line((470, 60, 470, height - 60), fill=spec.accent, width=4)
        y = (height - contacts_height) / 2
        for text in spec.contacts:
            y += _draw_line(draw, (500, y), text, spec.contact_size)
    elif spec.layout == "logo":
        draw.rectangle((0, 0, 250, height), fill=spec.accent)
        draw.ellipse((55, 170, 195, 310), outline=(255, 255, 255), width=6)
        draw.text(
            (125, 240),
            spec.logo,
            font=_font(40, latin=True, bold=True),
            fill=(255, 255, 255),
            anchor="mm",
        )
        y = 45.0
        for text, size, bold in spec.header:
            y += _draw_line(draw, (290, y), text, size, bold=bold)
        y += 15
        for text in spec.contacts:
            y += _draw_line(draw, (290, y), text, spec.contact_size)
    else:  # left
        draw.rectangle((0, height - 24, width, height), fill=spec.accent)
        y = 50.0
        for text, size, bold in spec.header:
            y += _draw_line(draw, (60, y), text, size, bold=bold)
        y += 20
        for text in spec.contacts:
            y += _draw_line(draw, (60, y), text, spec.contact_size)
        if spec.logo:
            draw.text(
                (width - 60, 60),
                spec.logo,
                font=_font(34, latin=True, bold=True),
                fill=spec.accent,
                anchor="ra",
            )
    for index, text in enumerate(spec.extra):
        _draw_line(draw, (width - 40, height - 80 - index * 30), text, 18, fill=MUTED, anchor="ra")
    return image


def photograph(card: Image.Image, photo: Photo) -> Image.Image:
    """The card lying on a table as a phone sees it."""
    rng = np.random.default_rng(photo.seed)
    width, height = card.size
    # Perspective: the top edge farther away, so narrower, as when the phone is held low.
    if photo.skew:
        inset = width * photo.skew / 2
        # Coefficients mapping the output quad back to the card (Pillow's PERSPECTIVE form).
        src = [(0, 0), (width, 0), (width, height), (0, height)]
        dst = [(inset, 0), (width - inset, 0), (width, height), (0, height)]
        matrix = []
        for (x, y), (u, v) in zip(dst, src, strict=True):
            matrix.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
            matrix.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        coeffs = np.linalg.solve(np.array(matrix, dtype=float), np.array(src, dtype=float).ravel())
        card = card.transform(
            card.size,
            Image.Transform.PERSPECTIVE,
            tuple(coeffs),
            Image.Resampling.BICUBIC,
            fillcolor=(0, 0, 0, 0),
        )
    rgba = card.convert("RGBA")
    if photo.skew:
        # The corners the perspective left empty are table, not paper.
        mask = Image.new("L", card.size, 0)
        inset = width * photo.skew / 2
        ImageDraw.Draw(mask).polygon(
            [(inset, 0), (width - inset, 0), (width, height), (0, height)], fill=255
        )
        rgba.putalpha(mask)
    rotated = rgba.rotate(photo.angle, resample=Image.Resampling.BICUBIC, expand=True)
    if photo.scale != 1.0:
        # Taken from farther away: the card is smaller in the frame, its print a few pixels.
        rotated = rotated.resize(
            (round(rotated.width * photo.scale), round(rotated.height * photo.scale)),
            Image.Resampling.LANCZOS,
        )

    table = np.zeros((900, 1300, 3), dtype=np.float64)
    table[:] = (118, 104, 92)  # a wooden exhibition counter
    table += rng.normal(0, 6, table.shape)
    scene = Image.fromarray(np.clip(table, 0, 255).astype(np.uint8))
    offset = ((1300 - rotated.width) // 2, (900 - rotated.height) // 2)
    scene.paste(rotated, offset, rotated)

    pixels = np.asarray(scene, dtype=np.float64)
    if photo.shade:
        # Light from the left: brightness falls off linearly to the right.
        ramp = np.linspace(1.0, 1.0 - photo.shade, pixels.shape[1])
        pixels *= ramp[None, :, None]
    if photo.noise:
        pixels += rng.normal(0, photo.noise, pixels.shape)
    scene = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    if photo.blur:
        scene = scene.filter(ImageFilter.GaussianBlur(photo.blur))
    return scene


def render(spec: CardSpec) -> bytes:
    """The card as the booth phone would upload it: PNG when flat, JPEG when photographed."""
    image = render_flat(spec)
    buffer = io.BytesIO()
    if spec.photo is None:
        image.save(buffer, format="PNG")
    else:
        photograph(image, spec.photo).save(buffer, format="JPEG", quality=82)
    return buffer.getvalue()


def _card(
    key: str,
    truth: CardFields,
    header: list[tuple[str, int, bool]],
    contacts: list[str],
    **options: Any,
) -> CardSpec:
    return CardSpec(key, truth, tuple(header), tuple(contacts), **options)


def specs() -> list[CardSpec]:
    """The test set: 28 cards, their printed text and what should be read from them."""
    f = CardFields
    cards = [
        # --- Chinese ------------------------------------------------------------------
        _card(
            "zh-left-1",
            f(
                name="张伟",
                company="深圳市华强电子科技有限公司",
                title="销售总监",
                mobile="+8613812345678",
                phone="+8675588886666 ext. 8012",
                email="zhang.wei@hq-tech.com.cn",
                address="广东省深圳市南山区科技园路18号",
                website="www.hq-tech.com.cn",
            ),
            [("张伟", 56, True), ("销售总监", 28, False), ("深圳市华强电子科技有限公司", 32, True)],
            [
                "手机：138 1234 5678",
                "电话：0755-8888 6666 转 8012",
                "邮箱：zhang.wei@hq-tech.com.cn",
                "地址：广东省深圳市南山区科技园路18号",
                "网址：www.hq-tech.com.cn",
            ],
            logo="HQ",
        ),
        _card(
            "zh-left-fax",
            f(
                name="李娜",
                company="上海东方精密机械有限公司",
                title="采购经理",
                mobile="+8613916882233",
                phone="+862168881234",
                email="lina@eastprecision.cn",
                address="上海市浦东新区张江路88号",
            ),
            [("李娜", 54, True), ("采购经理", 28, False), ("上海东方精密机械有限公司", 30, True)],
            [
                "手机 139-1688-2233",
                "电话 021-6888 1234",
                "传真 021-6888 1235",
                "邮箱 lina@eastprecision.cn",
                "地址 上海市浦东新区张江路88号",
            ],
        ),
        _card(
            "zh-centred",
            f(
                name="王建国",
                company="北京中科智能装备集团",
                title="总经理",
                mobile="+8618601012345",
                phone="+861065528888",
                email="wangjg@zkzn.com",
                address="北京市海淀区中关村大街27号",
                website="www.zkzn.com",
            ),
            [("北京中科智能装备集团", 30, True), ("王建国", 56, True), ("总经理", 28, False)],
            [
                "手机：186 0101 2345    电话：010-6552 8888",
                "邮箱：wangjg@zkzn.com    网址：www.zkzn.com",
                "地址：北京市海淀区中关村大街27号",
            ],
            layout="centred",
            contact_size=26,
        ),
        _card(
            "zh-two-column",
            f(
                name="陈晓明",
                company="杭州云启网络科技有限公司",
                title="技术总监",
                mobile="+8615067891234",
                email="chenxm@yunqi-tech.com",
                address="浙江省杭州市西湖区文三路398号",
                website="www.yunqi-tech.com",
            ),
            [
                ("陈晓明", 52, True),
                ("技术总监", 28, False),
                ("杭州云启网络科技有限公司", 24, False),
            ],
            [
                "M：150 6789 1234",
                "E：chenxm@yunqi-tech.com",
                "W：www.yunqi-tech.com",
                "浙江省杭州市西湖区文三路398号",
            ],
            layout="two_column",
            contact_size=23,
        ),
        _card(
            "zh-logo",
            f(
                name="刘洋",
                company="广州南方包装材料有限公司",
                title="华南区销售经理",
                mobile="+8613719876543",
                phone="+862087654321",
                email="liuyang@nfpack.com",
                address="广州市白云区太和镇北太路1633号",
            ),
            [
                ("刘洋", 52, True),
                ("华南区销售经理", 26, False),
                ("广州南方包装材料有限公司", 28, True),
            ],
            [
                "手机：137 1987 6543",
                "座机：020-8765 4321",
                "邮箱：liuyang@nfpack.com",
                "地址：广州市白云区太和镇北太路1633号",
            ],
            layout="logo",
            logo="NF",
            accent=(170, 40, 40),
        ),
        _card(
            "zh-qq",
            f(
                name="赵敏",
                company="苏州恒信精工有限公司",
                title="客户经理",
                mobile="+8618912347788",
                phone="+8651266001234",
                email="zhaomin@hengxin-sz.com",
                address="江苏省苏州市工业园区星湖街328号",
            ),
            [("赵敏", 52, True), ("客户经理", 28, False), ("苏州恒信精工有限公司", 30, True)],
            [
                "电话：0512-6600 1234",
                "手机：189 1234 7788",
                "QQ：1234567890",
                "邮箱：zhaomin@hengxin-sz.com",
                "地址：江苏省苏州市工业园区星湖街328号",
            ],
            accent=(40, 120, 80),
        ),
        _card(
            "zh-tel-fax",
            f(
                name="孙丽",
                company="成都天府医疗器械有限公司",
                title="市场部主管",
                mobile="+8613880012345",
                phone="+862885123456",
                email="sunli@tfmed.cn",
                address="四川省成都市高新区天府大道中段666号",
            ),
            [("孙丽", 50, True), ("市场部主管", 28, False), ("成都天府医疗器械有限公司", 28, True)],
            [
                "电话/传真：028-8512 3456",
                "手机：138 8001 2345",
                "邮箱：sunli@tfmed.cn",
                "地址：四川省成都市高新区天府大道中段666号",
            ],
            layout="centred",
        ),
        _card(
            "zh-plus86",
            f(
                name="欧阳海",
                company="宁波海通国际贸易有限公司",
                title="董事长",
                mobile="+8613355667788",
                email="oyh@haitong-nb.com",
                website="www.haitong-nb.com",
                address="浙江省宁波市鄞州区天童南路555号",
            ),
            [("欧阳海", 54, True), ("董事长", 28, False), ("宁波海通国际贸易有限公司", 28, True)],
            [
                "+86 133-5566-7788",
                "oyh@haitong-nb.com",
                "www.haitong-nb.com",
                "浙江省宁波市鄞州区天童南路555号",
            ],
            layout="logo",
            logo="HT",
            accent=(20, 60, 120),
        ),
        # --- English ------------------------------------------------------------------
        _card(
            "en-left",
            f(
                name="David Chen",
                company="Huaqiang Electronics Technology Co., Ltd.",
                title="Sales Director",
                mobile="+8613912345678",
                phone="+8675588886666 ext. 12",
                email="david.chen@hq-tech.com",
                website="www.hq-tech.com",
            ),
            [
                ("David Chen", 48, True),
                ("Sales Director", 26, False),
                ("Huaqiang Electronics Technology Co., Ltd.", 26, True),
            ],
            [
                "M: +86 139 1234 5678",
                "T: +86 755 8888 6666 ext. 12",
                "F: +86 755 8888 6667",
                "E: david.chen@hq-tech.com",
                "www.hq-tech.com",
            ],
            logo="HQ",
        ),
        _card(
            "en-centred",
            f(
                name="Michael Brown",
                company="Brown Industrial Supplies Inc.",
                title="Purchasing Manager",
                mobile="+14155550132",
                email="m.brown@brown-supplies.com",
                address="2100 Market Street, San Francisco, CA 94114",
                website="https://brown-supplies.com",
            ),
            [
                ("Michael Brown", 46, True),
                ("Purchasing Manager", 26, False),
                ("Brown Industrial Supplies Inc.", 28, True),
            ],
            [
                "Mobile: +1 415 555 0132",
                "Email: m.brown@brown-supplies.com",
                "2100 Market Street, San Francisco, CA 94114",
                "https://brown-supplies.com",
            ],
            layout="centred",
        ),
        _card(
            "en-two-column",
            f(
                name="Anna Schmidt",
                company="Schmidt Maschinenbau GmbH",
                title="Export Manager",
                phone="+49891234567",
                mobile="+491701234567",
                email="anna.schmidt@schmidt-mb.de",
                website="www.schmidt-mb.de",
            ),
            [
                ("Anna Schmidt", 42, True),
                ("Export Manager", 24, False),
                ("Schmidt Maschinenbau GmbH", 22, True),
            ],
            [
                "Tel: +49 89 1234567",
                "Mobile: +49 170 1234567",
                "anna.schmidt@schmidt-mb.de",
                "www.schmidt-mb.de",
            ],
            layout="two_column",
            contact_size=22,
        ),
        _card(
            "en-logo",
            f(
                name="Kevin Zhou",
                company="Sunrise Solar Energy Co., Ltd.",
                title="Senior Engineer",
                mobile="+8618688889999",
                phone="+862038880000",
                email="kevin.zhou@sunrise-solar.cn",
                address="No. 88 Kexue Avenue, Huangpu District, Guangzhou",
            ),
            [
                ("Kevin Zhou", 44, True),
                ("Senior Engineer", 24, False),
                ("Sunrise Solar Energy Co., Ltd.", 24, True),
            ],
            [
                "Cell: 186 8888 9999",
                "Tel: 020-3888 0000",
                "kevin.zhou@sunrise-solar.cn",
                "Add: No. 88 Kexue Avenue, Huangpu District, Guangzhou",
            ],
            layout="logo",
            logo="SUN",
            accent=(220, 130, 20),
            contact_size=21,
        ),
        _card(
            "en-two-phones",
            f(
                name="Linda Wang",
                company="Pacific Trading Limited",
                title="CEO",
                mobile="+85291234567",
                phone="+85221234567",
                email="linda@pacific-trading.hk",
                address="Unit 1203, 12/F, Tower 1, Times Square, Causeway Bay, Hong Kong",
                website="www.pacific-trading.hk",
            ),
            [("Linda Wang", 46, True), ("CEO", 28, False), ("Pacific Trading Limited", 28, True)],
            [
                "Tel: +852 2123 4567 / +852 2123 4568",
                "Mobile: +852 9123 4567",
                "linda@pacific-trading.hk | www.pacific-trading.hk",
                "Unit 1203, 12/F, Tower 1, Times Square, Causeway Bay, Hong Kong",
            ],
            contact_size=21,
        ),
        _card(
            "en-dots",
            f(
                name="Robert J. Miller",
                company="Miller & Sons Corporation",
                title="Vice President, Sales",
                phone="+13125550188",
                email="robert.j.miller-jr@miller-sons.com",
                website="www.miller-sons.com",
            ),
            [
                ("Miller & Sons Corporation", 26, True),
                ("Robert J. Miller", 44, True),
                ("Vice President, Sales", 24, False),
            ],
            [
                "Phone +1 (312) 555-0188",
                "robert.j.miller-jr@miller-sons.com",
                "www.miller-sons.com",
            ],
            layout="centred",
        ),
        # --- Bilingual ----------------------------------------------------------------
        _card(
            "bi-left",
            f(
                name="黄磊",
                company="东莞市精诚模具有限公司",
                title="生产经理",
                mobile="+8613602223344",
                phone="+8676922334455",
                email="huanglei@jcmould.com",
                address="广东省东莞市长安镇振安中路188号",
                website="www.jcmould.com",
            ),
            [
                ("黄磊  Huang Lei", 44, True),
                ("生产经理  Production Manager", 24, False),
                ("东莞市精诚模具有限公司", 28, True),
                ("Dongguan Jingcheng Mould Co., Ltd.", 20, False),
            ],
            [
                "手机 Mobile: 136 0222 3344",
                "电话 Tel: 0769-2233 4455",
                "邮箱 E-mail: huanglei@jcmould.com",
                "地址：广东省东莞市长安镇振安中路188号",
                "www.jcmould.com",
            ],
            contact_size=21,
        ),
        _card(
            "bi-centred",
            f(
                name="周杰",
                company="青岛海洋食品集团",
                title="国际贸易部经理",
                mobile="+8615963001122",
                email="zhoujie@hyfood.com.cn",
                website="www.hyfood.com.cn",
            ),
            [
                ("青岛海洋食品集团", 28, True),
                ("Qingdao Ocean Food Group", 20, False),
                ("周杰", 50, True),
                ("国际贸易部经理", 24, False),
                ("Manager, International Trade", 20, False),
            ],
            [
                "M: +86 159 6300 1122",
                "E: zhoujie@hyfood.com.cn",
                "W: www.hyfood.com.cn",
            ],
            layout="centred",
            contact_size=22,
        ),
        _card(
            "bi-two-column",
            f(
                name="吴静",
                company="厦门鹭岛光电有限公司",
                title="销售代表",
                mobile="+8613806001234",
                phone="+865925123456",
                email="wujing@ludao-opto.com",
                address="福建省厦门市湖里区火炬路56号",
            ),
            [
                ("吴静", 50, True),
                ("Wu Jing", 24, False),
                ("销售代表", 26, False),
                ("厦门鹭岛光电有限公司", 22, True),
            ],
            [
                "Mob：138 0600 1234",
                "Tel：0592-512 3456",
                "Fax：0592-512 3457",
                "wujing@ludao-opto.com",
                "福建省厦门市湖里区火炬路56号",
            ],
            layout="two_column",
            contact_size=21,
        ),
        _card(
            "bi-logo",
            f(
                name="郑浩",
                company="武汉光谷激光技术股份有限公司",
                title="研发工程师",
                mobile="+8617762345678",
                email="zhenghao@ogl-laser.com",
                address="湖北省武汉市东湖新技术开发区光谷大道77号",
                website="www.ogl-laser.com",
            ),
            [
                ("郑浩", 50, True),
                ("研发工程师  R&D Engineer", 24, False),
                ("武汉光谷激光技术股份有限公司", 26, True),
            ],
            [
                "T：177 6234 5678",
                "E：zhenghao@ogl-laser.com",
                "A：湖北省武汉市东湖新技术开发区光谷大道77号",
                "www.ogl-laser.com",
            ],
            layout="logo",
            logo="OGL",
            accent=(90, 40, 140),
            contact_size=21,
        ),
        _card(
            "bi-name-title-line",
            f(
                name="杨帆",
                company="天津滨海物流有限公司",
                title="运营总监",
                mobile="+8613002001234",
                phone="+862225861234",
                email="yangfan@bh-logistics.com",
                address="天津市滨海新区新港二号路35号",
            ),
            [
                ("杨帆 运营总监", 40, True),
                ("天津滨海物流有限公司", 28, True),
                ("Tianjin Binhai Logistics Co., Ltd.", 20, False),
            ],
            [
                "手机：130 0200 1234",
                "电话：022-2586 1234",
                "E-mail: yangfan@bh-logistics.com",
                "地址：天津市滨海新区新港二号路35号",
            ],
            accent=(0, 120, 140),
            extra=("微信：yangfan_bh",),
        ),
        _card(
            "bi-english-first",
            f(
                name="林晓",
                company="福州闽江茶业有限公司",
                title="总经理",
                mobile="+8618859001234",
                phone="+8659187654321",
                email="linxiao@minjiang-tea.com",
                website="www.minjiang-tea.com",
            ),
            [
                ("Lin Xiao", 26, False),
                ("林晓", 52, True),
                ("总经理 General Manager", 24, False),
                ("福州闽江茶业有限公司", 28, True),
            ],
            [
                "手机：188 5900 1234",
                "电话：0591-8765 4321",
                "linxiao@minjiang-tea.com",
                "www.minjiang-tea.com",
            ],
            layout="centred",
            accent=(60, 110, 40),
            contact_size=22,
        ),
    ]
    photos = [
        Photo(angle=4, blur=0.8, noise=6, shade=0.25, seed=1),
        Photo(angle=-3, skew=0.08, blur=1.0, noise=8, shade=0.3, seed=2),
        Photo(angle=6, skew=0.05, blur=1.2, noise=5, shade=0.2, seed=3),
        Photo(angle=-5, blur=1.4, noise=10, shade=0.35, seed=4),
        Photo(angle=2, skew=0.12, blur=0.6, noise=12, shade=0.4, seed=5),
        Photo(angle=-7, skew=0.04, blur=1.0, noise=8, shade=0.15, seed=6),
        # Held upside down, from farther away.
        Photo(angle=178, blur=0.8, noise=6, shade=0.2, scale=0.75, seed=7),
        Photo(angle=3, skew=0.06, blur=0.7, noise=6, shade=0.25, scale=0.7, seed=8),
    ]
    photographed_keys = [
        "zh-left-1",
        "en-left",
        "bi-left",
        "zh-logo",
        "en-two-column",
        "bi-logo",
        "zh-centred",
        "bi-name-title-line",
    ]
    by_key = {card.key: card for card in cards}
    for key, photo in zip(photographed_keys, photos, strict=True):
        base = by_key[key]
        cards.append(
            CardSpec(
                f"photo-{key}",
                base.truth,
                base.header,
                base.contacts,
                layout=base.layout,
                logo=base.logo,
                accent=base.accent,
                paper=(246, 243, 236),
                contact_size=base.contact_size,
                photo=photo,
                extra=base.extra,
            )
        )
    return cards


@cache
def rendered() -> tuple[tuple[CardSpec, bytes], ...]:
    """Every card with its image bytes, drawn once per process."""
    return tuple((spec, render(spec)) for spec in specs())


PHONE_FIELDS = ("mobile", "phone")
FIELD_NAMES = tuple(f.name for f in fields(CardFields))


def normalised(field_name: str, value: str) -> str:
    """What counts when comparing a field: phones by digits, text without spaces or case."""
    if field_name in PHONE_FIELDS:
        return re.sub(r"\D", "", value)
    text = unicodedata.normalize("NFKC", value)
    return re.sub(r"\s+", "", text).lower()


def field_results(truth: CardFields, found: CardFields) -> dict[str, bool]:
    """For each field the card has, whether it was read right."""
    return {
        name: normalised(name, getattr(found, name)) == normalised(name, getattr(truth, name))
        for name in FIELD_NAMES
        if getattr(truth, name)
    }
