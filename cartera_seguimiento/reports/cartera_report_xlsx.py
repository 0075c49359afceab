# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models


class CarteraReportXlsx(models.AbstractModel):
    """XLSX export of a receivable report: one sheet per table the wizard
    describes, with the title and filters above the table."""
    _name = "cartera.report.xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Receivable Report (XLSX)"

    def generate_xlsx_report(self, workbook, data, objs):
        formats = self._formats(workbook)
        used = set()
        for wizard in objs:
            for sheet in wizard._xlsx_sheets():
                name = sheet["name"][:31]
                number = 2
                while name in used:
                    name = "%s %d" % (sheet["name"][:28], number)
                    number += 1
                used.add(name)
                self._write_sheet(workbook.add_worksheet(name), sheet,
                                  formats, wizard.company_id.name)

    def _formats(self, workbook):
        """The cell formats of the exports, amounts with the company
        currency's decimals."""
        currency = self.env.user.company_id.currency_id
        digits = "0" * currency.decimal_places
        amount_fmt = "#,##0%s" % (digits and "." + digits or "")
        return {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "label": workbook.add_format({"bold": True}),
            "header": workbook.add_format({
                "bold": True, "bg_color": "#D9E1F2", "border": 1,
                "text_wrap": True, "valign": "top"}),
            "text": workbook.add_format({}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "amount": workbook.add_format({"num_format": amount_fmt}),
            "integer": workbook.add_format({"num_format": "0"}),
            "percent": workbook.add_format({"num_format": "0.00"}),
            "total_text": workbook.add_format({"bold": True, "top": 1}),
            "total_amount": workbook.add_format({
                "bold": True, "top": 1, "num_format": amount_fmt}),
            "total_integer": workbook.add_format({
                "bold": True, "top": 1, "num_format": "0"}),
            "total_percent": workbook.add_format({
                "bold": True, "num_format": "0.00"}),
        }

    @staticmethod
    def _write_text(ws, row, col, value, cell_format=None):
        """Write a text cell as text. ``worksheet.write()`` guesses from
        the value: a note, a customer name or a label starting with "=",
        "+", "-" or "@" became a formula run by the spreadsheet, and a
        "http://", "mailto:", "external:"... text a link (or nothing, past
        the workbook's limit of links). The exports are data, never code.
        A number in a text column stays a number."""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return ws.write_number(row, col, value, cell_format)
        if value is None or value is False:
            value = ""
        return ws.write_string(row, col, str(value), cell_format)

    def _write_sheet(self, ws, sheet, formats, company):
        text = self._write_text
        text(ws, 0, 0, sheet["title"], formats["title"])
        text(ws, 1, 0, company)
        row = 2
        for label, value in sheet.get("filters", []):
            text(ws, row, 0, label, formats["label"])
            text(ws, row, 1, value)
            row += 1
        row += 1
        columns = sheet["columns"]
        for col, (label, kind) in enumerate(columns):
            text(ws, row, col, label, formats["header"])
            ws.set_column(col, col, 14 if kind != "text" else 24)
        ws.freeze_panes(row + 1, 0)
        for values in sheet["rows"]:
            row += 1
            for col, value in enumerate(values):
                kind = columns[col][1]
                if kind == "date" and value:
                    ws.write_datetime(row, col, fields.Datetime.from_string(
                        value), formats["date"])
                elif kind in ("amount", "integer", "percent") and \
                        isinstance(value, (int, float)) and \
                        not isinstance(value, bool):
                    ws.write_number(row, col, value, formats[kind])
                else:
                    text(ws, row, col, value, formats["text"])
        for key, prefix in (("totals", "total_"), ("percents", "total_")):
            if not sheet.get(key):
                continue
            row += 1
            for col, value in enumerate(sheet[key]):
                kind = columns[col][1]
                if key == "percents" and kind == "amount":
                    kind = "percent"
                if isinstance(value, (int, float)) and kind != "text":
                    ws.write_number(row, col, value,
                                    formats[prefix + kind] if prefix + kind
                                    in formats else formats["total_amount"])
                else:
                    text(ws, row, col, value, formats["total_text"])
        if not sheet["rows"]:
            text(ws, row + 1, 0, _("No data for these filters."))
