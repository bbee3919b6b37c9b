"""Work plans (政务公开工作要点): the year's tasks with their units and deadlines, the units'
progress reports with evidence, status derived as of a day, 回头看, and the Excel table.

The seeds carry these tables (seed 000 附件2 重点工作安排表, seed 002 §(七) 任务分解, seed 003 篇1
时限要求 and 篇6 序号 / 工作任务 / 牵头部门 / 责任部门). The pieces:

* `WorkPlan` and its `PlanTask` s (kept item kind ``"plan"``), each task's 完成时限 read into a
  `DueRule` by `parse_due` (a date, several, recurring ``每季度`` / ``每月``, ongoing
  ``长期坚持``); `read_plan_table` / `import_plan` read the spreadsheet offices keep;
* `ProgressReport` s with `Evidence` (kept item kind ``"plan.progress"``, one item per
  report so units never conflict): `file_report`;
* `plan_status` / `PlanStatus`: per task, unit and period, as of a day, with the overdue and
  due-soon lists per unit; `status_workbook` writes it to .xlsx;
* `review_list`: 回头看 of last year's plan; `task_outcomes`: what the assessment scores.

See docs/plans.md.
"""

from __future__ import annotations

from govdisclose.plans._due import (
    DueFormError,
    DueKind,
    DueRule,
    Frequency,
    Occurrence,
    format_due,
    parse_due,
)
from govdisclose.plans._excel import (
    HEADER_SYNONYMS,
    ImportReport,
    PlanImportError,
    RowProblem,
    header_field,
    import_plan,
    read_plan_table,
    status_workbook,
)
from govdisclose.plans._model import (
    Evidence,
    EvidenceKind,
    PlanTask,
    ProgressReport,
    ProgressState,
    WorkPlan,
    normal_unit,
    split_units,
)
from govdisclose.plans._sample import demo_plan, sample_plan_table
from govdisclose.plans._status import (
    PlanStatus,
    ReviewItem,
    ReviewList,
    TaskOutcome,
    TaskState,
    UnitStatus,
    UnitSummary,
    file_report,
    find_plan,
    plan_members,
    plan_reports,
    plan_status,
    review_list,
    save_plan,
    status_of,
    task_outcomes,
    unit_agencies,
)

__all__ = [
    "HEADER_SYNONYMS",
    "DueFormError",
    "DueKind",
    "DueRule",
    "Evidence",
    "EvidenceKind",
    "Frequency",
    "ImportReport",
    "Occurrence",
    "PlanImportError",
    "PlanStatus",
    "PlanTask",
    "ProgressReport",
    "ProgressState",
    "ReviewItem",
    "ReviewList",
    "RowProblem",
    "TaskOutcome",
    "TaskState",
    "UnitStatus",
    "UnitSummary",
    "WorkPlan",
    "demo_plan",
    "file_report",
    "find_plan",
    "format_due",
    "header_field",
    "import_plan",
    "normal_unit",
    "parse_due",
    "plan_members",
    "plan_reports",
    "plan_status",
    "read_plan_table",
    "review_list",
    "sample_plan_table",
    "save_plan",
    "split_units",
    "status_of",
    "status_workbook",
    "task_outcomes",
    "unit_agencies",
]
