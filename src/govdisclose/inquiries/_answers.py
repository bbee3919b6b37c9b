"""The 查询信息库: published answers the public can search.

Seed 003 篇5 (二、(一)3 and 二、(二)1): answers of general interest that may be made public
(带普遍性、可以公开的答复信息) go into the 查询信息库, so that the next person finds the answer
without asking. Here: every answer marked ``publishable`` (`govdisclose.inquiries.Answered`),
as a `PublicAnswer` that holds nothing of the inquirer: no name, contact or query code, and the
question and answer texts masked with `govdisclose.privacy` (the inquirer's own name, phone,
e-mail and address, and any ID, mobile, bank-card number or labelled name in the text). An entry
in which the privacy check still finds personal data after masking is left out.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date

from attrs import frozen

from govdisclose.inquiries._lifecycle import parts
from govdisclose.inquiries._model import InquiryCase
from govdisclose.privacy import has_unmasked_pii, mask
from govdisclose.vocab import InquiryKind

__all__ = ["PublicAnswer", "answer_base"]


@frozen
class PublicAnswer:
    """One entry of the 查询信息库: what anyone may read."""

    entry_id: str
    unit: str
    category: InquiryKind
    asked_on: date
    answered_on: date
    question: str
    answer: str


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _clean(text: str, personal: Sequence[str]) -> str:
    masked = mask(text, names=personal[:1], addresses=personal[1:])
    # A contact the patterns do not know (a landline, an odd e-mail) is hidden literally.
    for value in personal[1:]:
        masked = masked.replace(value, "*" * len(value))
    return masked


def answer_base(
    cases: Iterable[InquiryCase],
    *,
    words: Sequence[str] = (),
    agency: str | None = None,
) -> list[PublicAnswer]:
    """The publishable answers of ``cases`` whose question or answer contains every one of
    ``words`` (case- and width-insensitive), answered by ``agency`` if given; newest first.

    ``cases`` is any iterable of cases, e.g. ``store.items(InquiryCase)``.
    """
    wanted = [_fold(w) for w in words if w.strip()]
    out: list[PublicAnswer] = []
    for case in cases:
        rec = case.received
        if rec is None:
            continue
        personal = rec.inquirer.strings()
        for n, part in enumerate(parts(case)):
            answer = part.answer
            if answer is None or not getattr(answer, "publishable", False):
                continue
            if agency is not None and part.unit != agency:
                continue
            question = _clean(rec.question, personal)
            text = _clean(answer.answer, personal)
            haystack = _fold(question + "\n" + text)
            if not all(w in haystack for w in wanted):
                continue
            if any(
                has_unmasked_pii(t, names=personal[:1], addresses=personal[1:])
                for t in (question, text)
            ):
                continue
            out.append(
                PublicAnswer(
                    entry_id=f"{case.id}-{n + 1}",
                    unit=part.unit,
                    category=part.category,
                    asked_on=rec.on,
                    answered_on=answer.on,
                    question=question,
                    answer=text,
                )
            )
    out.sort(key=lambda e: (e.answered_on, e.entry_id), reverse=True)
    return out
