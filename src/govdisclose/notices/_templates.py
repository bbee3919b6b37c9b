"""The wording of the letters as data: the shipped official templates and checked overrides.

The templates live in ``govdisclose/notices/templates/*.toml`` (office staff can read and copy
them). Each is a `string.Template`: ``${name}`` is replaced by a text the library computed, and
nothing else happens, so a template from a local office cannot run code, read attributes or
format anything (unlike `str.format` or a template engine). Every template has a fixed list of
placeholders it may use and a list it must use (`slot`): an override that uses an unknown one,
or drops the article, a date or the remedies' review body, court or periods, is refused with a
`ValidationError` naming the template and the placeholder, before any letter is composed.
"""

from __future__ import annotations

import functools
import os
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from string import Template
from types import MappingProxyType
from typing import Any, TypeAlias

from attrs import field, frozen

from govdisclose.errors import ValidationError
from govdisclose.notices._law import reply_basis
from govdisclose.vocab import Outcome

__all__ = [
    "LetterTemplate",
    "NoticeTemplateSource",
    "NoticeTemplates",
    "Slot",
    "slot",
    "slots",
]

#: A template override, as the ``govdisclose_notice_templates`` hook returns it: the path of a
#: TOML file in the shipped format, or a mapping of the same shape, e.g.
#: ``{"letterhead": {"signature": "${agency}（政府信息公开专用章）"}}``. Give only what changes.
NoticeTemplateSource: TypeAlias = "str | os.PathLike[str] | Mapping[str, Any]"


@frozen
class Slot:
    """What one template may and must contain.

    :param key: ``receipt``, ``reply.state_secret``, ``letterhead.signature``, ...
    :param allowed: the placeholders it may use.
    :param required: the placeholders it must use (the article, the dates, the remedies'
        parts), checked by rendering it with sentinel values.
    :param letter: a letter (title, mark, paragraphs) rather than a single text.
    """

    key: str
    allowed: frozenset[str]
    required: frozenset[str]
    letter: bool


_TO_APPLICANT = frozenset(
    {"agency", "applicant", "received_on", "request", "query_code", "contact", "article"}
)
_TO_PARTY = frozenset(
    {"agency", "party", "received_on", "request", "contact", "article", "window_days", "reply_by"}
)
#: Placeholders a title may use: a title carries no personal data.
_TITLE = frozenset({"agency"})

# The extra facts some replies state (from the events), and those they must state.
_REPLY_EXTRA: dict[Outcome, frozenset[str]] = {
    Outcome.THIRD_PARTY_RIGHTS: frozenset({"consultation"}),
    Outcome.UNCLEAR_AFTER_CORRECTION: frozenset({"correction_requested_on", "corrected_on"}),
    Outcome.NO_CORRECTION: frozenset({"correction_requested_on", "correct_by"}),
    Outcome.FEE_NOT_PAID: frozenset({"fee_notified_on", "amount", "pay_by"}),
}
_REPLY_REQUIRED: dict[Outcome, frozenset[str]] = {
    Outcome.NO_CORRECTION: frozenset({"correct_by"}),
    Outcome.FEE_NOT_PAID: frozenset({"pay_by"}),
}


def _build_slots() -> dict[str, Slot]:
    out = [
        Slot(
            "letterhead.number",
            frozenset({"prefix", "mark", "year", "serial"}),
            frozenset(),
            letter=False,
        ),
        Slot("letterhead.signature", frozenset({"agency"}), frozenset({"agency"}), letter=False),
        Slot(
            "letterhead.provisional_note",
            frozenset({"assumption"}),
            frozenset({"assumption"}),
            letter=False,
        ),
        Slot(
            "remedies.ordinary",
            frozenset(
                {
                    "review_body",
                    "court",
                    "review_period",
                    "litigation_period",
                    "review_law",
                    "litigation_law",
                }
            ),
            frozenset({"review_body", "court", "review_period", "litigation_period"}),
            letter=False,
        ),
        Slot(
            "remedies.review_first",
            frozenset({"review_body", "court", "review_period", "review_first_law"}),
            frozenset({"review_body", "court", "review_period"}),
            letter=False,
        ),
        Slot(
            "receipt",
            _TO_APPLICANT | {"channel", "reply_days", "reply_due"},
            frozenset({"article", "received_on", "reply_due", "query_code"}),
            letter=True,
        ),
        Slot(
            "correction",
            _TO_APPLICANT | {"notice_days", "notice_due", "items", "correct_by"},
            frozenset({"article", "items", "correct_by"}),
            letter=True,
        ),
        Slot(
            "extension",
            _TO_APPLICANT | {"original_due", "extension_days", "new_due", "reason"},
            frozenset({"article", "reason", "new_due"}),
            letter=True,
        ),
        Slot("third_party", _TO_PARTY, frozenset({"article", "reply_by"}), letter=True),
        Slot("co_producer", _TO_PARTY, frozenset({"article", "reply_by"}), letter=True),
        Slot(
            "fee",
            _TO_APPLICANT | {"amount", "calculation", "payment_days", "pay_by", "payment"},
            frozenset({"article", "amount", "calculation", "pay_by"}),
            letter=True,
        ),
    ]
    for outcome in Outcome:
        basis = reply_basis(outcome)
        required = {"article", "received_on"} | _REPLY_REQUIRED.get(outcome, frozenset())
        if basis.needs_reasons:
            required.add("reasons")
        out.append(
            Slot(
                basis.template,
                _TO_APPLICANT | {"reasons"} | _REPLY_EXTRA.get(outcome, frozenset()),
                frozenset(required),
                letter=True,
            )
        )
    return {s.key: s for s in out}


