# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Receivables Follow-up (Seguimiento de cartera)",
    "summary": "Record follow-ups of customers' debts, their next tasks, "
               "closings that seal them, and receivable reports",
    "version": "11.0.6.0.0",
    "category": "Accounting",
    "website": "https://github.com/cartera-seguimiento/cartera_seguimiento",
    "author": "Cartera Seguimiento contributors",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "account",
        "mail",
        "report_xlsx",
    ],
    # What the addon imports besides Odoo (all of them ship with Odoo 11,
    # but openupgradelib, OCA's helpers for the migration scripts; XLSX
    # goes through report_xlsx, which declares xlsxwriter).
    "external_dependencies": {
        "python": [
            "holidays", "openupgradelib", "psycopg2", "pytz", "werkzeug"],
    },
    # Grouped by kind; within a kind, what others refer to comes first.
    "data": [
        # Groups, access rights and record rules.
        "security/cartera_security.xml",
        "security/ir.model.access.csv",
        "security/cartera_ledger_security.xml",
        "security/cartera_closing_security.xml",
        "security/cartera_agenda_security.xml",
        "security/cartera_kpi_security.xml",
        "security/cartera_statement_security.xml",
        "security/cartera_dunning_security.xml",
        # Issue 26: late-payment interest billed (H2).
        "security/cartera_interest_billing_security.xml",
        "security/cartera_interest_security.xml",
        # Issue 27: the receivables impairment (H4).
        "security/cartera_impairment_security.xml",
        # Sequences, types, scheduled actions, mail templates.
        "data/cartera_followup_type_data.xml",
        "data/ir_cron_data.xml",
        "data/cartera_closing_data.xml",
        "data/cartera_promise_data.xml",
        "data/cartera_statement_data.xml",
        "data/cartera_dunning_digest_data.xml",
        "data/cartera_dunning_data.xml",
        "data/cartera_dunning_run_data.xml",
        "data/cartera_dispute_data.xml",
        # Report actions and templates (the wizards' forms are screens).
        "reports/cartera_reports.xml",
        "reports/report_templates.xml",
        "reports/cartera_statement_report.xml",
        "reports/cartera_promise_report.xml",
        "reports/cartera_kpi_report.xml",
        "reports/cartera_dunning_letter.xml",
        "reports/cartera_dispute_report.xml",
        "reports/cartera_dunning_report.xml",
        # Issue 26: the liquidation and the interest block (H2).
        "reports/cartera_interest_report.xml",
        # Screens.
        "views/assets.xml",
        "views/cartera_followup_type_views.xml",
        "views/cartera_followup_views.xml",
        "views/res_partner_views.xml",
        "views/account_invoice_views.xml",
        "views/cartera_followup_file_views.xml",
        "views/cartera_closing_views.xml",
        "views/cartera_promise_views.xml",
        "views/cartera_agenda_views.xml",
        "views/cartera_kpi_month_views.xml",
        "views/cartera_statement_run_views.xml",
        "views/cartera_dunning_plan_views.xml",
        "views/cartera_dunning_run_views.xml",
        "views/cartera_dispute_views.xml",
        "views/cartera_interest_rate_views.xml",
        "wizards/cartera_report_wizard_views.xml",
        "wizards/cartera_statement_wizard_views.xml",
        "wizards/cartera_dispute_report_wizard_views.xml",
        "wizards/cartera_dunning_run_wizard_views.xml",
        # Issue 26: each item's legal calendar, its report and screens.
        "wizards/cartera_legal_calendar_report_wizard_views.xml",
        "reports/cartera_legal_calendar_report.xml",
        "views/cartera_legal_calendar_views.xml",
        # Issue 27: the receivables impairment (H4).
        "views/cartera_impairment_views.xml",
        "reports/cartera_impairment_report.xml",
        "wizards/cartera_impairment_wizard_views.xml",
        # Issue 26: liquidation, billing and switches (H2).
        "wizards/cartera_interest_wizard_views.xml",
        # The menu tree, last: it opens the actions above.
        "views/cartera_menus.xml",
    ],
    "demo": [
        "demo/cartera_demo.xml",
        # The collection plan and the items' level history.
        "demo/cartera_dunning_demo.xml",
        # issue 26: the certified rates of the months the demo's items are
        # overdue in.
        "demo/cartera_interest_rate_demo.xml",
        # issue 27: the provision matrix's rates and the PUC's accounts.
        "demo/cartera_impairment_demo.xml",
    ],
}
