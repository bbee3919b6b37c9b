"""The review chain a record passes before it is published (先审查后公开, 条例 2019 第十七条).

An agency decides which steps a record needs before it may leave: a county office might require
经办人初审 -> 科室负责人审核 -> 分管领导审签, and a 保密审查 whose reviewer refers the doubtful
case to the secrecy office (保密办; 条例第十七条: 不能确定是否可以公开时，报有关主管部门或者保密
行政管理部门确定). Seed 003 describes exactly such a chain (信息员初审，科室负责人复核，分管领导
批示，不能确定时报同级保密部门). That requirement is configuration, a `ReviewChain`; what was
done is on the record, as its history of `govdisclose.model.ReviewStep` values; `progress`
compares the two. The publication guard (`govdisclose.publishing`) refuses a record whose chain
is incomplete, naming the missing step, and the proactive clock (`govdisclose.deadlines`) names
the step a record is waiting for.

How a history is read against a chain:

* the steps count in the chain's order: a step passed before the one ahead of it in the chain
  counts for nothing (审签 signs what 审核 checked) and must be passed again;
* a return (退回修改) sends the record back to be revised, and the revised text goes through
  the whole chain again: only the steps after the last return count;
* an escalation (报请确定) keeps its step open until that step is decided again (passed or
  returned), normally after the secrecy office's answer;
* steps the chain does not name (a 会签 the office added) are kept in the history and ignored;
* a step taken before the day the record was formed or last changed (``changed_on``) reviewed
  another text and does not count;
* a record with no history is read through its 0.1.0 fields as one step, `LEGACY_STEP`
  (保密审查): passed with ``review_status`` 审查通过, returned with 审查未通过. The default chain
  is that one step, so a 0.1.0 record publishes as it did.

`ReviewChain.from_settings` reads the chain from the host's settings: ``review.steps`` lists
the steps in order, separated by commas (``初审,审核,审签,保密审查``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from attrs import field, frozen

from govdisclose._time import SHANGHAI
from govdisclose.errors import ValidationError
from govdisclose.model import Record, ReviewStep
from govdisclose.settings import Settings
from govdisclose.vocab import ReviewDecision, ReviewStatus

__all__ = [
    "LEGACY_STEP",
    "REVIEW_STEPS_OPTION",
    "ReviewChain",
    "ReviewProgress",
]

#: The step a 0.1.0 record's ``review_status`` / ``reviewed_by`` / ``reviewed_on`` stand for:
#: `ReviewStatus` is the 保密审查 (条例第十七条).
LEGACY_STEP = "保密审查"

#: The settings option naming the chain's steps, in order: ``review.steps=初审,审核,审签``.
REVIEW_STEPS_OPTION = "review.steps"

# ASCII and full-width commas and the enumeration comma: what a clerk types between names.
_SEPARATORS = re.compile("[,，、]")


def _steps(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _check_steps(inst: object, att: object, value: tuple[str, ...]) -> None:
    bad = [s for s in value if not isinstance(s, str) or not s.strip() or s != s.strip()]
    if not value or bad or len(set(value)) != len(value):
        raise ValidationError(
            f"审查链须列出至少一个环节，环节名称不能为空、首尾不能有空白、不能重复：{value!r}",
            "a review chain needs at least one step; step names must be non-empty, without "
            f"surrounding blanks, and distinct: {value!r}",
            field="steps",
            code="review.invalid_chain",
        )


@frozen
class ReviewProgress:
    """Where a record stands against a `ReviewChain` (`ReviewChain.progress`).

    :param chain: the required steps, in order.
    :param passed: the steps of the current round passed so far, in the chain's order.
    :param pending: the first required step not yet passed; ``None`` when the chain is complete.
    :param escalated_to: the office the pending step was referred to, while it waits for it.
    :param returned: the return that ended the last round, when nothing has been done since.
    :param counted: the positions in ``record.reviews`` of the steps counted as passed.
    :param legacy: the record has no history and was read through its 0.1.0 fields.
    :param legacy_rejected: its 0.1.0 ``review_status`` is 审查未通过, which blocks with or
        without a history (a "no" from either record of the review is a no).
    """

    chain: tuple[str, ...]
    passed: tuple[str, ...]
    pending: str | None
    escalated_to: str | None = None
    returned: ReviewStep | None = None
    counted: tuple[int, ...] = ()
    legacy: bool = False
    legacy_rejected: bool = False

    @property
    def complete(self) -> bool:
        """Every step of the chain passed, and nothing says the review failed."""
        return self.pending is None and not self.legacy_rejected

    @property
    def status(self) -> ReviewStatus:
        """The review's status derived from the history: 审查通过 when the chain is complete,
        审查未通过 when the last act was a return (or the 0.1.0 status says so), 待审查
        otherwise."""
        if self.returned is not None or self.legacy_rejected:
            return ReviewStatus.REJECTED
        return ReviewStatus.PASSED if self.pending is None else ReviewStatus.PENDING

    def describe_zh(self) -> str:
        """What the record waits for, in Chinese (empty when the chain is complete)."""
        if self.returned is not None:
            return (
                f"已于{self.returned.on.isoformat()}被“{self.returned.step}”退回修改"
                f"（{self.returned.note}），修改后须自“{self.pending}”起重新审查"
            )
        if self.legacy_rejected:
            return "审查未通过（review_status 为“审查未通过”）"
        if self.pending is None:
            return ""
        if self.escalated_to is not None:
            return f"待“{self.pending}”：已报{self.escalated_to}确定，尚未答复"
        return f"待“{self.pending}”"

    def describe_en(self) -> str:
        """What the record waits for, in English (empty when the chain is complete)."""
        if self.returned is not None:
            return (
                f"returned at {self.returned.step!r} on {self.returned.on.isoformat()}; the "
                f"revised record goes through the chain again from {self.pending!r}"
            )
        if self.legacy_rejected:
            return "the review was rejected (review_status is rejected)"
        if self.pending is None:
            return ""
        if self.escalated_to is not None:
            return f"waiting for {self.pending!r}: referred to {self.escalated_to}, no answer yet"
        return f"waiting for {self.pending!r}"


@frozen
class ReviewChain:
    """The review steps an agency requires before a record is published, in order.

    >>> from govdisclose.review import ReviewChain
    >>> ReviewChain(steps=("初审", "审核", "审签")).steps
    ('初审', '审核', '审签')

    A step name is matched exactly against `ReviewStep.step`.
    """

    steps: tuple[str, ...] = field(converter=_steps, validator=_check_steps)

    @classmethod
    def default(cls) -> ReviewChain:
        """The chain the law itself requires: one 保密审查 (条例第十七条), `LEGACY_STEP`."""
        return cls((LEGACY_STEP,))

    @classmethod
    def from_settings(cls, settings: Settings) -> ReviewChain:
        """The chain of the option `REVIEW_STEPS_OPTION` (``review.steps=初审,审核,审签``,
        commas ASCII or full-width, or 、), or `default` without it.

        :raises ValidationError: ``settings.invalid_review_steps`` for an empty list, a blank
            or repeated step.
        """
        raw = settings.options.get(REVIEW_STEPS_OPTION)
        if raw is None:
            return cls.default()
        steps = tuple(s.strip() for s in _SEPARATORS.split(raw))
        if not raw.strip() or any(not s for s in steps) or len(set(steps)) != len(steps):
            raise ValidationError(
                f"设置项 {REVIEW_STEPS_OPTION} 须按顺序列出审查环节，以逗号分隔，环节不能为空或"
                f"重复：{raw!r}",
                f"the option {REVIEW_STEPS_OPTION} must list the review steps in order, "
                f"separated by commas, none blank or repeated: {raw!r}",
                field=f"options[{REVIEW_STEPS_OPTION!r}]",
                code="settings.invalid_review_steps",
            )
        return cls(steps)

    def progress(self, record: Record) -> ReviewProgress:
        """How far ``record``'s review has come on this chain (see the module's rules)."""
        if not record.reviews:
            return self._legacy(record)
        # The current round: after the last return, and not before the text under review
        # existed (its formation or last change, a day in Asia/Shanghai).
        begin = record.clock_start
        start = 0
        for i, step in enumerate(record.reviews):
            if (
                step.decision is ReviewDecision.RETURNED
                or step.at.astimezone(SHANGHAI).date() < begin
            ):
                start = i + 1
        last = record.reviews[start - 1] if start else None
        returned = (
            last
            if last is not None
            and last.decision is ReviewDecision.RETURNED
            and start == len(record.reviews)
            and last.at.astimezone(SHANGHAI).date() >= begin
            else None
        )
        position = 0
        counted: list[int] = []
        escalated_to: str | None = None
        for i in range(start, len(record.reviews)):
            step = record.reviews[i]
            if position == len(self.steps):
                break
            if step.step != self.steps[position]:
                continue
            if step.decision is ReviewDecision.ESCALATED:
                escalated_to = step.to
            elif step.decision is ReviewDecision.PASSED:
                position += 1
                counted.append(i)
                escalated_to = None
        pending = self.steps[position] if position < len(self.steps) else None
        return ReviewProgress(
            chain=self.steps,
            passed=self.steps[:position],
            pending=pending,
            escalated_to=escalated_to if pending is not None else None,
            returned=returned,
            counted=tuple(counted),
            legacy_rejected=record.review_status is ReviewStatus.REJECTED,
        )

    def _legacy(self, record: Record) -> ReviewProgress:
        passed = record.review_status is ReviewStatus.PASSED
        position = 0
        # The one 0.1.0 step counts where the chain has it, in the chain's order like any other.
        if passed and self.steps[0] == LEGACY_STEP:
            position = 1
        return ReviewProgress(
            chain=self.steps,
            passed=self.steps[:position],
            pending=self.steps[position] if position < len(self.steps) else None,
            legacy=True,
            legacy_rejected=record.review_status is ReviewStatus.REJECTED,
        )
