"""How one hotline export's columns and values become a complaint's fields: guessed from
the headers (Chinese or English), corrected by the user, saved by name and reused.

A mapping is plain JSON (saved in ImportMapping, or passed to the command line):

    {"columns": {"external_id": "工单编号", "received_at": "受理时间", ...},
     "values": {"channel": {"市长热线": "hotline"}, "unit": {"供电公司": "市供电公司"}},
     "defaults": {"channel": "hotline", "category": "其他"}}
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from db.models import ComplaintChannel
from services.core.errors import ValidationFailed

# Field -> headers that name it, as hotline systems and open-data portals write them.
HEADERS: dict[str, tuple[str, ...]] = {
    "external_id": ("工单编号", "工单号", "受理编号", "案件编号", "投诉编号", "编号", "ticket id",
                    "ticket no", "ticket number", "case id", "case number", "external id",
                    "service request number", "request id", "id"),
    "received_at": ("受理时间", "来电时间", "登记时间", "接收时间", "投诉时间", "创建时间",
                    "派单时间", "日期", "received", "received at", "created date", "created",
                    "open date", "date"),
    "channel": ("来源渠道", "受理渠道", "来源", "渠道", "投诉方式", "反映方式", "channel",
                "source channel", "intake channel"),
    "complainant_name": ("投诉人姓名", "投诉人", "来电人", "诉求人", "反映人", "联系人", "姓名",
                         "name", "complainant", "caller", "caller name"),
    "complainant_phone": ("联系电话", "来电号码", "电话", "手机号码", "手机号", "手机", "phone",
                          "telephone", "contact phone", "phone number"),
    "complainant_address": ("联系地址", "地址", "住址", "address"),
    "unit": ("被投诉单位", "承办单位", "责任单位", "涉及单位", "办理单位", "单位", "unit",
             "agency", "department", "responsible unit"),
    "district": ("所属区县", "所属区域", "所属区", "区县", "区域", "区镇", "district", "borough",
                 "area"),
    "category": ("投诉类别", "问题类别", "问题分类", "诉求类型", "类别", "category",
                 "complaint type", "type"),
    "content": ("投诉内容", "诉求内容", "来电内容", "反映内容", "问题描述", "内容", "content",
                "description", "details", "complaint"),
    "escalated": ("是否越级", "越级上访", "越级", "escalated"),
    "deadline": ("办理时限", "办结时限", "截止日期", "deadline", "due date"),
}
FIELDS = tuple(HEADERS)
REQUIRED = ("external_id", "received_at", "content")
# Fields whose values are names the user may map onto what the city calls them.
VALUE_FIELDS = ("channel", "unit", "district", "category")

# What hotline exports call the channels.
CHANNEL_NAMES: dict[str, str] = {
    "来电": ComplaintChannel.PHONE, "电话": ComplaintChannel.PHONE,
    "phone": ComplaintChannel.PHONE, "call": ComplaintChannel.PHONE,
    "来信": ComplaintChannel.LETTER, "信件": ComplaintChannel.LETTER,
    "letter": ComplaintChannel.LETTER, "mail": ComplaintChannel.LETTER,
    "来访": ComplaintChannel.VISIT, "上访": ComplaintChannel.VISIT,
    "visit": ComplaintChannel.VISIT, "walk-in": ComplaintChannel.VISIT,
    "网络": ComplaintChannel.ONLINE, "网站": ComplaintChannel.ONLINE,
    "微信": ComplaintChannel.ONLINE, "app": ComplaintChannel.ONLINE,
    "online": ComplaintChannel.ONLINE, "web": ComplaintChannel.ONLINE,
    "12345": ComplaintChannel.HOTLINE, "12345热线": ComplaintChannel.HOTLINE,
    "热线": ComplaintChannel.HOTLINE, "市长热线": ComplaintChannel.HOTLINE,
    "hotline": ComplaintChannel.HOTLINE, "311": ComplaintChannel.HOTLINE,
    "省纠风网": ComplaintChannel.PROVINCIAL, "纠风网": ComplaintChannel.PROVINCIAL,
    "省纪委纠风网": ComplaintChannel.PROVINCIAL, "provincial": ComplaintChannel.PROVINCIAL,
    "其他": ComplaintChannel.OTHER, "other": ComplaintChannel.OTHER,
} | {c.value: c.value for c in ComplaintChannel}
DEFAULTS = {"channel": ComplaintChannel.HOTLINE.value, "category": "其他"}
YES = frozenset({"是", "y", "yes", "true", "1", "越级", "√"})
NO = frozenset({"", "否", "n", "no", "false", "0"})
SUGGESTIONS = 3
SUGGESTION_CUTOFF = 50


def key(text: str) -> str:
    """How names compare: full-width forms as ASCII, case and inner spaces ignored."""
    text = unicodedata.normalize("NFKC", text or "").strip().lower()
    return "".join(ch for ch in text if ch not in " _*:：")


_ALIASES = {key(alias): name for name, aliases in HEADERS.items() for alias in aliases}


def field_of(header: str) -> str | None:
    return _ALIASES.get(key(header))


def header_score(cells: list[str]) -> int:
    """How many cells of a row are known header names (tables.open_table finds the header
    row, below a title, with it)."""
    return sum(field_of(c) is not None for c in cells if c)


@dataclass
class Mapping:
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=lambda: dict(DEFAULTS))

    def missing(self, header: list[str]) -> list[str]:
        """Required fields with no column, or with a column the file does not have."""
        present = set(header)
        return [f for f in REQUIRED if self.columns.get(f) not in present]

    def value(self, name: str, raw: str) -> str:
        """The user's mapping of a raw value (exact text first, then as names compare)."""
        table = self.values.get(name) or {}
        if raw in table:
            return table[raw]
        wanted = key(raw)
        for source, target in table.items():
            if key(source) == wanted:
                return target
        return raw

    def to_json(self) -> dict[str, Any]:
        return {"columns": dict(self.columns), "values": {k: dict(v) for k, v in
                                                         self.values.items() if v},
                "defaults": dict(self.defaults)}

    @classmethod
    def from_json(cls, data: Any) -> Mapping:
        """A mapping as saved or typed; anything malformed is refused, never half-read."""
        if isinstance(data, str | bytes):
            try:
                data = json.loads(data)
            except ValueError as exc:
                raise ValidationFailed("complaint_import.mapping_invalid") from exc
        if not isinstance(data, dict):
            raise ValidationFailed("complaint_import.mapping_invalid")
        columns, values = data.get("columns", {}), data.get("values", {})
        defaults = data.get("defaults", DEFAULTS)
        if not (_str_map(columns) and _str_map(defaults) and isinstance(values, dict)
                and all(_str_map(v) for v in values.values())):
            raise ValidationFailed("complaint_import.mapping_invalid")
        unknown = (set(columns) | set(values) | set(defaults)) - set(FIELDS)
        if unknown:
            raise ValidationFailed("complaint_import.mapping_field_unknown",
                                   name=sorted(unknown)[0])
        return cls(dict(columns), {k: dict(v) for k, v in values.items()}, dict(defaults))