_SLOTS = _build_slots()


def slot(key: str) -> Slot:
    """The placeholders template ``key`` may and must use."""
    found = _SLOTS.get(key)
    if found is None:
        raise ValidationError(
            f"没有名为“{key}”的文书模板",
            f"there is no notice template {key!r}",
            field=key,
            code="notices.template_unknown_key",
        )
    return found


def slots() -> tuple[Slot, ...]:
    """Every template, in the order of the shipped files."""
    return tuple(_SLOTS.values())


@frozen
class LetterTemplate:
    """One letter's wording: ``title``, the 文号 ``mark`` (``复`` for replies) and the body
    ``paragraphs``; ``default_reasons`` is what a full disclosure says when the reply records
    no reasons."""

    title: str
    paragraphs: tuple[str, ...]
    mark: str = ""
    default_reasons: str | None = None


_LETTER_FIELDS = frozenset({"title", "mark", "paragraphs", "default_reasons"})


def _fail(origin: str, where: str, zh: str, en: str, code: str) -> ValidationError:
    return ValidationError(
        f"文书模板 {origin} 中 {where}：{zh}",
        f"notice templates {origin}, {where}: {en}",
        field=where,
        code=code,
    )


def _sentinel(name: str) -> str:
    return f"\u27e6{name}\u27e7"  # ⟦name⟧: text no template writes by chance


def _check_text(text: object, allowed: frozenset[str], origin: str, where: str) -> Template:
    if not isinstance(text, str):
        raise _fail(
            origin,
            where,
            f"应为字符串，实际为 {type(text).__name__}",
            f"must be a string, got {type(text).__name__}",
            "notices.template_invalid",
        )
    template = Template(text)
    if not template.is_valid():
        raise _fail(
            origin,
            where,
            "占位符写法有误（应为 ${名称}；美元符号本身写作 $$）",
            "malformed placeholder (write ${name}; a literal dollar sign is $$)",
            "notices.template_syntax",
        )
    unknown = sorted(set(template.get_identifiers()) - allowed)
    if unknown:
        names = "、".join(f"${{{n}}}" for n in unknown)
        valid = "、".join(f"${{{n}}}" for n in sorted(allowed)) or "无"
        raise _fail(
            origin,
            where,
            f"使用了未知占位符 {names}（可用：{valid}）",
            f"unknown placeholder {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})",
            "notices.template_unknown_placeholder",
        )
    return template


_WHAT = {
    "article": ("适用的条款", "the article applied"),
    "remedies": ("救济途径", "the remedies"),
    "review_body": ("行政复议机关", "the review body (remedies)"),
    "court": ("人民法院", "the court (remedies)"),
    "review_period": ("申请行政复议的期限", "the review period (remedies)"),
    "litigation_period": ("提起行政诉讼的期限", "the litigation period (remedies)"),
    "reasons": ("理由", "the reasons"),
    "agency": ("机关署名", "the agency's name"),
}


def _check_required(rendered: str, sl: Slot, origin: str, where: str) -> None:
    missing = sorted(n for n in sl.required if _sentinel(n) not in rendered)
    if not missing:
        return
    names = "、".join(f"${{{n}}}" for n in missing)
    what_zh = "、".join(_WHAT.get(n, ("日期或必备事项",))[0] for n in missing)
    what_en = ", ".join(_WHAT.get(n, ("", "a date or a required fact"))[1] for n in missing)
    raise _fail(
        origin,
        where,
        f"缺少 {names}（{what_zh}），文书不得省略",
        f"drops {', '.join(missing)} ({what_en}); a letter may not leave it out",
        "notices.template_drops",
    )


