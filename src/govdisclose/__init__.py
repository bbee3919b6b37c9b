"""govdisclose — 政府信息公开: the domain model, disclosure rules, working-day deadlines and annual
reports of Chinese government-information disclosure, as an embeddable library.

Importing this package does no work: names are loaded from their submodules on first use, no entry
point is scanned, no file read, no clock consulted. Everything here is also importable from its
submodule (``govdisclose.deadlines.reply_status``); the submodules hold the rest of the API.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govdisclose.calendar import (
        CalendarOverrides,
        WorkCalendar,
    )
    from govdisclose.deadlines import (
        ClockState,
        ClockStatus,
        Deadline,
        proactive_deadline,
        recompute,
        reply_deadline,
        reply_status,
        reply_status_many,
    )
    from govdisclose.errors import (
        CalendarDataMissing,
        ConflictError,
        DeserializationError,
        GovDiscloseError,
        HolidayNoticeError,
        InvalidTransition,
        NotFound,
        ParameterNotFound,
        PluginError,
        PublishBlocked,
        ReportInconsistent,
        ReportParseError,
        ValidationError,
    )
    from govdisclose.fees import (
        calculate_fee,
    )
    from govdisclose.hookspecs import (
        hookimpl,
    )
    from govdisclose.lifecycle import (
        ApplicationStatus,
        apply,
        status,
    )
    from govdisclose.model import (
        Agency,
        Applicant,
        Application,
        Archived,
        Attachment,
        AttributeDecision,
        CorrectionReceived,
        CorrectionRequested,
        DeemedWithdrawn,
        Extended,
        FeeNotified,
        FeePaid,
        Inquiry,
        InternalConsulted,
        InternalReplied,
        NoticeIssued,
        OpinionEvent,
        Publication,
        Received,
        Record,
        Replied,
        ReplyApproved,
        ReplyDrafted,
        ReviewCase,
        ReviewCaseFiled,
        ThirdPartyConsulted,
        ThirdPartyReplied,
        Transferred,
        Withdrawn,
    )
    from govdisclose.params import (
        ParameterSet,
    )
    from govdisclose.plugins import (
        Settings,
        make_plugin_manager,
        open_store,
    )
    from govdisclose.privacy import (
        find_pii,
        mask,
        mask_record,
    )
    from govdisclose.publishing import (
        publish,
    )
    from govdisclose.report.builder import build_annual_report
    from govdisclose.report.reader import (
        read_html_report,
    )
    from govdisclose.report.renderers import (
        render as render_report,
    )
    from govdisclose.report.rollup import rollup
    from govdisclose.report.schema import AnnualReport
    from govdisclose.report.validate import validate as validate_report
    from govdisclose.rules import (
        Finding,
        Rule,
        RuleContext,
        RuleSet,
        Severity,
        suggest_attribute,
    )
    from govdisclose.serde import (
        dumps,
        loads,
        make_converter,
        structure,
        unstructure,
    )
    from govdisclose.store import (
        Store,
    )
    from govdisclose.vocab import (
        AgencyKind,
        AgencyLevel,
        ApplicantType,
        Channel,
        DisclosureAttribute,
        DisclosureScope,
        DocumentKind,
        FeeMethod,
        InternalOffice,
        NonDisclosureReason,
        NoticeKind,
        Outcome,
        PublicationChannel,
        ReviewCaseKind,
        ReviewResult,
        ReviewStatus,
        WithdrawalCause,
    )

# public name -> (submodule, attribute); resolved lazily by __getattr__.
_EXPORTS: dict[str, tuple[str, str]] = {
    "Agency": ("model", "Agency"),
    "AgencyKind": ("vocab", "AgencyKind"),
    "AgencyLevel": ("vocab", "AgencyLevel"),
    "AnnualReport": ("report.schema", "AnnualReport"),
    "Applicant": ("model", "Applicant"),
    "ApplicantType": ("vocab", "ApplicantType"),
    "Application": ("model", "Application"),
    "ApplicationStatus": ("lifecycle", "ApplicationStatus"),
    "AttributeDecision": ("model", "AttributeDecision"),
    "CalendarDataMissing": ("errors", "CalendarDataMissing"),
    "HolidayNoticeError": ("errors", "HolidayNoticeError"),
    "CalendarOverrides": ("calendar", "CalendarOverrides"),
    "Channel": ("vocab", "Channel"),
    "ClockState": ("deadlines", "ClockState"),
    "ClockStatus": ("deadlines", "ClockStatus"),
    "ConflictError": ("errors", "ConflictError"),
    "CorrectionReceived": ("model", "CorrectionReceived"),
    "CorrectionRequested": ("model", "CorrectionRequested"),
    "Deadline": ("deadlines", "Deadline"),
    "DeemedWithdrawn": ("model", "DeemedWithdrawn"),
    "DeserializationError": ("errors", "DeserializationError"),
    "DisclosureAttribute": ("vocab", "DisclosureAttribute"),
    "DisclosureScope": ("vocab", "DisclosureScope"),
    "DocumentKind": ("vocab", "DocumentKind"),
    "Extended": ("model", "Extended"),
    "FeeMethod": ("vocab", "FeeMethod"),
    "FeeNotified": ("model", "FeeNotified"),
    "FeePaid": ("model", "FeePaid"),
    "Finding": ("rules", "Finding"),
    "GovDiscloseError": ("errors", "GovDiscloseError"),
    "Inquiry": ("model", "Inquiry"),
    "InvalidTransition": ("errors", "InvalidTransition"),
    "NonDisclosureReason": ("vocab", "NonDisclosureReason"),
    "NotFound": ("errors", "NotFound"),
    "OpinionEvent": ("model", "OpinionEvent"),
    "InternalOffice": ("vocab", "InternalOffice"),
    "NoticeKind": ("vocab", "NoticeKind"),
    "Outcome": ("vocab", "Outcome"),
    "ParameterNotFound": ("errors", "ParameterNotFound"),
    "ParameterSet": ("params", "ParameterSet"),
    "PluginError": ("errors", "PluginError"),
    "Publication": ("model", "Publication"),
    "PublicationChannel": ("vocab", "PublicationChannel"),
    "PublishBlocked": ("errors", "PublishBlocked"),
    "Archived": ("model", "Archived"),
    "Attachment": ("model", "Attachment"),
    "InternalConsulted": ("model", "InternalConsulted"),
    "InternalReplied": ("model", "InternalReplied"),
    "NoticeIssued": ("model", "NoticeIssued"),
    "ReplyApproved": ("model", "ReplyApproved"),
    "ReplyDrafted": ("model", "ReplyDrafted"),
    "Received": ("model", "Received"),
    "Record": ("model", "Record"),
    "Replied": ("model", "Replied"),
    "ReportInconsistent": ("errors", "ReportInconsistent"),
    "ReportParseError": ("errors", "ReportParseError"),
    "ReviewCase": ("model", "ReviewCase"),
    "ReviewCaseFiled": ("model", "ReviewCaseFiled"),
    "ReviewCaseKind": ("vocab", "ReviewCaseKind"),
    "ReviewResult": ("vocab", "ReviewResult"),
    "ReviewStatus": ("vocab", "ReviewStatus"),
    "Rule": ("rules", "Rule"),
    "RuleContext": ("rules", "RuleContext"),
    "RuleSet": ("rules", "RuleSet"),
    "Settings": ("plugins", "Settings"),
    "Severity": ("rules", "Severity"),
    "Store": ("store", "Store"),
    "ThirdPartyConsulted": ("model", "ThirdPartyConsulted"),
    "ThirdPartyReplied": ("model", "ThirdPartyReplied"),
    "Transferred": ("model", "Transferred"),
    "ValidationError": ("errors", "ValidationError"),
    "WithdrawalCause": ("vocab", "WithdrawalCause"),
    "Withdrawn": ("model", "Withdrawn"),
    "WorkCalendar": ("calendar", "WorkCalendar"),
    "apply": ("lifecycle", "apply"),
    "build_annual_report": ("report.builder", "build_annual_report"),
    "calculate_fee": ("fees", "calculate_fee"),
    "dumps": ("serde", "dumps"),
    "find_pii": ("privacy", "find_pii"),
    "hookimpl": ("hookspecs", "hookimpl"),
    "loads": ("serde", "loads"),
    "make_converter": ("serde", "make_converter"),
    "make_plugin_manager": ("plugins", "make_plugin_manager"),
    "mask": ("privacy", "mask"),
    "mask_record": ("privacy", "mask_record"),
    "open_store": ("plugins", "open_store"),
    "proactive_deadline": ("deadlines", "proactive_deadline"),
    "publish": ("publishing", "publish"),
    "read_html_report": ("report.reader", "read_html_report"),
    "recompute": ("deadlines", "recompute"),
    "render_report": ("report.renderers", "render"),
    "reply_deadline": ("deadlines", "reply_deadline"),
    "reply_status": ("deadlines", "reply_status"),
    "reply_status_many": ("deadlines", "reply_status_many"),
    "rollup": ("report.rollup", "rollup"),
    "status": ("lifecycle", "status"),
    "structure": ("serde", "structure"),
    "suggest_attribute": ("rules", "suggest_attribute"),
    "unstructure": ("serde", "unstructure"),
    "validate_report": ("report.validate", "validate"),
}

__all__ = [
    "Agency",
    "AgencyKind",
    "AgencyLevel",
    "AnnualReport",
    "Applicant",
    "ApplicantType",
    "Application",
    "ApplicationStatus",
    "Archived",
    "Attachment",
    "AttributeDecision",
    "CalendarDataMissing",
    "CalendarOverrides",
    "Channel",
    "ClockState",
    "ClockStatus",
    "ConflictError",
    "CorrectionReceived",
    "CorrectionRequested",
    "Deadline",
    "DeemedWithdrawn",
    "DeserializationError",
    "DisclosureAttribute",
    "DisclosureScope",
    "DocumentKind",
    "Extended",
    "FeeMethod",
    "FeeNotified",
    "FeePaid",
    "Finding",
    "GovDiscloseError",
    "HolidayNoticeError",
    "Inquiry",
    "InternalConsulted",
    "InternalOffice",
    "InternalReplied",
    "InvalidTransition",
    "NonDisclosureReason",
    "NotFound",
    "NoticeIssued",
    "NoticeKind",
    "OpinionEvent",
    "Outcome",
    "ParameterNotFound",
    "ParameterSet",
    "PluginError",
    "Publication",
    "PublicationChannel",
    "PublishBlocked",
    "Received",
    "Record",
    "Replied",
    "ReplyApproved",
    "ReplyDrafted",
    "ReportInconsistent",
    "ReportParseError",
    "ReviewCase",
    "ReviewCaseFiled",
    "ReviewCaseKind",
    "ReviewResult",
    "ReviewStatus",
    "Rule",
    "RuleContext",
    "RuleSet",
    "Settings",
    "Severity",
    "Store",
    "ThirdPartyConsulted",
    "ThirdPartyReplied",
    "Transferred",
    "ValidationError",
    "WithdrawalCause",
    "Withdrawn",
    "WorkCalendar",
    "__version__",
    "apply",
    "build_annual_report",
    "calculate_fee",
    "dumps",
    "find_pii",
    "hookimpl",
    "loads",
    "make_converter",
    "make_plugin_manager",
    "mask",
    "mask_record",
    "open_store",
    "proactive_deadline",
    "publish",
    "read_html_report",
    "recompute",
    "render_report",
    "reply_deadline",
    "reply_status",
    "reply_status_many",
    "rollup",
    "status",
    "structure",
    "suggest_attribute",
    "unstructure",
    "validate_report",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("govdisclose")
        except PackageNotFoundError:  # running from a source tree that was never installed
            from govdisclose._version import __version__

            return __version__
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'govdisclose' has no attribute {name!r}")
    module, attribute = target
    value = getattr(importlib.import_module(f"govdisclose.{module}"), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
