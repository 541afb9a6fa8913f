"""Business-card OCR for the booth (SOP 5.3.3): a photo in, the contact's fields out.

The text is read on the CPU by RapidOCR (PP-OCRv4 detection and recognition models run by
ONNX Runtime). Its wheel ships the models, so nothing is downloaded when a card is read. The
engine takes about two seconds to load, so it is loaded once per process, on the first card,
never when Django imports this module.

`read_card` refuses what is not a photo before decoding a pixel of it (too many bytes, not an
image, absurd dimensions) and raises `CardImageError` with a message for the booth staff, who
can always type the card in. `extract_fields` is the pure part: OCR lines in, fields out.
"""

from __future__ import annotations

import functools
import io
import logging
import math
import re
import unicodedata
import warnings
from dataclasses import dataclass, fields
from typing import Any

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from visitflow.core.validators import normalize_phone

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 8 * 1024 * 1024
# A 50-megapixel phone camera is the largest honest photo; beyond that it is a decompression
# bomb (a small PNG that unpacks to gigabytes), refused from the header alone.
MAX_PIXELS = 60_000_000
MAX_SIDE = 20_000
# Reading cost grows with the pixels while a card's text stays legible at this size.
WORK_LONG_SIDE = 1280
# Formats a phone or a scanner produces; anything else Pillow happens to parse is refused.
ACCEPTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "BMP", "GIF", "TIFF"})
# A card photo is at least this many pixels on its short side, and not a long strip.
MIN_SIDE = 32
MAX_ASPECT = 8
# Recognitions below this confidence are mostly noise (logos, textures, dust).
MIN_SCORE = 0.5


@dataclass
class CardFields:
    name: str = ""
    company: str = ""
    title: str = ""
    mobile: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    website: str = ""

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


class CardImageError(Exception):
    """The photo cannot be read; `message` tells the booth staff why, in their language."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        # A stable key for the API and for tests, independent of the language.
        self.code = code


# --- reading the image -------------------------------------------------------------------


def max_bytes() -> int:
    return int(getattr(settings, "CARD_IMAGE_MAX_BYTES", DEFAULT_MAX_BYTES))


def _unreadable() -> CardImageError:
    return CardImageError(
        _(
            "Could not read this business card: please type it in, or take a sharper photo "
            "of the whole card in good light."
        ),
        code="unreadable",
    )


def _not_an_image() -> CardImageError:
    return CardImageError(
        _(
            "This file is not a photo. Take a photo of the business card (JPEG or PNG) or type it in."
        ),
        code="not_image",
    )


def _open_checked(data: bytes) -> Image.Image:
    """Open the photo after checking size, format, dimensions and integrity, in that order.

    Everything that can be refused without decoding pixels is refused first, so a hostile
    upload costs almost nothing.
    """
    limit = max_bytes()
    if len(data) > limit:
        raise CardImageError(
            _("This photo is larger than %(size)s MB. Take a smaller photo or type the card in.")
            % {"size": f"{limit / (1024 * 1024):g}"},
            code="too_large",
        )
    if not data:
        raise _not_an_image()
    try:
        # Pillow's own bomb check warns between its limit and twice it; make the warning fatal
        # so it cannot slip through as a log line.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                image_format = probe.format
                width, height = probe.size
                if image_format not in ACCEPTED_FORMATS:
                    raise _not_an_image()
                if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                    raise CardImageError(
                        _(
                            "This image is too large (%(width)s x %(height)s pixels). "
                            "Take an ordinary photo of the card or type it in."
                        )
                        % {"width": width, "height": height},
                        code="too_many_pixels",
                    )
                # verify() checks the file's structure (chunk checksums, markers) without
                # decoding; it leaves the image unusable, hence the second open below.
                probe.verify()
            opened = Image.open(io.BytesIO(data))
            if opened.format in ("JPEG", "MPO"):
                # Decode a 12-50 megapixel phone photo at a fraction of its size straight from
                # the JPEG's DCT data: the reading size is far smaller anyway.
                # draft() keeps every side at least as long as asked, so ask for the aspect.
                scale = min(1.0, 2 * WORK_LONG_SIDE / max(width, height))
                opened.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))
            opened.load()
            # Phones store the camera's orientation in EXIF instead of turning the pixels.
            image = ImageOps.exif_transpose(opened)
    except CardImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise CardImageError(
            _("This image is too large to process. Take an ordinary photo or type the card in."),
            code="too_many_pixels",
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        # UnidentifiedImageError: not an image; OSError/SyntaxError/EOFError: truncated or
        # corrupt data found by verify() or by decoding.
        raise _not_an_image() from exc
    return image


def _prepare(image: Image.Image) -> Image.Image:
    """RGB on white, at most WORK_LONG_SIDE pixels long."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        # Transparent parts become white paper, not black (the default of a bare convert).
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    else:
        image = image.convert("RGB")
    if max(image.size) > WORK_LONG_SIDE:
        image.thumbnail((WORK_LONG_SIDE, WORK_LONG_SIDE), Image.Resampling.LANCZOS)
    return image