def _str_map(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items())


def guess(header: list[str]) -> Mapping:
    """Each field gets the first column whose header names it; a header that only contains
    a name (投诉内容（摘要）) counts when no column names the field exactly."""
    columns: dict[str, str] = {}
    for column in header:
        name = field_of(column)
        if name and name not in columns:
            columns[name] = column
    for name, aliases in HEADERS.items():
        if name in columns:
            continue
        taken = set(columns.values())
        for column in header:
            if column not in taken and any(len(a) >= 2 and not a.isascii() and a in column
                                           for a in aliases):
                columns[name] = column
                break
    return Mapping(columns=columns)


def channel_of(raw: str, mapping: Mapping) -> str | None:
    mapped = mapping.value("channel", raw)
    return CHANNEL_NAMES.get(mapped) or CHANNEL_NAMES.get(key(mapped))


def escalated_of(raw: str) -> bool | None:
    text = key(raw)
    if text in YES:
        return True
    if text in NO:
        return False
    return None


def suggest(raw: str, choices: list[str], limit: int = SUGGESTIONS) -> list[str]:
    """Close names for one the city does not know (市供电局 -> 市供电公司). Compared
    character by character: Chinese names have no spaces to split words on."""
    found = process.extract(raw, choices, scorer=fuzz.ratio, limit=limit,
                            score_cutoff=SUGGESTION_CUTOFF)
    return [name for name, _score, _index in found]
