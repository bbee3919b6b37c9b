"""The work plan (政务公开工作要点 / 重点工作安排表), its tasks, and the units' progress reports.

A plan is what the issuing office sends out once a year (seed 000 附件2, seed 002, seed 003
篇6): numbered tasks under the plan's sections, each with a lead unit (牵头单位), responsible
units (责任单位) and a 完成时限. The units then report their progress (seed 002 §(十四)
“确保全年各项任务按时完成”, seed 000 §四 “工作方案、工作实效分别于9月10日前、10月25日前报”),
each report with its evidence.

Both are kept items (`govdisclose.store.kinds`): the plan under kind ``"plan"``, every progress
report under its own kind ``"plan.progress"``, so thirty units reporting the same afternoon
write thirty new items and never conflict on the plan's version. A report, once stored, is
never rewritten: a correction is a new report (the history is the evidence the assessment
reads).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from pathlib import Path

from attrs import field, frozen

from govdisclose.errors import InvalidTransition, NotFound, ValidationError
from govdisclose.model import _instance, _not_blank, _opt_str, _optional, _tuple, _tuple_of
from govdisclose.plans._due import DueRule
from govdisclose.store.kinds import ItemKind, register
from govdisclose.vocab import CodedEnum

__all__ = [
    "Evidence",
    "EvidenceKind",
    "PlanTask",
    "ProgressReport",
    "ProgressState",
    "WorkPlan",
    "normal_unit",
    "split_units",
]


def normal_unit(text: str) -> str:
    """A unit's name as compared: full-width forms folded (NFKC), spaces removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# Units are listed with 、, commas, semicolons, 及 and 会同 (seed 000 附件2: “县编办会同县法制办
# 牵头”; seed 003 篇6: “县政府相关部门,各乡镇人民政府,经开区管委会”). 和 is not a separator: it is
# inside names (县人力资源和社会保障局).
_UNIT_SEP = re.compile(r"[、，,；;/]|及|会同")
_LEAD_MARK = re.compile(r"(?:牵头负责|牵头|负责)$")
_HELP_MARK = re.compile(r"(?:配合落实|具体落实|负责落实|落实|配合|参与|协助)$")


def _names(text: str) -> list[str]:
    out = []
    for piece in _UNIT_SEP.split(text):
        name = re.sub(r"等$", "", piece.strip())
        if name:
            out.append(name)
    return out


