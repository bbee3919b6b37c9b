"""govdisclose — 政府信息公开: the domain model, disclosure rules, working-day deadlines and annual
reports of Chinese government-information disclosure, as an embeddable library.

Importing this package does no work: names are loaded from their submodules on first use, no entry
point is scanned, no file read, no clock consulted.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govdisclose.errors import (
        CalendarDataMissing,
        ConflictError,
        DeserializationError,
        GovDiscloseError,
        InvalidTransition,
        ValidationError,
    )
    from govdisclose.lifecycle import ApplicationStatus, apply, status
    from govdisclose.model import (
        Agency,
        Applicant,
        Application,
        AttributeDecision,
        CorrectionReceived,
        CorrectionRequested,
        DeemedWithdrawn,
        Extended,
        FeeNotified,
        FeePaid,
        Publication,
        Received,
        Record,
        Replied,
        ReviewCase,
        ThirdPartyConsulted,
        ThirdPartyReplied,
        Transferred,
        Withdrawn,
    )
    from govdisclose.serde import dumps, loads, make_converter, structure, unstructure
    from govdisclose.vocab import (
        ApplicantType,
        Channel,
        DisclosureAttribute,
        DisclosureScope,
        DocumentKind,
        NonDisclosureReason,
        Outcome,
    )

# name -> submodule that defines it; resolved lazily by __getattr__.
_EXPORTS: dict[str, str] = {
    "Agency": "model",
    "Applicant": "model",
    "ApplicantType": "vocab",
    "Application": "model",
    "ApplicationStatus": "lifecycle",
    "AttributeDecision": "model",
    "CalendarDataMissing": "errors",
    "Channel": "vocab",
    "ConflictError": "errors",
    "CorrectionReceived": "model",
    "CorrectionRequested": "model",
    "DeemedWithdrawn": "model",
    "DeserializationError": "errors",
    "DisclosureAttribute": "vocab",
    "DisclosureScope": "vocab",
    "DocumentKind": "vocab",
    "Extended": "model",
    "FeeNotified": "model",
    "FeePaid": "model",
    "GovDiscloseError": "errors",
    "InvalidTransition": "errors",
    "NonDisclosureReason": "vocab",
    "Outcome": "vocab",
    "Publication": "model",
    "Received": "model",
    "Record": "model",
    "Replied": "model",
    "ReviewCase": "model",
    "ThirdPartyConsulted": "model",
    "ThirdPartyReplied": "model",
    "Transferred": "model",
    "ValidationError": "errors",
    "Withdrawn": "model",
    "apply": "lifecycle",
    "dumps": "serde",
    "loads": "serde",
    "make_converter": "serde",
    "status": "lifecycle",
    "structure": "serde",
    "unstructure": "serde",
}

__all__ = [
    "Agency",
    "Applicant",
    "ApplicantType",
    "Application",
    "ApplicationStatus",
    "AttributeDecision",
    "CalendarDataMissing",
    "Channel",
    "ConflictError",
    "CorrectionReceived",
    "CorrectionRequested",
    "DeemedWithdrawn",
    "DeserializationError",
    "DisclosureAttribute",
    "DisclosureScope",
    "DocumentKind",
    "Extended",
    "FeeNotified",
    "FeePaid",
    "GovDiscloseError",
    "InvalidTransition",
    "NonDisclosureReason",
    "Outcome",
    "Publication",
    "Received",
    "Record",
    "Replied",
    "ReviewCase",
    "ThirdPartyConsulted",
    "ThirdPartyReplied",
    "Transferred",
    "ValidationError",
    "Withdrawn",
    "__version__",
    "apply",
    "dumps",
    "loads",
    "make_converter",
    "status",
    "structure",
    "unstructure",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("govdisclose")
        except PackageNotFoundError:  # running from a source tree that was never installed
            from govdisclose._version import __version__

            return __version__
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'govdisclose' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"govdisclose.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
