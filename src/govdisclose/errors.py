"""Every error govdisclose raises.

A clerk reads these messages, a program reads their attributes. Each error carries

* ``code``: a stable machine code (``"lifecycle.invalid_transition"``) that survives message edits;
* ``field``: the path of the offending field where one applies (``"events[3].on"``), else ``None``;
* ``message_zh`` / ``message_en``: what is wrong and what valid looks like, Chinese first.

``str(error)`` gives both languages and the field, so a log line or a traceback is enough to act on.

The tree (each class also inherits the builtin a caller would naturally catch)::

    GovDiscloseError
    ├── ValidationError (ValueError)            bad input for a model field
    │   └── DeserializationError                bad JSON / dict input, one per offending path
    ├── InvalidTransition (ValueError)          an event that may not follow the history
    ├── ParameterError
    │   ├── InvalidParameterFile (ValueError)   a legal-parameter data file that does not load
    │   │   └── HolidayNoticeError              a holiday notice's text that cannot be read
    │   └── ParameterNotFound (LookupError)     no value of that parameter at that date
    ├── CalendarError
    │   └── CalendarDataMissing (LookupError)   no official holiday schedule for that year
    ├── RuleError (ValueError)                  a malformed rule or rule set
    ├── PublishBlocked                          the publication guard refused a record
    ├── StoreError
    │   ├── ConflictError                       optimistic-concurrency conflict: someone wrote first
    │   ├── NotFound (LookupError)              no such stored object
    │   └── StoreIntegrityError (ValueError)    a write that would break the store's invariants
    ├── PluginError                             a plugin that fails to load or misbehaves
    └── ReportError
        ├── ReportInconsistent (ValueError)     a report whose numbers do not add up (strict mode)
        └── ReportParseError (ValueError)       a published report page that cannot be read back
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, ClassVar, Literal

__all__ = [
    "CalendarDataMissing",
    "CalendarError",
    "ConflictError",
    "DeserializationError",
    "GovDiscloseError",
    "HolidayNoticeError",
    "InvalidParameterFile",
    "InvalidTransition",
    "NotFound",
    "ParameterError",
    "ParameterNotFound",
    "PluginError",
    "PublishBlocked",
    "ReportError",
    "ReportInconsistent",
    "ReportParseError",
    "RuleError",
    "StoreError",
    "StoreIntegrityError",
    "ValidationError",
]


class GovDiscloseError(Exception):
    """Root of every error govdisclose raises.

    :param message_zh: what is wrong, in Chinese, for the clerk.
    :param message_en: the same in English, for the developer.
    :param field: path of the offending field, if any.
    :param code: overrides the class's default stable code.
    """

    default_code: ClassVar[str] = "govdisclose.error"

    def __init__(
        self,
        message_zh: str,
        message_en: str,
        *,
        field: str | None = None,
        code: str | None = None,
    ) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        self.field = field
        self.code = code or self.default_code
        super().__init__(self._render())

    def _render(self) -> str:
        where = f" (field: {self.field})" if self.field else ""
        return f"[{self.code}] {self.message_zh} / {self.message_en}{where}"

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only arguments do not survive the default pickling; errors cross process
        # boundaries in multi-process OA deployments.
        return (_rebuild, (type(self), self.__dict__.copy()))


def _rebuild(cls: type[GovDiscloseError], state: dict[str, Any]) -> GovDiscloseError:
    err = cls.__new__(cls)
    err.__dict__.update(state)
    Exception.__init__(err, err._render())
    return err


class ValidationError(GovDiscloseError, ValueError):
    """A value that breaks a rule of the domain model (wrong code, date order, empty field)."""

    default_code = "validation.invalid"


class DeserializationError(ValidationError):
    """Input data (JSON, dict rows) that does not structure into a model class.

    ``errors`` holds one ``(path, message)`` pair for every problem found, so a form can mark
    all the wrong fields at once; ``field`` is the first of them.
    """

    default_code = "serde.invalid_input"

    def __init__(
        self,
        message_zh: str,
        message_en: str,
        *,
        field: str | None = None,
        code: str | None = None,
        errors: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.errors = tuple(errors)
        super().__init__(message_zh, message_en, field=field, code=code)


class InvalidTransition(GovDiscloseError, ValueError):
    """An application event that may not follow the events already recorded.

    ``expected`` lists the event kinds that would have been accepted at that point.
    """

    default_code = "lifecycle.invalid_transition"

    def __init__(
        self,
        message_zh: str,
        message_en: str,
        *,
        field: str | None = None,
        code: str | None = None,
        expected: Sequence[str] = (),
    ) -> None:
        self.expected = tuple(expected)
        super().__init__(message_zh, message_en, field=field, code=code)


class ParameterError(GovDiscloseError):
    """Problems with the legal parameters (law as data)."""

    default_code = "params.error"


class InvalidParameterFile(ParameterError, ValueError):
    """A parameter data file that does not load: unknown key, duplicate date, bad value."""

    default_code = "params.invalid_file"


class HolidayNoticeError(InvalidParameterFile):
    """The text of a 国务院办公厅 holiday notice that cannot be read unambiguously.

    ``line`` is the 1-based line of the notice text at fault (``None`` for the text as a whole),
    ``source`` the file name or ``"<text>"``; ``field`` is ``"<source>:<line>"``.
    """

    default_code = "calendar.invalid_notice"

    def __init__(
        self,
        message_zh: str,
        message_en: str,
        *,
        source: str,
        line: int | None,
        field: str | None = None,
        code: str | None = None,
    ) -> None:
        self.source = source
        self.line = line
        where = f"{source}:{line}" if line is not None else source
        super().__init__(message_zh, message_en, field=field or where, code=code)


class ParameterNotFound(ParameterError, LookupError):
    """No value of the named parameter is in force at the requested date."""

    default_code = "params.not_found"


class CalendarError(GovDiscloseError):
    """Problems with the working-day calendar."""

    default_code = "calendar.error"


class CalendarDataMissing(CalendarError, LookupError):
    """No official holiday schedule is loaded for a year the computation reaches.

    ``year`` is the first missing year, ``covered`` the ``(first, last)`` years that are loaded.
    """

    default_code = "calendar.data_missing"

    def __init__(
        self,
        message_zh: str,
        message_en: str,
        *,
        year: int,
        covered: tuple[int, int],
        field: str | None = None,
        code: str | None = None,
    ) -> None:
        self.year = year
        self.covered = covered
        super().__init__(message_zh, message_en, field=field, code=code)

    @staticmethod
    def advice(years: Iterable[int]) -> tuple[str, str]:
        """What to do about ``years`` without an official schedule, in Chinese and English:
        the one wording every message about missing holiday data uses (the error itself, an
        item's problem, the daily job's summary)."""
        shown = sorted(set(years))
        zh_years = "、".join(f"{y}年" for y in shown)
        en_years = ", ".join(str(y) for y in shown)
        return (
            f"请载入国务院办公厅{zh_years}放假通知（命令行 govdisclose calendar load 通知文件；"
            "程序中 WorkCalendar.with_notice），升级 chinese-calendar，或改用临时（provisional）"
            "策略计算暂定结果（命令行 --calendar-policy provisional）",
            f"load the State Council holiday notice for {en_years} (command line: govdisclose "
            "calendar load NOTICE; in code: WorkCalendar.with_notice), upgrade chinese-calendar, "
            "or compute provisional results (command line: --calendar-policy provisional; in "
            "code: policy='provisional')",
        )

    @classmethod
    def for_day(cls, day: date, covered: tuple[int, int]) -> CalendarDataMissing:
        """The standard message for a day outside the covered years."""
        first, last = covered
        if day.year < first:
            return cls(
                f"{day.year}年早于已载入的节假日数据（{first}–{last}年），无法计算工作日",
                f"{day.year} is before the loaded holiday data ({first}-{last}); working days "
                "cannot be computed for it",
                year=day.year,
                covered=covered,
            )
        advice_zh, advice_en = cls.advice((day.year,))
        return cls(
            f"{day.year}年的节假日安排尚未载入（已载入{first}–{last}年）。{advice_zh}",
            f"no official holiday schedule for {day.year} (loaded: {first}-{last}); {advice_en}",
            year=day.year,
            covered=covered,
        )


class RuleError(GovDiscloseError, ValueError):
    """A malformed disclosure rule or rule set (duplicate id, bad severity)."""

    default_code = "rules.invalid"


class _WithFindings(GovDiscloseError):
    """An error that carries the findings that caused it (``.findings``)."""

    def __init__(
        self,
        message_zh: str,
        message_en: str,
        *,
        findings: Sequence[Any] = (),
        field: str | None = None,
        code: str | None = None,
    ) -> None:
        self.findings = tuple(findings)
        super().__init__(message_zh, message_en, field=field, code=code)


class PublishBlocked(_WithFindings):
    """The publication guard refused a record; ``findings`` says every reason."""

    default_code = "publishing.blocked"


# The stored objects a store error names: the English word is also the head of the field path
# (``record.version``), the Chinese one is what the clerk reads. Review cases are only ever
# created or replaced, so no store error names them.
_StoredKind = Literal["agency", "record", "application"]
_STORED_KIND_ZH: dict[str, str] = {"agency": "机关", "record": "政府信息", "application": "申请"}


class StoreError(GovDiscloseError):
    """Problems raised by a storage adapter.

    The classmethods of the store errors (`StoreError.closed`, `NotFound.for_key`,
    `ConflictError.for_version`, `StoreIntegrityError.bad_item`,
    `StoreIntegrityError.duplicate_application`) build the standard errors of the `Store`
    protocol: every adapter raises them, so a clerk reads the same message whichever store is
    configured.
    """

    default_code = "store.error"

    @classmethod
    def closed(cls) -> StoreError:
        """The error of any call on a store after `Store.close` (code ``store.closed``).

        Always a plain `StoreError`, whichever class it is called on.
        """
        # The class is named, not ``cls``: the docs' error-code table finds raise sites by the
        # class called, and a closed store is not a conflict or a missing object.
        return StoreError(
            "存储已关闭，不能再使用",
            "the store is closed and can no longer be used",
            code="store.closed",
        )


class ConflictError(StoreError):
    """Someone else wrote first: the stored version is not the expected one.

    Reload, re-apply the change and try again; nothing of this write was stored.
    """

    default_code = "store.conflict"

    def __init__(
        self,
        message_zh: str,
        message_en: str,
        *,
        expected_version: int | None = None,
        actual_version: int | None = None,
        field: str | None = None,
        code: str | None = None,
        withdrawn: Sequence[str] = (),
        not_withdrawn: Sequence[str] = (),
    ) -> None:
        self.expected_version = expected_version
        self.actual_version = actual_version
        #: Publishing only: the channels a publication was taken down from again, and those
        #: that could not withdraw (they need a person).
        self.withdrawn = tuple(withdrawn)
        self.not_withdrawn = tuple(not_withdrawn)
        super().__init__(message_zh, message_en, field=field, code=code)

    @classmethod
    def for_version(
        cls,
        kind: _StoredKind | str,
        key: str,
        expected: int,
        actual: int,
        *,
        label_zh: str | None = None,
    ) -> ConflictError:
        """The conflict of a write to the ``kind`` (``"record"`` or ``"application"``, or a
        kept item's kind code with its Chinese ``label_zh``) with id ``key`` that expected
        version ``expected`` and found ``actual``.

        ``field`` is ``"<kind>.version"``; the versions are kept as ``expected_version`` and
        ``actual_version``, for a program that reloads and retries.
        """
        return ConflictError(
            f"{label_zh or _STORED_KIND_ZH.get(kind, kind)} {key} 已被他人修改："
            f"预期版本 {expected}，实际版本 {actual}。请重新读取后再提交",
            f"{kind} {key!r} was changed by someone else: expected version {expected}, stored "
            f"version {actual}; reload it and apply the change again",
            expected_version=expected,
            actual_version=actual,
            field=f"{kind}.version",
        )


class NotFound(StoreError, LookupError):
    """No stored object with that key."""

    default_code = "store.not_found"

    @classmethod
    def for_key(cls, kind: _StoredKind | str, key: str, *, label_zh: str | None = None) -> NotFound:
        """No ``kind`` (``"agency"``, ``"record"`` or ``"application"``, or a kept item's kind
        code with its Chinese ``label_zh``) with id ``key`` is stored; ``field`` is
        ``"<kind>.id"``."""
        return NotFound(
            f"未找到{label_zh or _STORED_KIND_ZH.get(kind, kind)}：{key}",
            f"no {kind} with id {key!r} is stored",
            field=f"{kind}.id",
            code="store.not_found",
        )

    @classmethod
    def unknown_agency(
        cls, agency: str, *, of_zh: str, of_en: str, field: str = "agency"
    ) -> NotFound:
        """An application, record or kept item written for an agency the store does not know
        (code ``store.unknown_agency``): ``of_zh`` / ``of_en`` name what was written
        (``"申请 A-1"`` / ``"application 'A-1'"``); ``field`` is where the agency code is
        (``"agency"``, ``"applications[3].agency"``).

        .. versionadded:: 0.2.0
        """
        return NotFound(
            f"{of_zh} 所属机关 {agency} 未登记：请先登记机关（put_agency）",
            f"the agency {agency!r} of {of_en} is not stored: store the agency first (put_agency)",
            field=field,
            code="store.unknown_agency",
        )


class StoreIntegrityError(StoreError, ValueError):
    """A write refused because it would break the store's invariants (duplicate key, bad row)."""

    default_code = "store.integrity"

    @classmethod
    def bad_item(cls, where: str, expected: type, value: object) -> StoreIntegrityError:
        """A value of the wrong type handed to a store (code ``store.bad_item``).

        ``where`` names the argument (``"record"``) or the item of a bulk import
        (``"records[3]"``) and becomes ``field``.
        """
        return StoreIntegrityError(
            f"{where} 应为 {expected.__name__}，实际为 {type(value).__name__}",
            f"{where} must be a {expected.__name__}, got {type(value).__name__}",
            field=where,
            code="store.bad_item",
        )

    @classmethod
    def duplicate_application(
        cls, application_id: str, *, field: str = "application.id"
    ) -> StoreIntegrityError:
        """An application created with an id already stored (code ``store.duplicate``).

        ``field`` is ``"application.id"``, or the item of a bulk import
        (``"applications[5].id"``).
        """
        return StoreIntegrityError(
            f"申请 {application_id} 已存在，不能重复创建；追加事件请用 append_events",
            f"application {application_id!r} already exists; use append_events to add events",
            field=field,
            code="store.duplicate",
        )


class PluginError(GovDiscloseError):
    """A plugin that fails to load or whose hook returns something of the wrong type.

    ``plugin`` is the registered name of the plugin at fault, when one is.
    """

    default_code = "plugins.error"

    def __init__(
        self,
        message_zh: str,
        message_en: str,
        *,
        plugin: str | None = None,
        field: str | None = None,
        code: str | None = None,
    ) -> None:
        self.plugin = plugin
        super().__init__(message_zh, message_en, field=field, code=code)


class ReportError(GovDiscloseError):
    """Problems with annual reports."""

    default_code = "report.error"


class ReportInconsistent(_WithFindings, ReportError, ValueError):
    """A report whose figures break the format's arithmetic; ``findings`` lists each break."""

    default_code = "report.inconsistent"


class ReportParseError(ReportError, ValueError):
    """A published report page whose tables cannot be read back."""

    default_code = "report.parse"