def _validate_letter(tpl: LetterTemplate, sl: Slot, origin: str) -> None:
    values = {n: _sentinel(n) for n in sl.allowed}
    title = _check_text(tpl.title, _TITLE, origin, f"{sl.key}.title")
    if not tpl.title.strip():
        raise _fail(
            origin, f"{sl.key}.title", "标题不能为空", "empty title", "notices.template_invalid"
        )
    _check_text(tpl.mark, frozenset(), origin, f"{sl.key}.mark")
    if not tpl.paragraphs:
        raise _fail(
            origin,
            f"{sl.key}.paragraphs",
            "正文至少要有一段",
            "needs at least one paragraph",
            "notices.template_invalid",
        )
    rendered = [title.substitute(values)]
    for i, text in enumerate(tpl.paragraphs):
        rendered.append(
            _check_text(text, sl.allowed, origin, f"{sl.key}.paragraphs[{i}]").substitute(values)
        )
    if tpl.default_reasons is not None:
        if not sl.key.startswith("reply."):
            raise _fail(
                origin,
                f"{sl.key}.default_reasons",
                "只有答复告知书可以设置默认理由",
                "only a reply template may have default_reasons",
                "notices.template_unknown_key",
            )
        _check_text(
            tpl.default_reasons, sl.allowed - {"reasons"}, origin, f"{sl.key}.default_reasons"
        )
    _check_required("\n".join(rendered), sl, origin, sl.key)


def _validate_text(text: str, sl: Slot, origin: str) -> None:
    template = _check_text(text, sl.allowed, origin, sl.key)
    _check_required(template.substitute({n: _sentinel(n) for n in sl.allowed}), sl, origin, sl.key)


def _flatten(raw: Mapping[str, Any], origin: str) -> dict[str, Any]:
    """``{"reply": {"state_secret": {...}}, "letterhead": {"signature": "..."}}`` as flat keys:
    ``{"reply.state_secret": {...}, "letterhead.signature": "..."}``."""
    if not isinstance(raw, Mapping):
        raise _fail(
            origin,
            "<根>",
            "应为表（映射）",
            "must be a table (mapping)",
            "notices.template_invalid",
        )
    flat: dict[str, Any] = {}
    for top, body in raw.items():
        if top in ("letterhead", "remedies", "reply"):
            if not isinstance(body, Mapping):
                raise _fail(
                    origin,
                    str(top),
                    "应为表（映射）",
                    "must be a table",
                    "notices.template_invalid",
                )
            for name, value in body.items():
                flat[f"{top}.{name}"] = value
        else:
            flat[str(top)] = body
    for key in flat:
        if key not in _SLOTS:
            valid = "、".join(_SLOTS)
            raise _fail(
                origin,
                key,
                f"没有这个模板（可用：{valid}）",
                f"no such template (known: {', '.join(_SLOTS)})",
                "notices.template_unknown_key",
            )
    return flat


