"""政府信息公开指南: the agency's settings the disclosure guide is built from.

条例 2019 第十二条第二款 lists what a guide holds: the classification and arrangement of the
information (the site builds that part from its own columns), how to obtain it, and the name,
office address, office hours, telephone, fax and internet contact of the 政府信息公开工作机构.
`DisclosureGuide` is that data as a frozen value; the time limits and the fee rules in force are
not part of it: the site reads them from `govdisclose.params` and `govdisclose.fees` on the day
it is built, each with its article, so the guide changes when the law does.

Two ways to give it:

* a TOML file (`load_guide`, option ``static_site.guide``)::

      agency = "city-gov"
      updated_on = 2025-12-01
      supervisor = "某市人民政府办公室"          # 政府信息公开工作主管部门 (第四十七条)
      reconsideration = "某市人民政府"           # 行政复议机关 (第五十一条)
      court = "某市某区人民法院"                 # 行政诉讼 (第五十一条)

      [[office]]                                 # 政府信息公开工作机构 (第四条、第十二条)
      name = "某市人民政府办公室政务公开科"
      address = "某市某区某路1号"
      postcode = "310000"
      hours = "工作日 9:00—12:00，13:30—17:00"
      phone = "0571-00000000"
      fax = "0571-00000001"
      email = "xxgk@example.gov.cn"

      [[channel]]                                # 申请渠道 (第二十九条、第三十一条)
      channel = "in_person"                      # a govdisclose.vocab.Channel code
      detail = "某市某区某路1号政务公开科"

      [[reading_room]]                           # 查阅场所 (第二十五条)
      name = "某市档案馆政府信息查阅中心"
      address = "某市某区某路2号"

* plugin options for a single office (`guide_from_options`): ``static_site.guide.agency``,
  ``.office``, ``.address``, ``.postcode``, ``.hours``, ``.phone``, ``.fax``, ``.email``,
  ``.apply_url`` (an online application form), ``.updated_on`` (ISO date), ``.supervisor``,
  ``.reconsideration``, ``.court``. The application channels follow from what is given: in
  person and by post at the address, online at ``apply_url``, by fax and by e-mail.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import attrs
from attrs import field, frozen

from govdisclose.errors import DeserializationError
from govdisclose.serde import make_converter, structure
from govdisclose.vocab import Channel
from govdisclose_static_site.errors import StaticSiteError

__all__ = [
    "ApplyChannel",
    "DisclosureGuide",
    "Office",
    "ReadingRoom",
    "guide_from_mapping",
    "guide_from_options",
    "load_guide",
]

#: The option prefix of `guide_from_options`.
OPTION_PREFIX = "static_site.guide."


def _text(inst: Any, att: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise StaticSiteError(
            f"指南的 {att.name} 不能为空",
            f"the guide's {att.name} must be a non-empty text",
            field=att.name,
            code="static_site.bad_guide",
        )


def _opt_text(inst: Any, att: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _text(inst, att, value)


@frozen
class Office:
    """政府信息公开工作机构: the body that handles disclosure (条例 2019 第四条、第十二条).

    :param hours: 办公时间, as the office words it.
    :param website: 互联网联系方式 other than e-mail (a contact page).
    """

    name: str = field(validator=_text)
    address: str = field(validator=_text)
    hours: str = field(validator=_text)
    phone: str = field(validator=_text)
    postcode: str | None = field(default=None, validator=_opt_text)
    fax: str | None = field(default=None, validator=_opt_text)
    email: str | None = field(default=None, validator=_opt_text)
    website: str | None = field(default=None, validator=_opt_text)


@frozen
class ApplyChannel:
    """One way to apply (条例 2019 第二十九条: in writing, letters and data messages included;
    第三十一条 fixes the receipt date of each channel).

    :param channel: how the application arrives.
    :param detail: where: the address, the form's URL, the fax number or mailbox.
    """

    channel: Channel
    detail: str = field(validator=_text)


@frozen
class ReadingRoom:
    """政府信息查阅场所 (条例 2019 第二十五条)."""

    name: str = field(validator=_text)
    address: str = field(validator=_text)
    hours: str | None = field(default=None, validator=_opt_text)


def _offices(inst: Any, att: attrs.Attribute[Any], value: tuple[Office, ...]) -> None:
    if not value:
        raise StaticSiteError(
            "指南至少要写明一个政府信息公开工作机构（条例第十二条）",
            "the guide needs at least one disclosure office (条例 2019 第十二条)",
            field="offices",
            code="static_site.bad_guide",
        )


@frozen
class DisclosureGuide:
    """What the agency tells the public in its 政府信息公开指南 (条例 2019 第十二条).

    :param agency: the code of the agency the guide is for (its name comes from the store).
    :param updated_on: when these settings last changed; the guide shows the later of this and
        the day the time limits and fee rules it cites took effect.
    :param offices: the 政府信息公开工作机构 (at least one).
    :param channels: the ways to apply; none given: in person and by post at the first office.
    :param reading_rooms: the 查阅场所 where proactive information can be read.
    :param supervisor: the 政府信息公开工作主管部门 that takes complaints (第四十七条第二款).
    :param reconsideration: the body that hears 行政复议 (第五十一条).
    :param court: the court that hears 行政诉讼 (第五十一条).
    :param note: a paragraph of the agency's own, printed at the end of the guide.
    """

    agency: str = field(validator=_text)
    updated_on: date
    offices: tuple[Office, ...] = field(validator=_offices)
    channels: tuple[ApplyChannel, ...] = ()
    reading_rooms: tuple[ReadingRoom, ...] = ()
    supervisor: str | None = field(default=None, validator=_opt_text)
    reconsideration: str | None = field(default=None, validator=_opt_text)
    court: str | None = field(default=None, validator=_opt_text)
    note: str = ""

    @property
    def apply_channels(self) -> tuple[ApplyChannel, ...]:
        """The channels to show: those given, else in person and by post at the first office."""
        if self.channels:
            return self.channels
        office = self.offices[0]
        return (
            ApplyChannel(Channel.IN_PERSON, f"{office.name}（{office.address}）"),
            ApplyChannel(Channel.POST, _postal(office)),
        )


def _postal(office: Office) -> str:
    code = f"，邮编{office.postcode}" if office.postcode else ""
    return f"{office.address}{code}，{office.name}收（信封请注明“政府信息公开申请”）"


_KEYS = {
    "office": "offices",
    "channel": "channels",
    "reading_room": "reading_rooms",
}


def _bad_guide(where: str, zh: str, en: str, path: str | None = None) -> StaticSiteError:
    return StaticSiteError(
        f"政府信息公开指南设置 {where} 有误：{zh}",
        f"the disclosure guide settings {where} are wrong: {en}",
        field=path or where,
        code="static_site.bad_guide",
    )


def guide_from_mapping(data: Mapping[str, Any], *, where: str = "guide") -> DisclosureGuide:
    """A guide from plain data in the TOML file's shape (``office``, ``channel``,
    ``reading_room`` are lists of tables)."""
    renamed = {_KEYS.get(k, k): v for k, v in data.items()}
    try:
        guide = structure(renamed, DisclosureGuide, converter=make_converter())
    except DeserializationError as err:
        # The path in the file's own words: [[office]], not the attribute offices.
        path = err.field or "$"
        zh, en = err.message_zh, err.message_en
        for key, attr in _KEYS.items():
            path = path.replace(f"$.{attr}[", f"$.{key}[")
            zh, en = zh.replace(f"$.{attr}[", f"$.{key}["), en.replace(f"$.{attr}[", f"$.{key}[")
        raise _bad_guide(where, zh, en, path) from err
    return guide


def load_guide(path: str | Path) -> DisclosureGuide:
    """The guide settings from a TOML file (the format is in the module's description).

    :raises StaticSiteError: code ``static_site.bad_guide``: the file cannot be read, is not
        TOML, lacks a field or has one of the wrong kind (the path names it).
    """
    where = str(path)
    try:
        data = tomllib.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise _bad_guide(where, f"无法读取（{err}）", f"cannot be read ({err})") from err
    except tomllib.TOMLDecodeError as err:
        raise _bad_guide(where, f"不是有效的 TOML（{err}）", f"not valid TOML ({err})") from err
    return guide_from_mapping(data, where=where)


def guide_from_options(options: Mapping[str, str]) -> DisclosureGuide | None:
    """The guide of a single office from ``static_site.guide.*`` options, or ``None`` when no
    such option is set.

    :raises StaticSiteError: code ``static_site.bad_guide``: a required option (``agency``,
        ``office``, ``address``, ``hours``, ``phone``, ``updated_on``) is missing, or
        ``updated_on`` is not an ISO date.
    """
    given = {k[len(OPTION_PREFIX) :]: v for k, v in options.items() if k.startswith(OPTION_PREFIX)}
    if not given:
        return None
    required = ("agency", "office", "address", "hours", "phone", "updated_on")
    missing = [k for k in required if not given.get(k)]
    if missing:
        names = ", ".join(OPTION_PREFIX + k for k in missing)
        raise _bad_guide("options", f"缺少选项 {names}", f"missing options {names}", OPTION_PREFIX)
    try:
        updated = date.fromisoformat(given["updated_on"])
    except ValueError as err:
        raise _bad_guide(
            "options",
            f"{OPTION_PREFIX}updated_on 应为日期 YYYY-MM-DD",
            f"{OPTION_PREFIX}updated_on must be an ISO date YYYY-MM-DD",
            OPTION_PREFIX + "updated_on",
        ) from err
    office = Office(
        name=given["office"],
        address=given["address"],
        hours=given["hours"],
        phone=given["phone"],
        postcode=given.get("postcode") or None,
        fax=given.get("fax") or None,
        email=given.get("email") or None,
    )
    channels = [
        ApplyChannel(Channel.IN_PERSON, f"{office.name}（{office.address}）"),
        ApplyChannel(Channel.POST, _postal(office)),
    ]
    if given.get("apply_url"):
        channels.append(ApplyChannel(Channel.ONLINE, given["apply_url"]))
    if office.fax:
        channels.append(ApplyChannel(Channel.FAX, office.fax))
    if office.email:
        channels.append(ApplyChannel(Channel.EMAIL, office.email))
    return DisclosureGuide(
        agency=given["agency"],
        updated_on=updated,
        offices=(office,),
        channels=tuple(channels),
        supervisor=given.get("supervisor") or None,
        reconsideration=given.get("reconsideration") or None,
        court=given.get("court") or None,
    )
