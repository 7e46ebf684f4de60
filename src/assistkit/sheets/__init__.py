"""Households in spreadsheets, and outputs officials open in Excel or WPS (docs/spreadsheets.md).

- :func:`layout`: the sheets and columns of the household format, generated from its JSON Schema
  (:func:`assistkit.schema.household_schema`), so that they cannot drift from the model.
- :func:`read_sheets`: the households of a workbook (``.xlsx``) or a folder of CSV files, every problem named by
  sheet, row, column and household (:class:`CellProblem`); a bad household never loses the others.
- :func:`write_workbook`, :func:`write_csv_folder`: households (or none: the template) in that layout.
- :func:`determination_tables`, :func:`review_table`, :func:`notice_table` → :func:`write_xlsx` /
  :func:`write_csv`: determinations, review worklists and the public notice as tables for officials.

Reading and writing ``.xlsx`` needs openpyxl (``pip install 'assistkit[sheets]'``); CSV needs nothing more.
"""

from __future__ import annotations

from ._layout import KEY, LABELS_ZH, ROOT, Column, Sheet, column_letter, layout
from ._read import CellProblem, Imported, read_sheets, read_tables
from ._tables import Table, determination_tables, notice_table, review_table, write_csv, write_xlsx
from ._write import household_tables, readme_rows, write_csv_folder, write_workbook

__all__ = [
    "KEY",
    "LABELS_ZH",
    "ROOT",
    "CellProblem",
    "Column",
    "Imported",
    "Sheet",
    "Table",
    "determination_tables",
    "notice_table",
    "review_table",
    "write_csv",
    "write_xlsx",
    "column_letter",
    "household_tables",
    "layout",
    "read_sheets",
    "read_tables",
    "readme_rows",
    "write_csv_folder",
    "write_workbook",
]