@functools.cache
def engine() -> Any:
    """The RapidOCR engine, loaded once per process (about two seconds, ~30 MB of models)."""
    # Imported here so that Django, the tests and the management commands that never read a
    # card do not pay for ONNX Runtime and OpenCV.
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(
        # The detector sees the photo at most 960 pixels long (its default enlarges a card to
        # 736 on the short side): twice as fast, and a card's smallest print stays legible.
        det_limit_type="max",
        det_limit_side_len=960,
        # One line at a time: a batch pads every line to the widest one's length, and the
        # padding is most of the work on a card's mix of long addresses and short names.
        rec_batch_num=1,
        # One thread per card: the web server runs requests side by side, and on a shared
        # CPU ONNX Runtime's spinning thread pool costs more than it gains.
        intra_op_num_threads=1,
        inter_op_num_threads=1,
    )


def ocr_lines(image: Image.Image) -> list[tuple[str, float]]:
    """The text boxes RapidOCR finds, in reading order, with their text's height in pixels."""
    result, _elapsed = engine()(_prepare(image))
    lines: list[tuple[str, float]] = []
    for box, text, score in result or []:
        text = str(text).strip()
        if text and float(score) >= MIN_SCORE:
            # The box's corners go clockwise from the top left: its left and right edges.
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = box
            height = (math.dist((x0, y0), (x3, y3)) + math.dist((x1, y1), (x2, y2))) / 2
            lines.append((text, height))
    return lines


def read_card(data: bytes) -> CardFields:
    """Read a business-card photo; raise CardImageError with a message for the staff."""
    image = _open_checked(data)
    short, long = sorted(image.size)
    if short < MIN_SIDE or long > MAX_ASPECT * short:
        # A sliver or a strip holds no card (one is 1.6 times as wide as tall), and the
        # engine would stretch it to thousands of pixels before finding nothing.
        raise _unreadable()
    try:
        lines = ocr_lines(image)
    except Exception as exc:
        # The engine's failures on odd images (OpenCV or ONNX Runtime errors on degenerate
        # sizes) are, for the person at the booth, an unreadable card: they type it in. The
        # log keeps the trace for whoever looks after the server.
        logger.exception("Business-card OCR failed on a %sx%s image", *image.size)
        raise _unreadable() from exc
    found = extract_fields([text for text, _ in lines], [height for _, height in lines])
    if found.is_empty():
        raise _unreadable()
    return found


# --- fields from text lines --------------------------------------------------------------