def split_units(text: str, *, lead_column: bool = False) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(lead units, responsible units)`` of a unit cell as the tables write it.

    >>> split_units("县财政局牵头，县政府各部门、各有关单位落实")
    (('县财政局',), ('县政府各部门', '各有关单位'))
    >>> split_units("县住建局、县房管局牵头")
    (('县住建局', '县房管局'), ())

    A clause ending in 牵头 names lead units, one ending in 落实/配合 responsible units; any other
    clause belongs to the column it is in (``lead_column``). A trailing 等 is dropped.
    """
    lead: list[str] = []
    units: list[str] = []
    flat = normal_unit(text)
    for clause in re.split(r"[，,；;。]", flat):
        if not clause:
            continue
        if _LEAD_MARK.search(clause):
            lead.extend(_names(_LEAD_MARK.sub("", clause)))
        elif _HELP_MARK.search(clause):
            units.extend(_names(_HELP_MARK.sub("", clause)))
        elif lead_column:
            lead.extend(_names(clause))
        else:
            units.extend(_names(clause))
    return tuple(dict.fromkeys(lead)), tuple(dict.fromkeys(units))


# -- evidence -------------------------------------------------------------------------------


class EvidenceKind(CodedEnum):
    """What a progress report points to as its proof (seed 003 篇6 §(四): 工作台帐)."""

    RECORD = ("record", "政府信息")
    PUBLICATION = ("publication", "公开发布")
    FILE = ("file", "佐证材料")


_SHA256 = re.compile(r"[0-9a-f]{64}")


@frozen
class Evidence:
    """One piece of evidence: a stored record (its id), a publication (the record's id, the
    page's URL, the day), or a file's metadata (name, size in bytes, SHA-256 of its bytes).

    Build with `Evidence.record`, `Evidence.publication`, `Evidence.file` or
    `Evidence.of_file` (which reads the file).
    """

    kind: EvidenceKind = field(validator=_instance(EvidenceKind))
    record_id: str | None = field(default=None, validator=_optional(_not_blank))
    url: str | None = field(default=None, validator=_opt_str)
    published_on: date | None = field(default=None, validator=_optional(_instance(date)))
    name: str | None = field(default=None, validator=_optional(_not_blank))
    size: int | None = field(default=None, validator=_optional(_instance(int)))
    sha256: str | None = field(default=None, validator=_opt_str)

    def __attrs_post_init__(self) -> None:
        if self.kind is EvidenceKind.RECORD:
            ok = self.record_id is not None and self.name is None
        elif self.kind is EvidenceKind.PUBLICATION:
            ok = (self.record_id is not None or bool(self.url)) and self.name is None
        else:
            ok = (
                self.name is not None
                and self.size is not None
                and self.size >= 0
                and self.sha256 is not None
                and _SHA256.fullmatch(self.sha256) is not None
                and self.record_id is None
            )
        if not ok:
            raise ValidationError(
                "佐证材料不完整：政府信息须有编号；公开发布须有信息编号或网址；文件须有文件名、"
                f"大小和 SHA-256（64位十六进制小写）：{self!r}",
                "incomplete evidence: a record needs its id, a publication a record id or a URL, "
                f"a file its name, size and SHA-256 (64 lower-case hex digits): {self!r}",
                field="evidence",
                code="plans.bad_evidence",
            )

    @classmethod
    def record(cls, record_id: str) -> Evidence:
        """A stored record (政府信息) that shows the work was done."""
        return cls(EvidenceKind.RECORD, record_id=record_id)

    @classmethod
    def publication(
        cls, *, record_id: str | None = None, url: str | None = None, on: date | None = None
    ) -> Evidence:
        """A publication: the record published, the page it is on, the day."""
        return cls(EvidenceKind.PUBLICATION, record_id=record_id, url=url, published_on=on)

    @classmethod
    def file(cls, name: str, size: int, sha256: str) -> Evidence:
        """A file kept elsewhere (the OA system's attachment), by its metadata."""
        return cls(EvidenceKind.FILE, name=name, size=size, sha256=sha256.lower())

    @classmethod
    def of_file(cls, path: str | Path) -> Evidence:
        """The metadata of the file at ``path``: its name, size and SHA-256."""
        p = Path(path)
        digest = hashlib.sha256()
        size = 0
        with p.open("rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 16), b""):
                digest.update(chunk)
                size += len(chunk)
        return cls.file(p.name, size, digest.hexdigest())

    def describe(self) -> str:
        """One short line: ``record R-1``, ``file 方案.pdf (1,234 bytes, sha256 ab12…)``."""
        if self.kind is EvidenceKind.RECORD:
            return f"record {self.record_id}"
        if self.kind is EvidenceKind.PUBLICATION:
            bits = [b for b in (self.record_id, self.url) if b]
            when = f" on {self.published_on}" if self.published_on else ""
            return f"publication {' '.join(bits)}{when}"
        return f"file {self.name} ({self.size:,} bytes, sha256 {(self.sha256 or '')[:12]}…)"


# -- the plan -------------------------------------------------------------------------------


def _units_tuple(value: object) -> tuple[str, ...]:
    names = _tuple(value)
    if isinstance(names, tuple):
        return tuple(dict.fromkeys(normal_unit(n) if isinstance(n, str) else n for n in names))
    return names  # type: ignore[no-any-return]


@frozen
class PlanTask:
    """One task of a plan.

    :param number: the task's 序号 in the plan, its key (``"5"``; the row order when the table
        has no 序号).
    :param text: what is to be done (the 工作任务 or 工作要求 cell).
    :param section: the plan's heading it stands under (``"一、加强主动公开工作"``).
    :param subsection: the second-level heading (``"（一）做好各类规划主动公开"``).
    :param lead_units: 牵头单位, as written.
    :param units: 责任单位, as written.
    :param due: the 完成时限 read (`govdisclose.plans.parse_due`).
    :param title: the short name when the table has one besides the text (seed 000: 工作任务
        “政府信息解读” above 工作要求).
    :param carried_from: ``"<plan id>#<number>"`` of last year's task this one carries over
        (回头看).
    """

    number: str = field(validator=_not_blank)
    text: str = field(validator=_not_blank)
    due: DueRule = field(validator=_instance(DueRule))
    lead_units: tuple[str, ...] = field(
        default=(), converter=_units_tuple, validator=_tuple_of(str)
    )
    units: tuple[str, ...] = field(default=(), converter=_units_tuple, validator=_tuple_of(str))
    section: str | None = field(default=None, validator=_opt_str)
    subsection: str | None = field(default=None, validator=_opt_str)
    title: str | None = field(default=None, validator=_opt_str)
    note: str | None = field(default=None, validator=_opt_str)
    carried_from: str | None = field(default=None, validator=_opt_str)

    def __attrs_post_init__(self) -> None:
        if not self.lead_units and not self.units:
            raise ValidationError(
                f"任务 {self.number} 没有牵头单位或责任单位",
                f"task {self.number} has neither a lead nor a responsible unit",
                field="units",
                code="plans.no_unit",
            )

    @property
    def assignees(self) -> tuple[str, ...]:
        """Every unit the task is given to: the lead units, then the responsible ones."""
        return tuple(dict.fromkeys((*self.lead_units, *self.units)))


@frozen
class WorkPlan:
    """A year's work plan of one issuer (kept item kind ``"plan"``).

    :param id: the plan's key, e.g. ``"county-gov-2024"``.
    :param agency: the issuing agency's code (it must be stored first).
    :param year: the plan year; dates written without a year are in it.
    :param title: ``"2024年政务公开工作要点"``.
    :param tasks: the tasks, in the table's order, numbers unique.
    :param source: where it came from (the spreadsheet's file name).
    """

    id: str = field(validator=_not_blank)
    agency: str = field(validator=_not_blank)
    year: int = field(validator=_instance(int))
    title: str = field(validator=_not_blank)
    tasks: tuple[PlanTask, ...] = field(converter=_tuple, validator=_tuple_of(PlanTask))
    source: str | None = field(default=None, validator=_opt_str)

    def __attrs_post_init__(self) -> None:
        if not 1990 <= self.year <= 9998:
            raise ValidationError(
                f"计划年度 {self.year} 不在 1990–9998 之间",
                f"plan year {self.year} is not within 1990-9998",
                field="year",
                code="plans.bad_year",
            )
        seen: set[str] = set()
        for i, task in enumerate(self.tasks):
            if task.number in seen:
                raise ValidationError(
                    f"任务序号 {task.number} 重复",
                    f"task number {task.number!r} appears twice",
                    field=f"tasks[{i}].number",
                    code="plans.duplicate_task",
                )
            seen.add(task.number)

    def task(self, number: str) -> PlanTask:
        """The task with that 序号; `NotFound` (field ``task``) naming the plan otherwise."""
        for task in self.tasks:
            if task.number == number:
                return task
        raise NotFound(
            f"计划 {self.id} 中没有序号为 {number} 的任务",
            f"plan {self.id!r} has no task {number!r}",
            field="task",
            code="plans.no_task",
        )

    @property
    def units(self) -> tuple[str, ...]:
        """Every unit named in the plan, in order of first mention."""
        return tuple(dict.fromkeys(u for t in self.tasks for u in t.assignees))


def _same_plan_key(old: WorkPlan | None, new: WorkPlan) -> None:
    # A plan may be corrected (a task added, a unit renamed), but not moved to another year:
    # its reports were judged against that year's dates.
    if old is not None and old.year != new.year:
        raise InvalidTransition(
            f"计划 {new.id} 的年度不能由 {old.year} 改为 {new.year}",
            f"plan {new.id!r} cannot move from year {old.year} to {new.year}",
            field="year",
            code="plans.year_changed",
        )


# -- progress ------------------------------------------------------------------------------


class ProgressState(CodedEnum):
    """What a unit reports about a task."""

    IN_PROGRESS = ("in_progress", "推进中")
    DONE = ("done", "已完成")


@frozen
class ProgressReport:
    """One unit's report on one task (kept item kind ``"plan.progress"``), filed under the
    plan's issuing agency.

    :param id: the report's key (unique; `govdisclose.plans.file_report` makes one).
    :param agency: the plan's issuing agency (where the report is filed).
    :param plan: the plan's id.
    :param task: the task's 序号.
    :param unit: the reporting unit, as the plan names it.
    :param on: the day the report was made; a status as of an earlier day does not see it.
    :param state: 推进中 or 已完成.
    :param period: the occurrence of a recurring task reported on (``"2024Q1"``); ``None`` for
        the occurrence whose period contains the completion day.
    :param completed_on: the day the work was done (defaults to ``on`` for a 已完成 report).
    :param evidence: what shows it.
    """

    id: str = field(validator=_not_blank)
    agency: str = field(validator=_not_blank)
    plan: str = field(validator=_not_blank)
    task: str = field(validator=_not_blank)
    unit: str = field(converter=normal_unit, validator=_not_blank)
    on: date = field(validator=_instance(date))
    state: ProgressState = field(validator=_instance(ProgressState))
    period: str | None = field(default=None, validator=_optional(_not_blank))
    completed_on: date | None = field(default=None, validator=_optional(_instance(date)))
    note: str | None = field(default=None, validator=_opt_str)
    evidence: tuple[Evidence, ...] = field(
        default=(), converter=_tuple, validator=_tuple_of(Evidence)
    )
    reported_by: str | None = field(default=None, validator=_opt_str)

    def __attrs_post_init__(self) -> None:
        if self.completed_on is not None and (
            self.state is not ProgressState.DONE or self.completed_on > self.on
        ):
            raise ValidationError(
                f"完成日期 {self.completed_on} 只能用于“已完成”的报告，"
                f"且不能晚于报告日期 {self.on}",
                f"completed_on {self.completed_on} belongs to a done report and cannot be after "
                f"the report's day {self.on}",
                field="completed_on",
                code="plans.bad_completion",
            )

    @property
    def done_on(self) -> date | None:
        """The day the work was done, for a 已完成 report."""
        if self.state is not ProgressState.DONE:
            return None
        return self.completed_on or self.on


def _never_rewritten(old: ProgressReport | None, new: ProgressReport) -> None:
    if old is not None and old != new:
        raise InvalidTransition(
            f"进展报告 {new.id} 已存储，不能改写；更正请另报一份",
            f"progress report {new.id!r} is stored and cannot be rewritten; file a new one to "
            "correct it",
            field="plan.progress",
            code="plans.report_rewritten",
        )


register(
    ItemKind(
        code="plan",
        cls=WorkPlan,
        label_zh="工作计划",
        label_en="work plan",
        check=_same_plan_key,
    )
)
register(
    ItemKind(
        code="plan.progress",
        cls=ProgressReport,
        label_zh="任务进展报告",
        label_en="progress report",
        check=_never_rewritten,
    )
)
