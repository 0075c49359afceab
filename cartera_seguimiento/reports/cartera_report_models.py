# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The models Odoo and report_xlsx look a report up by: ``report.<report
name>``. Each is the generic renderer (``cartera.report.qweb`` for the
PDF and HTML, ``cartera.report.xlsx`` for the XLSX export) under the
report's name, declared here from one table rather than a file each."""
from odoo import models

# (report name, the wizard it prints, description, has an XLSX export
# "<report name>_xlsx"). The statement of account prints customers, not a
# wizard: its renderer is reports/report_statement.py.
REPORTS = [
    ("report_followup", "cartera.followup.report.wizard",
     "Follow-up Report", True),
    ("report_task", "cartera.task.report.wizard", "Task Report", True),
    ("report_aging", "cartera.aging.report.wizard", "Aging Report", True),
    ("report_movement", "cartera.movement.report.wizard",
     "Movement Report", True),
    ("report_history", "cartera.history.report.wizard",
     "History Report", True),
    ("report_promise", "cartera.promise.report.wizard",
     "Payment Promises Report", True),
    ("report_kpi", "cartera.kpi.report.wizard",
     "Receivable Indicators Report", False),
    # Issue 25: disputes and the collection runs (H3).
    ("report_dispute", "cartera.dispute.report.wizard",
     "Dispute Report", True),
    ("report_dunning", "cartera.dunning.report.wizard",
     "Collection Management Report", True),
    # Issue 26: each item's legal calendar (H3).
    ("report_legal_calendar", "cartera.legal.calendar.report.wizard",
     "Legal Deadlines Report", True),
    # Issue 27: the receivables impairment (H4).
    ("report_impairment", "cartera.impairment.report.wizard",
     "Receivables Impairment Report", True),
    # Issue 26: the liquidation of late-payment interest (H2).
    ("report_interest", "cartera.interest.report.wizard",
     "Late-payment Interest Liquidation", True),
]


def _declare(report_name, renderer, description, wizard_model=None):
    """Register the model ``report.cartera_seguimiento.<report_name>``
    (Odoo registers a model class when it is defined)."""
    class ReportModel(models.AbstractModel):
        _name = "report.cartera_seguimiento.%s" % report_name
        _inherit = renderer
        _description = description
        _wizard_model = wizard_model
    return ReportModel


for _report, _wizard, _description, _xlsx in REPORTS:
    _declare(_report, "cartera.report.qweb", _description, _wizard)
    if _xlsx:
        _declare(_report + "_xlsx", "cartera.report.xlsx",
                 _description + " (XLSX)")