# Labels printed before values, longest first so that "Address" wins over "Add" and "电子邮箱"
# over "邮箱". English words and single letters (M: T: E:) are labels only before a colon or,
# for numbers, right before the number (see _label_pattern).
_LABELS: dict[str, tuple[str, ...]] = {
    "mobile": ("移动电话", "手机号码", "手机", "mobile phone", "mobile", "mob", "cell", "m"),
    "fax": ("传真", "fax", "f"),
    "phone": (
        "办公电话",
        "固定电话",
        "联系电话",
        "电话",
        "座机",
        "总机",
        "telephone",
        "phone",
        "office",
        "tel",
        "ph",
        "t",
    ),
    "email": ("电子邮箱", "电子邮件", "邮箱", "邮件", "e-mail", "email", "mail", "e"),
    "website": ("公司网址", "网址", "网站", "主页", "website", "web", "url", "w"),
    "address": ("公司地址", "地址", "address", "addr", "add", "a"),
    # Printed on cards but not collected: read so that their numbers are not taken for phones.
    "other": ("邮编", "邮政编码", "微信", "qq", "wechat", "postcode", "zip", "skype"),
}


_NUMBER_KINDS = frozenset({"mobile", "phone", "fax", "other"})


def _label_pattern() -> re.Pattern[str]:
    alternatives = []
    for kind, words in _LABELS.items():
        cjk = [re.escape(w) for w in words if not w.isascii()]
        long_latin = [re.escape(w) for w in words if w.isascii() and len(w) > 1]
        single = [re.escape(w) for w in words if w.isascii() and len(w) == 1]
        # An English word is a label only before a colon (or, for numbers, before the number):
        # "Office Tower" and "Add" in an address must stay text. A Chinese label must not be
        # the middle of a word (手机配件有限公司 is a company, not a mobile number).
        then = r"\.?\s*(?::|(?=[+\d(]))" if kind in _NUMBER_KINDS else r"\.?\s*:"
        parts = []
        if cjk:
            parts.append(rf"(?<![\u3400-\u9fff])(?:{'|'.join(cjk)})\s*[:.]?")
        if long_latin:
            parts.append(rf"(?<![A-Za-z])(?:{'|'.join(long_latin)})(?![A-Za-z]){then}")
        if single:
            # Not a letter inside a word, an e-mail or a floor ("12/F 1 Zhongxin Road").
            parts.append(rf"(?<![A-Za-z0-9@.'/])(?:{'|'.join(single)}){then}")
        alternatives.append(rf"(?P<{kind}>{'|'.join(parts)})")
    return re.compile("|".join(alternatives), re.IGNORECASE)


_LABEL_RE = _label_pattern()
# "电话/传真" and "Tel/Fax": one number for both, kept as the phone.
_TEL_FAX_RE = re.compile(r"(电话|tel|phone)\s*[/&]\s*(传真|fax)", re.IGNORECASE)
_EMAIL_RE = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
_URL_RE = re.compile(
    r"(?:https?://)?(?:www\.)?[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?:/[^\s]*)?",
    re.IGNORECASE,
)
_TLDS = ("com", "cn", "net", "org", "biz", "info", "io", "co", "de", "jp", "hk", "tw", "uk")
# A number: optional +country, digits with spaces, dashes, dots or brackets between them.
_NUMBER_RE = re.compile(r"(?:\+|00)?\(?\d[\d\s\-().]{5,}\d")
_EXTENSION_RE = re.compile(r"^\s*(?:转|分机|ext\.?|extn\.?|x|#)\s*(\d{1,6})", re.IGNORECASE)
_CHINESE_MOBILE_RE = re.compile(r"^(1[3-9]\d{9})$")
# Written with a country code, a Chinese mobile must say 86 (+1 312 555 0188 is Chicago).
_CHINESE_MOBILE_INTL_RE = re.compile(r"^(?:86|0086)(1[3-9]\d{9})$")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")

