"""The 依申请公开登记台账 in Excel: read into applications, written back with due dates and status.

Most small offices keep the register of applications (条例 2019 第四十五条: 申请登记、审核、办理、
答复、归档) in a spreadsheet. This package reads it as the offices write it and writes it back:

* `read_ledger` / `import_ledger`: an .xlsx (or .csv) with the columns offices use
  (序号, 申请日期, 申请人, 申请人类型, 申请方式, 申请内容, 是否补正, 是否延期, 答复日期,
  答复结果, 是否收费 …), headers matched leniently (`LEDGER_SYNONYMS`; spaces,
  full-width punctuation, a group label merged over two header rows, a one-character
  typo), dates as Excel and clerks write them
  (`read_date`: date cells, serial numbers, ``2026年1月5日``, ``2026.1.5``, ``2026/1/5``); each
  row becomes an `Application` whose events pass `govdisclose.lifecycle`. Labels of 申请方式,
  申请人类型 and 答复结果 go through the enums' ``from_label``. Every cell that cannot be read is
  named by sheet, row and column (``台账!F12``) in a `CellProblem`; one refuses the sheet
  (`LedgerImportError`) unless ``lenient=True``. `import_ledger` is idempotent.
* `ledger_table` / `ledger_workbook` / `ledger_csv`: the ledger as of a day with the 答复期限
  and status computed from the events (`govdisclose.deadlines`), real date cells, widths, the
  header frozen; CSV in UTF-8 with a BOM.
* `read_records` / `import_records`: the register of 公文 (标题, 文号, 发布机构, 成文日期,
  公开属性 …) into `Record` values, the same way.

openpyxl is the optional extra ``excel``, imported only when a workbook is read or written.
See docs/guide/ledger.md.
"""

from __future__ import annotations

from govdisclose.ledger._applications import (
    COMPUTED_COLUMNS,
    LEDGER_SYNONYMS,
    NOT_RECORDED,
    LedgerImport,
    LedgerReport,
    import_ledger,
    ledger_matcher,
    read_ledger,
)
from govdisclose.ledger._cells import (
    CellError,
    CellProblem,
    LedgerImportError,
    read_amount,
    read_date,
    read_flag,
)
from govdisclose.ledger._export import (
    EXPORT_COLUMNS,
    LedgerTable,
    ledger_csv,
    ledger_table,
    ledger_workbook,
)
from govdisclose.ledger._headers import Header, HeaderColumn, HeaderMatch, HeaderMatcher, fold
from govdisclose.ledger._records import (
    RECORD_SYNONYMS,
    RecordsImport,
    RecordsReport,
    import_records,
    read_records,
)

__all__ = [
    "COMPUTED_COLUMNS",
    "EXPORT_COLUMNS",
    "LEDGER_SYNONYMS",
    "NOT_RECORDED",
    "RECORD_SYNONYMS",
    "CellError",
    "CellProblem",
    "Header",
    "HeaderColumn",
    "HeaderMatch",
    "HeaderMatcher",
    "LedgerImport",
    "LedgerImportError",
    "LedgerReport",
    "LedgerTable",
    "RecordsImport",
    "RecordsReport",
    "fold",
    "import_ledger",
    "import_records",
    "ledger_csv",
    "ledger_matcher",
    "ledger_table",
    "ledger_workbook",
    "read_amount",
    "read_date",
    "read_flag",
    "read_ledger",
    "read_records",
]
