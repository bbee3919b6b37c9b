"""`NoticeOffice`: what the host tells the letters about the agency that signs them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
from attrs import field, frozen

from govdisclose.errors import ValidationError

__all__ = ["OFFICE_OPTIONS", "NoticeOffice"]


def _text(inst: Any, att: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip() or "\x00" in value:
        raise ValidationError(
            f"NoticeOffice.{att.name} 应为非空字符串，实际为 {value!r}",
            f"NoticeOffice.{att.name} must be a non-empty string, got {value!r}",
            field=att.name,
            code="notices.invalid_office",
        )


def _opt_text(inst: Any, att: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _text(inst, att, value)


#: The settings options `NoticeOffice.from_options` reads, by field.
OFFICE_OPTIONS: Mapping[str, str] = {
    "agency": "notices.agency",
    "review_body": "notices.review_body",
    "court": "notices.court",
    "number_prefix": "notices.number_prefix",
    "contact": "notices.contact",
    "payment": "notices.payment",
}


@frozen(kw_only=True)
class NoticeOffice:
    """The agency as its letters name it; the host supplies it (it is not in the events).

    :param agency: the name signed under the seal (发文机关署名), e.g. ``某市人民政府办公室``.
    :param review_body: the 行政复议机关 the remedies name (行政复议法 2023 第二十四条: for a
        department of a local government, usually that government).
    :param court: the court the remedies name for 行政诉讼 (行政诉讼法 第十八条).
    :param number_prefix: the 机关代字 of the 文号 (``某府信公``); without it a letter has no
        文号 line unless one is passed to `govdisclose.notices.compose`.
    :param contact: the contact line printed at the end of letters (联系人、电话、地址).
    :param payment: how to pay an information-processing fee (account, counter, online), printed
        in the fee notice (国办函〔2020〕109号: the notice states the payment method).
    """

    agency: str = field(validator=_text)
    review_body: str = field(validator=_text)
    court: str = field(validator=_text)
    number_prefix: str | None = field(default=None, validator=_opt_text)
    contact: str | None = field(default=None, validator=_opt_text)
    payment: str | None = field(default=None, validator=_opt_text)

    @classmethod
    def from_options(cls, options: Mapping[str, str]) -> NoticeOffice:
        """The office from settings options (`OFFICE_OPTIONS`: ``notices.agency``,
        ``notices.review_body``, ``notices.court``, and the optional ``notices.number_prefix``,
        ``notices.contact``, ``notices.payment``), e.g. ``Settings.options``.

        A missing required option is a `ValidationError` naming the option.
        """
        values: dict[str, str] = {}
        for name, option in OFFICE_OPTIONS.items():
            value = options.get(option)
            if value is not None:
                values[name] = value
        for name in ("agency", "review_body", "court"):
            if name not in values:
                option = OFFICE_OPTIONS[name]
                raise ValidationError(
                    f"缺少选项 {option}（文书落款、救济途径所需）",
                    f"option {option} is missing (letters need it for the signature and the "
                    "remedies)",
                    field=option,
                    code="notices.invalid_office",
                )
        return cls(**values)