_COMPANY_CJK = (
    "有限公司",
    "有限责任公司",
    "股份公司",
    "集团",
    "公司",
    "研究院",
    "研究所",
    "事务所",
)
_COMPANY_CJK_ENDINGS = ("厂", "商行", "工作室", "商贸", "贸易")
_COMPANY_LATIN = re.compile(
    r"\b(?:co\.?,?\s*ltd|co|ltd|limited|inc|incorporated|corp|corporation|llc|gmbh|plc|group|"
    r"company|technologies|technology|industries|enterprises?|trading|electronics|holdings?|"
    r"manufacturing|international)\b",
    re.IGNORECASE,
)
# Words a title starts with that also start with a surname (高级经理 is not Mr Gao).
_TITLE_PREFIXES = (
    "高级",
    "资深",
    "首席",
    "区域",
    "大区",
    "华东",
    "华南",
    "华北",
    "华中",
    "西南",
    "西北",
    "东北",
    "海外",
    "国际",
    "技术",
    "市场",
    "项目",
    "客户",
    "大客户",
    "产品",
    "研发",
    "行政",
    "人事",
    "财务",
    "运营",
    "执行",
    "常务",
    "董事",
    "副总",
    "总",
    "副",
    "采购",
    "销售",
    "业务",
    "商务",
    "营销",
    "质量",
    "品质",
    "生产",
    "工程",
    "常",
    "首",
)
# What a department, region or place ends with: 华东区 or 市场部 is not a person.
_NOT_NAME_ENDINGS = tuple("部区处科组室厂店司省市县路街")
_TITLE_CJK = (
    "总经理",
    "副总经理",
    "董事长",
    "董事",
    "总裁",
    "副总",
    "总监",
    "经理",
    "工程师",
    "主管",
    "主任",
    "销售",
    "代表",
    "顾问",
    "专员",
    "助理",
    "采购",
    "部长",
    "厂长",
    "总工",
    "创始人",
    "合伙人",
    "秘书",
    "会计",
    "设计师",
)
_TITLE_LATIN = re.compile(
    r"\b(?:ceo|cto|cfo|coo|cmo|vp|gm|president|vice|manager|director|engineer|sales|"
    r"representative|consultant|specialist|assistant|officer|head|founder|partner|chairman|"
    r"supervisor|buyer|purchasing|executive|lead|architect|designer|coordinator|analyst|"
    r"secretary|accountant|owner)\b",
    re.IGNORECASE,
)
_ADDRESS_CJK = (
    "省",
    "市",
    "区",
    "县",
    "镇",
    "村",
    "路",
    "街",
    "道",
    "号",
    "大厦",
    "楼",
    "室",
    "园",
    "广场",
    "座",
)
_ADDRESS_LATIN = re.compile(
    r"\b(?:road|rd|street|st|avenue|ave|boulevard|blvd|lane|district|building|bldg|floor|fl|"
    r"room|rm|suite|tower|plaza|park|zone|province|city|county|town|village|no|china|"
    r"industrial\s+park|block|unit)\b\.?",
    re.IGNORECASE,
)
# Common surnames (百家姓's most frequent plus compound ones): they tell a name from a
# two-to-four character word such as a slogan or a department.
_SURNAMES_COMPOUND = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "令狐",
    "司徒",
    "夏侯",
)
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)


def _normalise_text(line: str) -> str:
    # NFKC turns full-width letters, digits and colons (：) into ASCII; collapse spaces.
    text = unicodedata.normalize("NFKC", line)
    return re.sub(r"\s+", " ", text).strip()


def _has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))


def _segments(line: str) -> list[tuple[str, str]]:
    """Split a line into (label kind, value) pairs; text before any label has kind ""."""
    line = _TEL_FAX_RE.sub(r"\1", line)
    matches = list(_LABEL_RE.finditer(line))
    if not matches:
        return [("", line)]
    pieces: list[tuple[str, str]] = []
    if matches[0].start() > 0:
        pieces.append(("", line[: matches[0].start()]))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
        kind = match.lastgroup or ""
        pieces.append((kind, line[match.end() : end]))
    return [(kind, value.strip(" ,;|/")) for kind, value in pieces]