def _letter_from(
    body: object, base: LetterTemplate | None, origin: str, key: str
) -> LetterTemplate:
    if not isinstance(body, Mapping):
        raise _fail(origin, key, "应为表（映射）", "must be a table", "notices.template_invalid")
    extra = sorted(set(body) - _LETTER_FIELDS)
    if extra:
        raise _fail(
            origin,
            f"{key}.{extra[0]}",
            "未知字段（可用：title、mark、paragraphs、default_reasons）",
            "unknown field (known: title, mark, paragraphs, default_reasons)",
            "notices.template_unknown_key",
        )
    if base is None:
        for needed in ("title", "paragraphs"):
            if needed not in body:
                raise _fail(
                    origin,
                    f"{key}.{needed}",
                    "缺少此项",
                    "missing",
                    "notices.template_invalid",
                )
    paragraphs: Any = body.get("paragraphs", base.paragraphs if base else ())
    if isinstance(paragraphs, str) or not isinstance(paragraphs, Sequence):
        raise _fail(
            origin,
            f"{key}.paragraphs",
            "应为字符串数组",
            "must be an array of strings",
            "notices.template_invalid",
        )
    return LetterTemplate(
        title=body.get("title", base.title if base else ""),
        paragraphs=tuple(paragraphs),
        mark=body.get("mark", base.mark if base else ""),
        default_reasons=body.get("default_reasons", base.default_reasons if base else None),
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ValidationError(
            f"无法读取文书模板 {path}：{err}",
            f"cannot read notice templates {path}: {err}",
            field=str(path),
            code="notices.template_file",
        ) from err


@frozen
class NoticeTemplates:
    """Every letter's wording, checked: the shipped official wording (`default`) with the
    overrides applied to it (`with_overrides`). Immutable; a new set per override.

    ``sources`` names what was applied, the shipped files first.
    """

    _letters: Mapping[str, LetterTemplate] = field(repr=False)
    _texts: Mapping[str, str] = field(repr=False)
    sources: tuple[str, ...]

    @classmethod
    def default(cls) -> NoticeTemplates:
        """The shipped official wording (read on first call, then shared)."""
        return _default()

    @property
    def keys(self) -> tuple[str, ...]:
        """Every template key, in the order of the shipped files."""
        return tuple(_SLOTS)

    def letter(self, key: str) -> LetterTemplate:
        """The letter template ``key`` (``receipt``, ``reply.not_held``, ...)."""
        if key not in self._letters:
            slot(key)  # raises for an unknown key
            raise ValidationError(
                f"“{key}”不是文书（是落款或救济途径文字）",
                f"{key!r} is a text, not a letter",
                field=key,
                code="notices.template_unknown_key",
            )
        return self._letters[key]

    def text(self, key: str) -> str:
        """The single text ``key`` (``letterhead.signature``, ``remedies.ordinary``, ...)."""
        if key not in self._texts:
            slot(key)
            raise ValidationError(
                f"“{key}”是文书，不是单项文字",
                f"{key!r} is a letter, not a text",
                field=key,
                code="notices.template_unknown_key",
            )
        return self._texts[key]

    def with_overrides(self, source: NoticeTemplateSource) -> NoticeTemplates:
        """A new set with ``source`` (a TOML file or a mapping of the same shape, giving only
        what changes) applied and checked; this set is unchanged.

        :raises ValidationError: an unknown template or field (``notices.template_unknown_key``),
            a malformed placeholder (``notices.template_syntax``), one the template may not use
            (``notices.template_unknown_placeholder``), or a template that drops the article, a
            date, the reasons or the remedies (``notices.template_drops``); the field names the
            template and the message the placeholder.
        """
        if isinstance(source, Mapping):
            raw: Mapping[str, Any] = source
            origin = "<模板覆盖>"
        else:
            path = Path(source)
            raw = _read(path)
            origin = str(path)
        letters = dict(self._letters)
        texts = dict(self._texts)
        _apply(_flatten(raw, origin), letters, texts, origin, partial=True)
        return NoticeTemplates(
            MappingProxyType(letters), MappingProxyType(texts), (*self.sources, origin)
        )

    def render_letter(self, key: str, values: Mapping[str, str]) -> tuple[str, tuple[str, ...]]:
        """The title and paragraphs of letter ``key`` with ``values`` filled in; a paragraph
        that comes out empty is left out, one with line breaks becomes several."""
        sl = slot(key)
        tpl = self.letter(key)
        full = {n: values.get(n, "") for n in sl.allowed}
        title = Template(tpl.title).substitute({n: full[n] for n in _TITLE})
        paragraphs: list[str] = []
        for text in tpl.paragraphs:
            for line in Template(text).substitute(full).split("\n"):
                line = line.strip()
                if line:
                    paragraphs.append(line)
        return title, tuple(paragraphs)

    def render_text(self, key: str, values: Mapping[str, str]) -> str:
        """The single text ``key`` with ``values`` filled in."""
        sl = slot(key)
        return Template(self.text(key)).substitute({n: values.get(n, "") for n in sl.allowed})

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys)


def _apply(
    flat: Mapping[str, Any],
    letters: dict[str, LetterTemplate],
    texts: dict[str, str],
    origin: str,
    *,
    partial: bool,
) -> None:
    for key, body in flat.items():
        sl = _SLOTS[key]
        if sl.letter:
            tpl = _letter_from(body, letters.get(key) if partial else None, origin, key)
            _validate_letter(tpl, sl, origin)
            letters[key] = tpl
        else:
            if not isinstance(body, str):
                raise _fail(
                    origin, key, "应为字符串", "must be a string", "notices.template_invalid"
                )
            _validate_text(body, sl, origin)
            texts[key] = body


@functools.cache
def _default() -> NoticeTemplates:
    folder = resources.files("govdisclose.notices") / "templates"
    letters: dict[str, LetterTemplate] = {}
    texts: dict[str, str] = {}
    names = []
    seen: dict[str, str] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        with resources.as_file(entry) as path:
            flat = _flatten(_read(Path(path)), entry.name)
        for key in flat:
            if key in seen:
                raise _fail(
                    entry.name,
                    key,
                    f"与 {seen[key]} 重复",
                    f"also defined in {seen[key]}",
                    "notices.template_invalid",
                )
            seen[key] = entry.name
        _apply(flat, letters, texts, entry.name, partial=False)
        names.append(entry.name)
    missing = [k for k in _SLOTS if k not in letters and k not in texts]
    if missing:
        raise _fail(
            "、".join(names),
            missing[0],
            "内置模板缺少此项",
            "the shipped templates lack it",
            "notices.template_invalid",
        )
    # Keep the shipped order of the slots, whatever the files' order.
    ordered_letters = {k: letters[k] for k in _SLOTS if k in letters}
    ordered_texts = {k: texts[k] for k in _SLOTS if k in texts}
    return NoticeTemplates(
        MappingProxyType(ordered_letters), MappingProxyType(ordered_texts), tuple(names)
    )