def _extension(after: str) -> str:
    """The extension written after a number (转 8012, 分机 203, ext. 12), else ""."""
    explicit = _EXTENSION_RE.match(after)
    return explicit.group(1) if explicit else ""


def _parse_number(raw: str, extension: str) -> phonenumbers.PhoneNumber | None:
    region = settings.PHONENUMBER_DEFAULT_REGION
    candidates = [(raw, extension)]
    # 0755-88886666-8012: a Chinese extension after a dash.
    dashed = re.match(r"^(.*\d)\s*-\s*(\d{1,5})$", raw)
    if dashed and not extension:
        candidates.append((dashed.group(1), dashed.group(2)))
    for text, ext in candidates:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            if ext:
                number.extension = ext
            return number
    return None


def _format_number(number: phonenumbers.PhoneNumber) -> str:
    main = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return f"{main} ext. {number.extension}" if number.extension else main


def _numbers(value: str, *, labelled: bool = False) -> list[tuple[str, bool]]:
    """Phone numbers in a piece of text: (formatted number, is a mobile).

    Without a label only valid numbers count: OCR reads a row of dots or circles as 0000….
    """
    found: list[tuple[str, bool]] = []
    # A slash separates two numbers (0755-1234 5678 / 1234 5679); never part of one.
    for part in value.split("/"):
        for match in _NUMBER_RE.finditer(part):
            raw = match.group(0).strip(" -.()")
            digits = re.sub(r"\D", "", raw)
            if len(digits) < 7:
                continue
            ext = _extension(part[match.end() :])
            international = raw.startswith(("+", "00"))
            chinese_mobile = (
                _CHINESE_MOBILE_INTL_RE if international else _CHINESE_MOBILE_RE
            ).match(digits)
            if chinese_mobile:
                found.append((_validation_safe_mobile(chinese_mobile.group(1)), True))
                continue
            number = _parse_number(raw, ext)
            if number is not None:
                mobile = phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
                found.append((_format_number(number), mobile))
            elif len(digits) > 15 and (pair := _two_numbers(raw)):
                # Two numbers read as one run (138 1234 5678 0755 8888 6666).
                found.extend(pair)
            elif labelled:
                # After "Tel:", a number phonenumbers does not know (a misread digit): keep what
                # was read so the staff member corrects it instead of typing it all.
                found.append((raw, False))
    return found


def _two_numbers(raw: str) -> list[tuple[str, bool]]:
    """Split a run of digits at the space where both halves are valid numbers."""
    words = raw.split()
    for cut in range(1, len(words)):
        halves = [_numbers(" ".join(words[:cut])), _numbers(" ".join(words[cut:]))]
        if all(len(h) == 1 and h[0][0].startswith("+") for h in halves):
            return [halves[0][0], halves[1][0]]
    return []


def _is_company(text: str) -> bool:
    if _has_cjk(text):
        return any(s in text for s in _COMPANY_CJK) or text.endswith(_COMPANY_CJK_ENDINGS)
    return bool(_COMPANY_LATIN.search(text))


def _decamel(text: str) -> str:
    """SalesDirector → Sales Director: OCR drops the space between Latin words."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)


def _is_title(text: str) -> bool:
    if _has_cjk(text):
        chinese = _cjk_part(text).replace(" ", "")
        return any(word in chinese for word in _TITLE_CJK) and len(chinese) <= 16
    latin = _decamel(text)
    return bool(_TITLE_LATIN.search(latin)) and len(latin.split()) <= 8


def _is_address(text: str) -> bool:
    if _has_cjk(text):
        compact = text.replace(" ", "")
        hits = sum(1 for k in _ADDRESS_CJK if k in compact)
        return len(compact) >= 6 and (hits >= 2 or (hits >= 1 and bool(re.search(r"\d", compact))))
    hits = len(_ADDRESS_LATIN.findall(text))
    return hits >= 2 or (hits >= 1 and bool(re.search(r"\d", text)) and "," in text)


def _chinese_name(text: str) -> str:
    compact = text.replace(" ", "").replace("\u00b7", "")
    if not re.fullmatch(r"[\u3400-\u9fff]{2,4}", compact) or compact.endswith(_NOT_NAME_ENDINGS):
        return ""
    if compact[:2] in _SURNAMES_COMPOUND or compact[0] in _SURNAMES:
        return compact
    return ""


def _latin_name(text: str) -> str:
    text = _decamel(text)
    words = text.replace(",", " ").split()
    if not 2 <= len(words) <= 4:
        return ""
    for word in words:
        if not re.fullmatch(r"[A-Z][A-Za-z'\-]*\.?|[A-Z]\.", word):
            return ""
    if _TITLE_LATIN.search(text) or _COMPANY_LATIN.search(text) or _ADDRESS_LATIN.search(text):
        return ""
    return " ".join(words)


def _split_name_title(text: str) -> tuple[str, str]:
    """张伟销售总监 or 张伟 销售总监 (one OCR box): the name and the title, else ("", "")."""
    compact = text.replace(" ", "")
    if not re.fullmatch(r"[\u3400-\u9fff]{4,20}", compact):
        return "", ""
    for size in (2, 3, 4):
        name, rest = compact[:size], compact[size:]
        if (
            _chinese_name(name)
            and not name.startswith(_TITLE_PREFIXES)
            and _is_title(rest)
            and not _is_title(name)
        ):
            return name, rest
    return "", ""


def _cjk_part(text: str) -> str:
    """销售总监 Sales Director → 销售总监: the Chinese half of a bilingual line.

    OCR often drops the space (总经理General Manager), so the cut is from the first to the
    last Chinese character.
    """
    chinese = re.search(r"[\u3400-\u9fff](?:.*[\u3400-\u9fff])?", text)
    return chinese.group(0) if chinese else text


def _website(value: str) -> str:
    match = _URL_RE.search(value)
    return match.group(0).rstrip(".,;") if match else ""


def _bare_website(text: str) -> str:
    """A line that is nothing but a web address: www.x.com, http://x.cn, or x.com.cn."""
    candidate = text.strip()
    if "@" in candidate or " " in candidate:
        return ""
    match = _URL_RE.fullmatch(candidate)
    if not match:
        return ""
    lowered = candidate.lower()
    if lowered.startswith(("http", "www.")):
        return candidate
    host = lowered.split("/")[0]
    return candidate if host.rsplit(".", 1)[-1] in _TLDS else ""


def extract_fields(lines: list[str], heights: list[float] | None = None) -> CardFields:
    """Fields of a business card from its OCR text lines, in reading order.

    Labelled values (手机, Tel:, E-mail, 地址 …) are taken for what their label says; the
    rest is recognised by its shape (a mobile number, an address, a company suffix, a title
    word, a name). When a bilingual card says a thing twice, the Chinese wins: that is what
    the company records. The first value found for a field wins, except for the name: with
    the `heights` of the lines' text (from the OCR boxes), the largest print wins, because a
    card prints its person's name larger than a department or a brand word.
    """
    result = CardFields()
    # Candidates that are not labelled: collected, then chosen with the Chinese preferred.
    companies: list[str] = []
    titles: list[str] = []
    addresses: list[str] = []
    names: list[tuple[str, float]] = []
    loose_numbers: list[tuple[str, bool]] = []
    last_address_index = -2

    def set_once(field: str, value: str) -> None:
        if value and not getattr(result, field):
            setattr(result, field, value)

    normalised = [_normalise_text(line) for line in lines]
    # A label OCR read as a box of its own ("传真" in a column of labels, the number in the
    # next box of the row) applies to the next box.
    pending = ""
    for index, line in enumerate(normalised):
        if not line:
            continue
        unlabelled: list[str] = []
        height = heights[index] if heights and index < len(heights) else 0.0
        segments = _segments(line)
        if pending and segments[0][0] == "":
            segments[0] = (pending, segments[0][1])
        pending = ""
        if len(segments) == 1 and segments[0][0] and not segments[0][1]:
            pending = segments[0][0]
            continue
        for kind, value in segments:
            if not value:
                continue
            if kind in ("mobile", "phone"):
                numbers = _numbers(value, labelled=True)
                if numbers:
                    number, is_mobile = numbers[0]
                    # "电话 / T:" before a mobile number is common; the mobile field is the one
                    # that finds the customer again, so a mobile goes there.
                    set_once("mobile" if is_mobile and not result.mobile else kind, number)
                    loose_numbers.extend(numbers[1:])
                continue
            if kind in ("fax", "other"):
                continue
            if kind == "email":
                match = _EMAIL_RE.search(value.replace(" ", ""))
                set_once("email", match.group(0) if match else "")
                continue
            if kind == "website":
                set_once("website", _website(value.replace(" ", "")))
                continue
            if kind == "address":
                addresses.append(value)
                last_address_index = index
                continue
            # "a@b.com | www.b.com": a bar separates two things on one printed line.
            unlabelled.extend(part.strip() for part in value.split("|") if part.strip())

        for text in unlabelled:
            emails = _EMAIL_RE.findall(text.replace(" ", ""))
            if emails:
                set_once("email", emails[0])
                continue
            site = _bare_website(text) or (
                _website(text) if re.search(r"(?i)https?://|www\.", text) else ""
            )
            if site:
                set_once("website", site)
                continue
            numbers = _numbers(text)
            digits = len(re.sub(r"\D", "", text))
            letters = len(re.sub(r"[\d\W_]", "", text))
            if numbers and digits >= letters:
                loose_numbers.extend(numbers)
                continue
            latin_address = not _has_cjk(text) and re.search(r"\d", text) and _is_address(text)
            if _is_company(text) and not latin_address:
                companies.append(text)
            elif _is_address(text):
                # An address printed over two lines continues the labelled or found one.
                if last_address_index == index - 1 and addresses:
                    # The line broke at a comma, which the label's value lost.
                    joiner = "" if _has_cjk(addresses[-1]) else ", "
                    addresses[-1] = f"{addresses[-1]}{joiner}{text}"
                else:
                    addresses.append(text)
                last_address_index = index
            elif (pair := _split_name_title(text)) != ("", ""):
                names.append((pair[0], height))
                titles.append(pair[1])
            elif _is_title(text):
                # Before the name: 高级经理 and 董事长 start with a surname.
                titles.append(_cjk_part(text) if _has_cjk(text) else _decamel(text))
            elif _chinese_name(text):
                names.append((_chinese_name(text), height))
            elif name := _latin_name(text):
                names.append((name, height))
            elif " " in text and _has_cjk(text):
                # 张伟 Zhang Wei, or 张伟 销售总监 read as one box with a space.
                head, _sep, tail = text.partition(" ")
                if _chinese_name(head):
                    names.append((_chinese_name(head), height))
                    if _is_title(tail):
                        titles.append(_cjk_part(tail))

    for number, is_mobile in loose_numbers:
        if is_mobile:
            set_once("mobile", number)
        else:
            set_once("phone", number)

    def first_preferring_chinese(candidates: list[str]) -> str:
        for candidate in candidates:
            if _has_cjk(candidate):
                return candidate
        return candidates[0] if candidates else ""

    result.company = first_preferring_chinese(companies)
    result.title = first_preferring_chinese(titles)
    result.address = first_preferring_chinese(addresses)
    chinese_names = [n for n in names if _has_cjk(n[0])] or names
    if chinese_names:
        # max() keeps the first of equal heights, so without heights the first name wins.
        result.name = max(chinese_names, key=lambda n: n[1])[0]
    return result


def _validation_safe_mobile(value: str) -> str:
    """The mobile in E.164 if it is a valid number, else as read."""
    try:
        return normalize_phone(value)
    except ValidationError:
        return value
