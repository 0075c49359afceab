"""Access matrix: every model of the addon (listed from ir.model), every
group (collector alone, collector with billing rights, manager, accountant,
a salesperson without the addon's groups, portal, public, a manager of
another company, and the superuser), every operation (read, create, write,
unlink, each wizard's action and each report), over XML-RPC and HTTP: only
what POLICY allows works. A leak is an operation that worked where the
policy says no. A closed follow-up is a case of cartera.followup: collectors
read their own closed ones and not others', and nobody, the superuser
included, writes, deletes, posts, follows or attaches on one; the closing
log is immutable for everyone too. The report engine's follow-up and task
listings show what the follow-ups' record rules show, no more.

The world is built as production runs, tracking on: the follow-ups of a
collector's customers are recorded BY that collector over XML-RPC (they
author the creation message and follow it; the customer's salesperson
follows it too) and closed by a manager. Then the paths Odoo's own mail and
accounting rules open (issue 23, "Trust") are tried cell by cell, one test
per point of the issue (``test_trust_*``), each cell named after its hole:
the conversation of a closed follow-up, following, the ledger, the
statements' recipients and runs, read-only fields, dates, other users'
tasks, private notices, multi-company, outsiders' reads, exports. A write
cell compares the database before and after."""
import io
import itertools
import re
import xmlrpc.client
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests

from stress_util import RUN, JsonRpc, RpcError, make_user, report, xmlid

OTHER_MANAGER = "other_manager"
GROUPS = {
    "collector": ["cartera_seguimiento.group_cartera_user"],
    "collector_billing": ["cartera_seguimiento.group_cartera_user",
                          "account.group_account_invoice"],
    "manager": ["cartera_seguimiento.group_cartera_manager"],
    "accountant": ["account.group_account_user", "base.group_user"],
    # The salesperson of a customer (res.partner.user_id), an employee
    # without the addon's groups (sales_team is not installed).
    "salesperson": ["base.group_user"],
    "portal": ["base.group_portal"],
    "public": ["base.group_public"],
    # A manager of the addon whose company is another one.
    OTHER_MANAGER: ["cartera_seguimiento.group_cartera_manager"],
}
# Who uses the addon in the main company; the samples are the
# collector's customers (collector_billing is another collector).
STAFF = {"collector", "collector_billing", "manager"}
OWN = {"collector", "manager"}
# The superuser (admin, uid 1) passes every access right and rule; only
# the immutable models refuse it.
SUPER = "superuser"
ALL = set(GROUPS) | {SUPER}
# The addon's day is the company's (Bogotá), not the machine's UTC date:
# from 19:00 Bogotá the two differ.
TODAY = datetime.now(ZoneInfo("America/Bogota")).date()

# Which groups may do what. Reports: the wizard's PDF/HTML/XLSX output.
# "read_other" reads a record of another collector's customer, and
# "read_other_company" one of another company (record rules).
POLICY = {
    "cartera.followup.type": {
        "read": STAFF | {SUPER}, "create": {"manager", SUPER},
        "write": {"manager", SUPER}, "unlink": {"manager", SUPER}},
    "cartera.followup": {
        "read": OWN | {SUPER}, "read_other": {"manager", SUPER},
        "read_other_company": {SUPER},
        "create": STAFF | {SUPER}, "write": OWN | {SUPER},
        "unlink": {"manager", SUPER},
        "message_post": OWN | {SUPER},
        "message_post_other": {"manager", SUPER},
        "messages_other": {"manager", SUPER},
        # Closed follow-ups: read as open ones are, changed by nobody.
        "read_closed": OWN | {SUPER},
        "read_closed_other": {"manager", SUPER},
        "messages_closed": OWN | {SUPER},
        "messages_closed_other": {"manager", SUPER},
        "write_closed": set(), "write_closed_state": set(),
        "unlink_closed": set(), "message_post_closed": set(),
        "follow_closed": set(), "unfollow_closed": set(),
        "attach_closed": set()},
    "cartera.closing": {
        "read": {"manager", SUPER}, "create": set(), "write": set(),
        "unlink": set()},
    "cartera.closing.wizard": {"action_close": {"manager", SUPER}},
    "cartera.ar.report": {
        "aging": STAFF | {SUPER}, "movement": STAFF | {SUPER},
        "history": STAFF | {SUPER}, "promises": STAFF | {SUPER}},
}
REPORTS = ("followup", "task", "aging", "movement", "history", "promise",
           # Issue 26: the liquidation of late-payment interest (an empty
           # one where the company charges none).
           "interest")
for _report in REPORTS:
    POLICY["cartera.%s.report.wizard" % _report] = {
        "action_print_html": STAFF | {SUPER},
        "action_export_xlsx": STAFF | {SUPER}}
    POLICY["report.cartera_seguimiento.report_%s" % _report] = {
        "html": STAFF | {SUPER}}
    POLICY["report.cartera_seguimiento.report_%s_xlsx" % _report] = {
        "xlsx": STAFF | {SUPER}}
# The smart buttons of customers and invoices count only what the user
# may read.
POLICY["cartera.followup.stats.mixin"] = {
    "stats": STAFF | {SUPER}, "stats_other": {"manager", SUPER}}
# Promises and the agenda: what the access rights let each group reach
# (their record rules are tested in the addon's own tests).
POLICY["cartera.promise"] = {"search": STAFF | {SUPER},
                             "evaluate": STAFF | {SUPER}}
POLICY["cartera.agenda"] = {"search": STAFF | {SUPER}}
# The indicators: kpis() over JSON-RPC (its rates may be None), the
# dashboard's rows (record rules in the addon's tests), their refresh by
# managers, and the one-page PDF's wizard (PDF/HTML only).
POLICY["cartera.ar.report"]["kpis"] = STAFF | {SUPER}
POLICY["cartera.kpi.month"] = {"search": STAFF | {SUPER},
                               "refresh": {"manager", SUPER}}
POLICY["cartera.kpi.report.wizard"] = {"action_print_html": STAFF | {SUPER}}
POLICY["report.cartera_seguimiento.report_kpi"] = {"html": STAFF | {SUPER}}
# Statements of account: the runs are the collectors' own (their record
# rules are tested in the addon's own tests); the wizard is transient.
POLICY["cartera.statement.run"] = {"search": STAFF | {SUPER}}
POLICY["cartera.statement.run.line"] = {"search": STAFF | {SUPER}}
POLICY["cartera.ar.report"]["statements"] = OWN | {SUPER}
POLICY.update({"cartera.statement.wizard": {},
               "report.cartera_seguimiento.report_statement": {}})
# Issue 25's wizards and report renderers: transient or rendering what
# their engine returns; the engine's scope (a collector's customers only),
# the run wizard's rights and the bureau export are asserted in the addon's
# own tests (test_dunning_run, test_dunning_report, test_dunning_send).
POLICY.update({
    "cartera.dispute.report.wizard": {}, "cartera.dunning.report.wizard": {},
    "cartera.dunning.run.wizard": {},
    "report.cartera_seguimiento.report_dispute": {},
    "report.cartera_seguimiento.report_dispute_xlsx": {},
    "report.cartera_seguimiento.report_dunning": {},
    "report.cartera_seguimiento.report_dunning_xlsx": {},
    "report.cartera_seguimiento.report_dunning_bureau_xlsx": {},
    "report.cartera_seguimiento.report_dunning_letter": {}})
# Issue 26, each item's legal calendar: the engine's method (a collector
# their customers' items: test_legal_calendar asserts the scope), its
# report's wizard and renderers (transient, rendering what it returns).
POLICY["cartera.ar.report"]["legal_calendar"] = STAFF | {SUPER}
POLICY.update({
    "cartera.legal.calendar.report.wizard": {},
    "report.cartera_seguimiento.report_legal_calendar": {},
    "report.cartera_seguimiento.report_legal_calendar_xlsx": {}})
# Issue 26, billing the late-payment interest: the days billed are read
# by managers (their company's) and written by nobody but the billing
# wizard, which a receivables manager with Odoo's Billing rights runs (the
# superuser here; "manager" has no Billing rights and a collector with them
# is no manager: both refused).
POLICY["cartera.interest.billing"] = {
    "search": {"manager", SUPER}, "create_billing": {SUPER}}
POLICY["cartera.interest.billing.wizard"] = {"bill": {SUPER}}
# Abstract bases with nothing to call of their own.
POLICY.update({"cartera.report.wizard": {}, "cartera.report.qweb": {},
               "cartera.report.xlsx": {}, "cartera.scope": {},
               "cartera.scope.search.mixin": {},
               "cartera.scope.invoice.part.mixin": {}, "cartera.digest": {},
               "cartera.run.mixin": {}})
# One PDF per group is enough to prove the PDF path (wkhtmltopdf is slow).
POLICY["report.cartera_seguimiento.report_followup"]["pdf"] = STAFF | {SUPER}
# The other company's manager does in their company what a manager does,
# and nothing on the main company's records (the samples).
MAIN_COMPANY_SAMPLES = {
    ("cartera.closing", "read"), ("cartera.closing.wizard", "action_close"),
    ("cartera.ar.report", "history"), ("cartera.ar.report", "statements"),
    # The history wizard is opened with the main company's customer.
    ("cartera.history.report.wizard", "action_print_html"),
    ("cartera.history.report.wizard", "action_export_xlsx"),
    ("report.cartera_seguimiento.report_history", "html"),
    ("report.cartera_seguimiento.report_history_xlsx", "xlsx"),
    ("cartera.followup", "listing_other"),
    ("cartera.followup", "task_listing_other"),
    ("cartera.followup.stats.mixin", "stats"),
    ("cartera.followup.stats.mixin", "stats_other")} | {
    ("cartera.followup", _op) for _op in POLICY["cartera.followup"]}
# The follow-up and task listings: another collector's follow-ups (a
# closed one) and tasks in them; the record rules decide, as in the lists.
POLICY["cartera.followup"].update({
    "listing": STAFF | {SUPER}, "task_listing": STAFF | {SUPER},
    "listing_other": {"manager", SUPER},
    "task_listing_other": {"manager", SUPER}})
# Issue 25, collection plans (gestión de cobro): plans and levels are the
# managers' (collectors read them); runs and lines are read (a collector
# their own runs and their customers' lines) and written by nobody but
# the run's own methods (the superuser passes every access right); a
# dispute is read and written by the collectors of its customer (and its
# responsible), deleted by managers. A customer's plan and exclusion from
# collection are written by managers only ("assign_plan", "exclude").
DUNNING_MODELS = ("cartera.dunning.plan", "cartera.dunning.level",
                  "cartera.dunning.run", "cartera.dunning.line",
                  "cartera.dispute",
                  # issue 26: the certified rates, typed by managers, read
                  # by collectors (the interest of their customers), each
                  # company its own; a customer's exemption from interest
                  # ("exempt") is written by managers only.
                  "cartera.interest.rate")
for _model in ("cartera.dunning.plan", "cartera.dunning.level",
               "cartera.interest.rate"):
    POLICY[_model] = {
        "read": STAFF | {SUPER}, "read_other_company": {SUPER},
        "create": {"manager", SUPER}, "write": {"manager", SUPER},
        "unlink": {"manager", SUPER}}
for _model in ("cartera.dunning.run", "cartera.dunning.line"):
    POLICY[_model] = {
        "read": OWN | {SUPER}, "read_other": {"manager", SUPER},
        "read_other_company": {SUPER},
        "create": {SUPER}, "write": {SUPER}, "unlink": {SUPER}}
POLICY["cartera.dispute"] = {
    "read": OWN | {SUPER}, "read_other": {"manager", SUPER},
    "create": STAFF | {SUPER}, "write": OWN | {SUPER},
    "unlink": {"manager", SUPER}}
POLICY["cartera.dunning.plan"].update({
    "assign_plan": {"manager", SUPER}, "exclude": {"manager", SUPER}})
POLICY["cartera.interest.rate"]["exempt"] = {"manager", SUPER}
# issue 26: the interest engine, as every report (scope in the addon's
# tests, test_interest).
POLICY["cartera.ar.report"]["interest"] = STAFF | {SUPER}
# Their samples are the main company's: the other company's manager reads
# and changes none (its own company's plans and runs are the
# "read_other_company" cells).
MAIN_COMPANY_SAMPLES |= {
    (_model, _op) for _model in DUNNING_MODELS
    for _op in POLICY[_model] if _op != "read_other_company"} - {
    # A plan and a rate of their own company.
    ("cartera.dunning.plan", "create"), ("cartera.interest.rate", "create")}
# Issue 27, the receivables impairment: computed, printed and sealed by
# managers and accountants; collectors and everyone else are refused. A
# confirmed cut-off is changed by nobody; the related-party flag of a
# customer is set by managers only.
IMPAIRMENT = {"manager", "accountant", SUPER}
POLICY["cartera.ar.report"].update({
    "impairment": set(IMPAIRMENT), "impairment_roll_rates": set(IMPAIRMENT)})
for _model in ("cartera.impairment.rate", "cartera.impairment.evidence",
               "cartera.impairment.cutoff.line"):
    POLICY[_model] = {"search": set(IMPAIRMENT)}
POLICY["cartera.impairment.rate"]["related_party"] = {"manager", SUPER}
POLICY["cartera.impairment.cutoff"] = {
    "search": set(IMPAIRMENT), "impairment_confirm": set(IMPAIRMENT),
    "write_confirmed": set(), "unlink_confirmed": set()}
POLICY.update({
    "cartera.impairment.report.wizard": {
        "action_print_html": set(IMPAIRMENT),
        "action_export_xlsx": set(IMPAIRMENT)},
    "report.cartera_seguimiento.report_impairment": {
        "html": set(IMPAIRMENT)},
    "report.cartera_seguimiento.report_impairment_xlsx": {
        "xlsx": set(IMPAIRMENT)},
    # Transient; its refusals and its entry are the addon's tests'.
    "cartera.impairment.entry.wizard": {}})
# A customer of the main company.
MAIN_COMPANY_SAMPLES.add(("cartera.impairment.rate", "related_party"))
# The interest engine and its liquidation are asked for the main company's
# customer (another company's manager is refused it).
MAIN_COMPANY_SAMPLES |= {
    ("cartera.ar.report", "interest"),
    ("cartera.interest.report.wizard", "action_print_html"),
    ("cartera.interest.report.wizard", "action_export_xlsx"),
    ("report.cartera_seguimiento.report_interest", "html"),
    ("report.cartera_seguimiento.report_interest_xlsx", "xlsx")}
for _model, _ops in POLICY.items():
    for _op, _allowed in _ops.items():
        if "manager" in _allowed and (_model, _op) not in \
                MAIN_COMPANY_SAMPLES:
            _allowed.add(OTHER_MANAGER)
POLICY["cartera.followup"]["read_other_company"].add(OTHER_MANAGER)
for _model in DUNNING_MODELS:
    if "read_other_company" in POLICY[_model]:
        POLICY[_model]["read_other_company"].add(OTHER_MANAGER)
WIZARD_DEFAULTS = {"history": "partner_ids"}
# The ways of changing a closed follow-up: the superuser passes every
# access right and rule, so his refusal must be the seal's own.
SEALED = ("write_closed", "write_closed_state", "unlink_closed",
          "message_post_closed", "follow_closed", "unfollow_closed",
          "attach_closed")
SEAL_WORDS = ("está cerrado", "is closed", "solo lo cambian los cierres",
              "changed by closings only")
# The due date of the task of another collector's follow-up.
TASK_DAY = "2031-01-15"


def addon_models(admin_rpc):
    ids = admin_rpc("ir.model.data", "search_read", [
        ("module", "=", "cartera_seguimiento"), ("model", "=", "ir.model")],
        ["res_id"])
    models = admin_rpc("ir.model", "read", [r["res_id"] for r in ids],
                       ["model"])
    # Only the addon's own models, not those it extends.
    return sorted(m["model"] for m in models if m["model"].startswith(
        ("cartera.", "report.cartera_seguimiento.")))


def quiet(call, *args, **kwargs):
    """An RPC call whose answer does not matter (buttons returning None,
    which XML-RPC cannot carry): the caller checks the database."""
    try:
        return call(*args, **kwargs)
    except xmlrpc.client.Fault as fault:
        if "cannot marshal None" not in fault.faultString:
            raise
        return None


def make_users(admin_rpc, company):
    users = {}
    for group, xmlids in GROUPS.items():
        login = "matriz_%s_%s" % (group, RUN)
        if group == OTHER_MANAGER:
            uid = admin_rpc("res.users", "create", {
                "name": login, "login": login, "password": login,
                "tz": "UTC", "company_id": company,
                "company_ids": [(6, 0, [company])],
                "groups_id": [(6, 0, [xmlid(admin_rpc, g) for g in xmlids])]})
        else:
            uid = make_user(admin_rpc, login, xmlids,
                            share=group in ("portal", "public"))
        users[group] = {"login": login, "id": uid}
    users[SUPER] = {"login": "admin", "password": "admin", "id": 1}
    for user in users.values():
        user["partner"] = admin_rpc("res.users", "read", [user["id"]], [
            "partner_id"])[0]["partner_id"][0]
    return users


def make_ledger(admin_rpc, customer, other_customer, supplier):
    """(a) the collector's customer, (b) another collector's, (c) a
    supplier's bill, (d) a bank entry without partner: invoices, partial
    payments (hence reconciliations), their entries and journal items."""
    def ref(name):
        return xmlid(admin_rpc, name)

    def account(type_xmlid):
        return admin_rpc("account.account", "search", [
            ("company_id", "=", 1), ("user_type_id", "=", ref(type_xmlid))],
            limit=1)[0]

    income = account("account.data_account_type_revenue")
    expense = account("account.data_account_type_expenses")
    bank = admin_rpc("account.journal", "search_read", [
        ("company_id", "=", 1), ("type", "=", "bank")],
        ["default_debit_account_id"], limit=1)[0]

    def invoice(partner, kind, line_account):
        inv = admin_rpc("account.invoice", "create", {
            "partner_id": partner, "type": kind,
            "date_invoice": str(TODAY - timedelta(days=20)),
            "invoice_line_ids": [(0, 0, {
                "name": "Servicio matriz", "quantity": 1,
                "price_unit": 1000.0, "account_id": line_account})]})
        quiet(admin_rpc, "account.invoice", "action_invoice_open", [inv])
        payment = admin_rpc("account.payment", "create", {
            "payment_type": "inbound" if kind == "out_invoice"
            else "outbound",
            "partner_type": "customer" if kind == "out_invoice"
            else "supplier",
            "partner_id": partner, "amount": 100.0,
            "journal_id": bank["id"],
            "payment_method_id": ref(
                "account.account_payment_method_manual_in"
                if kind == "out_invoice" else
                "account.account_payment_method_manual_out"),
            "payment_date": str(TODAY - timedelta(days=5)),
            "invoice_ids": [(6, 0, [inv])]})
        quiet(admin_rpc, "account.payment", "post", [payment])
        move = admin_rpc("account.invoice", "read", [inv],
                         ["move_id"])[0]["move_id"][0]
        lines = admin_rpc("account.move.line", "search",
                          [("move_id", "=", move)])
        partials = admin_rpc("account.partial.reconcile", "search", [
            "|", ("debit_move_id", "in", lines),
            ("credit_move_id", "in", lines)])
        assert partials, "the payment of %s was not reconciled" % inv
        return {"invoice": [inv], "move": [move], "line": lines,
                "partial": partials}

    ledger = {"own": invoice(customer, "out_invoice", income),
              "other": invoice(other_customer, "out_invoice", income),
              "supplier": invoice(supplier, "in_invoice", expense)}
    # The collector reads their customer's receivable items, not the
    # income line of the same entry.
    ledger["own"]["line"] = admin_rpc("account.move.line", "search", [
        ("id", "in", ledger["own"]["line"]),
        ("account_id.internal_type", "=", "receivable")])
    move = admin_rpc("account.move", "create", {
        "journal_id": bank["id"], "date": str(TODAY), "ref": "Comision %s" % RUN,
        "line_ids": [
            (0, 0, {"name": "Comision bancaria", "account_id": expense,
                    "debit": 15.0, "credit": 0.0}),
            (0, 0, {"name": "Comision bancaria",
                    "account_id": bank["default_debit_account_id"][0],
                    "debit": 0.0, "credit": 15.0})]})
    quiet(admin_rpc, "account.move", "post", [move])
    ledger["bank"] = {"move": [move], "line": admin_rpc(
        "account.move.line", "search", [("move_id", "=", move)])}
    return ledger


def new_message_ids(admin_rpc, after):
    return admin_rpc("mail.message", "search", [("id", ">", after)])


def last_message_id(admin_rpc):
    ids = admin_rpc("mail.message", "search", [], limit=1, order="id desc")
    return ids and ids[0] or 0


def trigger_cron(admin_rpc, name):
    admin_rpc("ir.cron", "method_direct_trigger", [xmlid(admin_rpc, name)])


# The statement template as an employee could type it: other addresses in
# To and Cc, another partner among the recipients.
TAMPERED = {"email_to": "para-%s@intruso.test" % RUN,
            "email_cc": "copia-%s@intruso.test" % RUN}
TEMPLATE_FIELDS = ["email_to", "email_cc", "partner_to", "email_from",
                   "reply_to"]


def send_statement(odoo_server, admin_rpc, users, customer, intruder):
    """The collector e-mails their customer's statement, with the template
    tampered as superuser (restored after); the statements' cron renders
    and queues it. Returns the run, its line and the mail queued."""
    template = xmlid(admin_rpc, "cartera_statement_mail_template")
    original = admin_rpc("mail.template", "read", [template],
                         TEMPLATE_FIELDS)[0]
    original.pop("id")
    admin_rpc("mail.template", "write", [template], dict(
        TAMPERED, partner_to="${object.id},%d" % intruder))
    try:
        login = users["collector"]["login"]
        rpc = odoo_server.rpc(login, login)
        wizard = rpc("cartera.statement.wizard", "create", {
            "date_at": str(TODAY), "partner_ids": [(6, 0, [customer])]})
        rpc("cartera.statement.wizard", "action_send", [wizard])
        run = admin_rpc("cartera.statement.wizard", "read", [wizard],
                        ["run_id"])[0]["run_id"][0]
        trigger_cron(admin_rpc, "cartera_statement_run_cron")
    finally:
        admin_rpc("mail.template", "write", [template], original)
    line = admin_rpc("cartera.statement.run.line", "search_read", [
        ("run_id", "=", run)], ["state", "error", "mail_id", "message_id"])
    assert len(line) == 1, line
    line = line[0]
    assert line["mail_id"], "the statement was not queued: %s" % line
    mail = admin_rpc("mail.mail", "read", [line["mail_id"][0]], [
        "email_to", "email_cc", "recipient_ids", "attachment_ids",
        "mail_message_id"])[0]
    # Sent, as Odoo's mail queue marks it after the SMTP server took it
    # (tests/test_statement_live.py sends through a real one); the
    # sender's refresh then records the statement as a follow-up and files
    # the copy on it, where those who see the customer read it.
    admin_rpc("mail.mail", "write", [mail["id"]], {"state": "sent"})
    rpc("cartera.statement.run", "action_refresh", [run])
    return {"run": run, "line": line["id"], "mail": mail,
            "message": line["message_id"][0],
            "attachments": mail["attachment_ids"]}


def make_dunning(admin_rpc, users, company, customer, other_customer,
                 foreign_customer, other, ledger):
    """Issue 25's samples, by the superuser: a plan with a level in each
    company; runs of the collector, of another collector and of the other
    company's manager, with a line each (the collector's customer's
    receivable item, the other customer's, one of the other company);
    a dispute on the collector's customer's invoice and one on the other
    customer's."""
    def plan(company_id):
        plan_id = admin_rpc("cartera.dunning.plan", "create", {
            "name": "Plan Matriz %s" % RUN, "company_id": company_id,
            "partner_domain": "[('id', '=', 0)]"})
        level_id = admin_rpc("cartera.dunning.level", "create", {
            "plan_id": plan_id, "name": "Nivel Matriz %s" % RUN,
            "days": 1, "print_letter": True})
        return plan_id, level_id

    plan_id, level_id = plan(1)
    foreign_plan, foreign_level = plan(company)

    def rate(company_id):
        return admin_rpc("cartera.interest.rate", "create", {
            "date": "1901-01-01", "bank_rate": 17.01,
            "name": "Resolución Matriz %s" % RUN, "company_id": company_id})

    def run(user, company_id, partner, item, level, day=TODAY,
            state="draft"):
        run_id = admin_rpc("cartera.dunning.run", "create", {
            "date": str(day), "company_id": company_id, "user_id": user,
            "state": "computed"})
        line_id = admin_rpc("cartera.dunning.line", "create", {
            "run_id": run_id, "company_id": company_id,
            "move_line_id": item, "partner_id": partner,
            "level_id": level, "date": str(day), "amount_due": 900.0,
            "state": state})
        return run_id, line_id

    own_item = ledger["own"]["line"][0]
    other_item = admin_rpc("account.move.line", "search", [
        ("id", "in", ledger["other"]["line"]),
        ("account_id.internal_type", "=", "receivable")])[0]
    runs, lines = {}, {}
    runs["open"], lines["open"] = run(
        users["collector"]["id"], 1, customer, own_item, level_id)
    runs["other"], lines["other"] = run(
        other, 1, other_customer, other_item, level_id)
    # A line of the other company (its ledger has no items: the line
    # points at one of the main company's, the rules read its company; a
    # day earlier and sent: an item has one line a day and one pending).
    runs["foreign"], lines["foreign"] = run(
        users[OTHER_MANAGER]["id"], company, foreign_customer, own_item,
        foreign_level, day=TODAY - timedelta(days=1), state="sent")

    def dispute(invoice, user):
        return admin_rpc("cartera.dispute", "create", {
            "invoice_id": invoice, "amount": 50.0, "user_id": user,
            "reason": "price"})

    return {
        "cartera.dunning.plan": {"open": plan_id, "foreign": foreign_plan},
        "cartera.interest.rate": {"open": rate(1), "foreign": rate(company)},
        "cartera.dunning.level": {"open": level_id,
                                  "foreign": foreign_level},
        "cartera.dunning.run": runs, "cartera.dunning.line": lines,
        "cartera.dispute": {
            "open": dispute(ledger["own"]["invoice"][0],
                            users["collector"]["id"]),
            "other": dispute(ledger["other"]["invoice"][0], other)},
        "own_item": own_item,
    }


DUNNING_DAYS = itertools.count(10)
RATE_MONTHS = itertools.count(0)


def rate_month():
    """A month of its own for a new certified rate (one a month and
    company), from January 1902 on."""
    month = next(RATE_MONTHS)
    return "%d-%02d-01" % (1902 + month // 12, month % 12 + 1)


def dunning_values(world, model):
    """Values of a new record of a collection model (create cells, and
    the fresh records the unlink cells delete). Each on a day of its own,
    and a line already done: a user has one run a day, an item one line a
    day and one pending line."""
    samples = world["dunning"]
    day = str(TODAY - timedelta(days=next(DUNNING_DAYS)))
    return {
        "cartera.dunning.plan": {"name": "Plan Intruso %s" % RUN},
        "cartera.dunning.level": {
            "plan_id": samples["cartera.dunning.plan"]["open"],
            "name": "Nivel Intruso", "days": 5},
        "cartera.dunning.run": {"date": day},
        # One month each (one rate a month and company), far in the past.
        "cartera.interest.rate": {
            "date": rate_month(),
            "bank_rate": 16.5, "name": "Resolución Intrusa %s" % RUN},
        "cartera.dunning.line": {
            "run_id": samples["cartera.dunning.run"]["open"],
            "company_id": 1, "move_line_id": samples["own_item"],
            "partner_id": world["customer"],
            "level_id": samples["cartera.dunning.level"]["open"],
            "date": day, "state": "sent"},
        "cartera.dispute": {
            "invoice_id": world["ledger"]["own"]["invoice"][0],
            "amount": 10.0, "reason": "other"},
    }[model]


@pytest.fixture(scope="module")
def world(odoo_server, admin_rpc, db):
    company = admin_rpc("res.company", "create",
                        {"name": "Empresa Matriz %s" % RUN})
    users = make_users(admin_rpc, company)
    other = make_user(admin_rpc, "matriz_otro_%s" % RUN,
                      GROUPS["collector"])
    other_partner = admin_rpc("res.users", "read", [other],
                              ["partner_id"])[0]["partner_id"][0]
    # The collector and the other company have addresses to send from.
    for group in ("collector", OTHER_MANAGER):
        admin_rpc("res.users", "write", [users[group]["id"]],
                  {"email": "%s-%s@empresa.test" % (group, RUN)})
    type_id = xmlid(admin_rpc, "followup_type_call")
    customer = admin_rpc("res.partner", "create", {
        "name": "Cliente Matriz %s" % RUN, "customer": True,
        "is_company": True, "user_id": users["collector"]["id"],
        "email": "cliente-%s@cliente.test" % RUN})
    other_customer = admin_rpc("res.partner", "create", {
        "name": "Cliente Ajeno Matriz %s" % RUN, "customer": True,
        "is_company": True, "user_id": other})
    # A customer whose salesperson is a plain employee; the collector
    # records its follow-ups (as responsible).
    sales_customer = admin_rpc("res.partner", "create", {
        "name": "Cliente Vendedor Matriz %s" % RUN, "customer": True,
        "is_company": True, "user_id": users["salesperson"]["id"]})
    foreign_customer = admin_rpc("res.partner", "create", {
        "name": "Cliente Otra Empresa Matriz %s" % RUN, "customer": True,
        "is_company": True, "company_id": company})
    supplier = admin_rpc("res.partner", "create", {
        "name": "Proveedor Matriz %s" % RUN, "supplier": True,
        "is_company": True})
    intruder = admin_rpc("res.partner", "create", {
        "name": "Intruso Matriz %s" % RUN,
        "email": "intruso-%s@intruso.test" % RUN})

    def client(login):
        return odoo_server.rpc(login, login)

    collector = client(users["collector"]["login"])
    other_rpc = client("matriz_otro_%s" % RUN)
    manager = client(users["manager"]["login"])
    other_manager = client(users[OTHER_MANAGER]["login"])

    def followup(partner, **values):
        """Scaffolding of the cells, by the superuser."""
        return admin_rpc("cartera.followup", "create", dict(
            {"partner_id": partner, "type_id": type_id,
             "notes": "Matriz %s" % RUN}, **values))

    def capture(rpc, partner, **values):
        """A follow-up recorded by a user over RPC, tracking on."""
        return rpc("cartera.followup", "create", dict(
            {"partner_id": partner, "type_id": type_id,
             "notes": "Matriz %s" % RUN}, **values))

    # Follow-ups recorded by their collectors, closed by a manager.
    day = "2003-03-03"
    capture(collector, customer, date=day + " 12:00:00")
    capture(other_rpc, other_customer, date=day + " 12:00:00")
    sealed = capture(collector, sales_customer, date=day + " 12:00:00")
    # Before the closing, each user authored a message of the sealed
    # follow-up (as its collector and salesperson do in production), sent
    # to themselves (so that a reply finds them notified of its parent),
    # and a message and an attachment of their own elsewhere.
    authored, loose, files = {}, {}, {}
    for group, user in sorted(users.items()):
        authored[group] = admin_rpc(
            "cartera.followup", "message_post", [sealed],
            body="Mensaje de %s %s" % (group, RUN), message_type="comment",
            subtype="mail.mt_note", author_id=user["partner"],
            partner_ids=[user["partner"]],
            context={"mail_create_nosubscribe": True,
                     "mail_notify_noemail": True})
        loose[group] = admin_rpc("mail.message", "create", {
            "body": "Suelto de %s %s" % (group, RUN),
            "author_id": user["partner"], "message_type": "comment"})
        files[group] = admin_rpc("ir.attachment", "create", {
            "name": "propio-%s-%s.txt" % (group, RUN),
            "datas_fname": "propio.txt", "datas": "cHJvcGlv"})
        with db.cursor() as cr:
            # Their own, as if they had uploaded it.
            cr.execute("UPDATE ir_attachment SET create_uid = %s "
                       "WHERE id = %s", (user["id"], files[group]))
    wizard = manager("cartera.closing.wizard", "create",
                     {"date_from": day, "date_to": day})
    closing_id = manager("cartera.closing.wizard", "action_close",
                         [wizard])["res_id"]
    with db.cursor() as cr:
        cr.execute("SELECT partner_id, id FROM cartera_followup "
                   "WHERE closing_id = %s AND state = 'closed'",
                   (closing_id,))
        closed = dict(cr.fetchall())
    assert set(closed) == {customer, other_customer, sales_customer}, closed
    foreign = capture(other_manager, foreign_customer)
    # Another collector's open follow-up carries a pending task.
    open_other = capture(other_rpc, other_customer, next_date=TASK_DAY,
                         next_type_id=type_id)
    own_open = capture(collector, customer)
    # A pending task of the collector's due today, for the digest.
    digest_marker = "Resumen-%s" % RUN
    capture(collector, customer, next_date=str(TODAY),
            next_type_id=type_id, next_note=digest_marker)
    # A promise of the collector's, and one broken 50 days ago.
    promise = collector("cartera.promise", "create", {
        "followup_id": own_open, "amount": 500.0,
        "date": str(TODAY + timedelta(days=10))})
    old = capture(collector, customer,
                  date=str(TODAY - timedelta(days=60)) + " 12:00:00")
    broken = collector("cartera.promise", "create", {
        "followup_id": old, "amount": 321.0,
        "date": str(TODAY - timedelta(days=50))})
    before = last_message_id(admin_rpc)
    collector("cartera.promise", "evaluate")
    broken_notes = new_message_ids(admin_rpc, before)
    assert broken_notes, "the broken promise was not notified"
    # The daily digest, triggered as the administrator does.
    with db.cursor() as cr:
        cr.execute("DELETE FROM ir_config_parameter WHERE key = %s",
                   ("cartera_seguimiento.digest_date",))
    before = last_message_id(admin_rpc)
    trigger_cron(admin_rpc, "cartera_followup_cron_notify")
    digest = admin_rpc("mail.message", "search", [
        ("id", ">", before), ("body", "ilike", digest_marker)])
    assert digest, "no digest was posted for the collector"
    ledger = make_ledger(admin_rpc, customer, other_customer, supplier)
    # The collector with billing rights collects a customer of their own.
    billing_customer = admin_rpc("res.partner", "create", {
        "name": "Cliente Facturador Matriz %s" % RUN, "customer": True,
        "is_company": True, "user_id": users["collector_billing"]["id"]})
    income = admin_rpc("account.account", "search", [
        ("company_id", "=", 1), ("user_type_id", "=", xmlid(
            admin_rpc, "account.data_account_type_revenue"))], limit=1)[0]
    invoice = admin_rpc("account.invoice", "create", {
        "partner_id": billing_customer, "type": "out_invoice",
        "invoice_line_ids": [(0, 0, {
            "name": "Servicio matriz", "quantity": 1, "price_unit": 700.0,
            "account_id": income})]})
    quiet(admin_rpc, "account.invoice", "action_invoice_open", [invoice])
    statement = send_statement(odoo_server, admin_rpc, users, customer,
                               intruder)
    # Company 2: a promise, a closing and a statement run of its own.
    other_manager("cartera.promise", "create", {
        "followup_id": foreign, "amount": 10.0,
        "date": str(TODAY + timedelta(days=5))})
    capture(other_manager, foreign_customer, date="2003-04-04 12:00:00")
    wizard = other_manager("cartera.closing.wizard", "create", {
        "date_from": "2003-04-04", "date_to": "2003-04-04"})
    other_manager("cartera.closing.wizard", "action_close", [wizard])
    wizard = other_manager("cartera.statement.wizard", "create", {
        "date_at": str(TODAY), "partner_ids": [(6, 0, [foreign_customer])]})
    quiet(other_manager, "cartera.statement.wizard", "action_send", [wizard])
    dunning = make_dunning(admin_rpc, users, company, customer,
                           other_customer, foreign_customer, other, ledger)
    return {"dunning": dunning,
            "users": users, "type_id": type_id, "customer": customer,
            "other_customer": other_customer,
            "sales_customer": sales_customer, "company": company,
            "billing_customer": billing_customer,
            "foreign_customer": foreign_customer, "supplier": supplier,
            "intruder": intruder, "other_user": other,
            "other_partner": other_partner, "other_rpc": other_rpc,
            "followup": followup, "capture": capture, "open": own_open,
            "open_other": open_other, "foreign": foreign,
            "closed": closed[customer], "closed_other": closed[other_customer],
            "sealed": sealed, "authored": authored, "loose": loose,
            "files": files, "closing": closing_id, "promise": promise,
            "broken_notes": broken_notes, "digest": digest,
            "broken_promise": broken,
            "ledger": ledger, "statement": statement, "day_counter": [0]}


class Attempt:
    """Runs one operation as one user; True when it worked."""

    def __init__(self, server, admin_rpc, world):
        self.server = server
        self.admin = admin_rpc
        self.world = world
        self.clients = {}
        self.last_error = ""
        self.serial = 0

    def client(self, group):
        """(XML-RPC client, JSON session) of the group's user, or None
        when the user cannot log in at all (everything is refused)."""
        if group not in self.clients:
            user = self.world["users"][group]
            password = user.get("password", user["login"])
            try:
                rpc = self.server.rpc(user["login"], password)
                session = JsonRpc(self.server, user["login"], password)
            except (AssertionError, xmlrpc.client.Fault, RpcError,
                    requests.RequestException):
                rpc = session = None
            self.clients[group] = (rpc, session)
        return self.clients[group]

    def __call__(self, group, model, operation):
        rpc, session = self.client(group)
        if rpc is None:
            return False
        self.group = group
        try:
            return bool(getattr(self, "op_" + operation, self.op_method)(
                rpc, session, model, operation))
        except (xmlrpc.client.Fault, RpcError, KeyError) as error:
            self.last_error = str(error)[-200:]
            return False

    def code(self):
        self.serial += 1
        return "M%s%d" % (RUN[:6], self.serial)

    # -- record operations ---------------------------------------------
    def sample(self, model, key="open"):
        w = self.world
        return {
            "cartera.followup": {"open": w["open"], "other": w["open_other"],
                                 "foreign": w["foreign"],
                                 "closed": w["closed"],
                                 "closed_other": w["closed_other"]},
            "cartera.closing": {"open": w["closing"]},
            "cartera.followup.type": {"open": w["type_id"]},
        }[model][key] if model not in DUNNING_MODELS else \
            w["dunning"][model][key]

    def read(self, rpc, model, key):
        # Collection lines have no name.
        field = "date" if model == "cartera.dunning.line" else "name"
        rows = rpc(model, "read", [self.sample(model, key)], [field])
        return rows and rows[0].get(field)

    def op_read(self, rpc, session, model, operation):
        return self.read(rpc, model, "open")

    def op_read_other(self, rpc, session, model, operation):
        return self.read(rpc, model, "other")

    def op_read_other_company(self, rpc, session, model, operation):
        return self.read(rpc, model, "foreign")

    def op_read_closed(self, rpc, session, model, operation):
        return self.read(rpc, model, "closed")

    def op_read_closed_other(self, rpc, session, model, operation):
        return self.read(rpc, model, "closed_other")

    def op_create(self, rpc, session, model, operation):
        w = self.world
        values = {
            "cartera.followup": {"partner_id": w["customer"],
                                 "type_id": w["type_id"]},
            "cartera.followup.type": {"name": "Tipo %s" % RUN,
                                      "code": self.code()},
        }.get(model, {"name": "Intruso", "partner_id": w["customer"],
                      "type_id": w["type_id"], "followup_count": 1})
        if model in DUNNING_MODELS:
            values = dunning_values(w, model)
        return rpc(model, "create", values)

    def op_write(self, rpc, session, model, operation):
        values = {"cartera.followup.type": {"sequence": 11},
                  "cartera.closing": {"followup_count": 99},
                  "cartera.dunning.plan": {"sequence": 11},
                  "cartera.interest.rate": {"bank_rate": 18.0},
                  "cartera.dunning.level": {"days": 6},
                  "cartera.dunning.run": {"state": "done"},
                  "cartera.dunning.line": {"state": "cancelled"},
                  "cartera.dispute": {"note": "Cambiado %s" % RUN}}.get(
            model, {"notes": "Cambiado %s" % RUN})
        return rpc(model, "write", [self.sample(model)], values)

    def op_unlink(self, rpc, session, model, operation):
        w = self.world
        if model == "cartera.followup":
            record = w["followup"](w["customer"])
        elif model == "cartera.followup.type":
            record = self.admin(model, "create", {"name": "Borrable %s" % RUN,
                                                  "code": self.code()})
        elif model in DUNNING_MODELS:
            # A record of its own: the samples stay for the other cells.
            record = self.admin(model, "create", dunning_values(w, model))
        else:
            record = self.sample(model)
        result = rpc(model, "unlink", [record])
        return result and not self.admin(model, "search", [
            ("id", "=", record)], context={"active_test": False})

    def post(self, rpc, model, key):
        """A note in the chatter: needs access to the follow-up."""
        return rpc(model, "message_post", [self.sample(model, key)],
                   body="Nota %s" % RUN, message_type="comment",
                   subtype="mail.mt_note")

    def op_message_post(self, rpc, session, model, operation):
        return self.post(rpc, model, "open")

    def op_message_post_other(self, rpc, session, model, operation):
        return self.post(rpc, model, "other")

    def op_message_post_closed(self, rpc, session, model, operation):
        return self.post(rpc, model, "closed")

    def messages(self, rpc, model, key):
        """The chatter of a follow-up: found by search, or else read as
        the web client does (message_format)."""
        record = self.sample(model, key)
        ids = self.admin(model, "read", [record],
                         ["message_ids"])[0]["message_ids"]
        assert ids, "the sample %s %s has no messages" % (model, record)
        if rpc("mail.message", "search", [("id", "in", ids)]):
            return True
        return rpc("mail.message", "message_format", ids)

    def op_messages_other(self, rpc, session, model, operation):
        return self.messages(rpc, model, "other")

    def op_messages_closed(self, rpc, session, model, operation):
        return self.messages(rpc, model, "closed")

    def op_messages_closed_other(self, rpc, session, model, operation):
        return self.messages(rpc, model, "closed_other")

    # -- a closed follow-up: every way of changing it ----------------------
    def op_write_closed(self, rpc, session, model, operation):
        return rpc(model, "write", [self.sample(model, "closed")],
                   {"notes": "Cambiado %s" % RUN})

    def op_write_closed_state(self, rpc, session, model, operation):
        return rpc(model, "write", [self.sample(model, "closed")],
                   {"state": "open", "closing_id": False})

    def op_unlink_closed(self, rpc, session, model, operation):
        record = self.sample(model, "closed")
        result = rpc(model, "unlink", [record])
        return result and not self.admin(model, "search", [
            ("id", "=", record)])

    def own_partner(self, rpc):
        return rpc("res.users", "read", [rpc.uid],
                   ["partner_id"])[0]["partner_id"][0]

    def op_follow_closed(self, rpc, session, model, operation):
        return rpc(model, "message_subscribe",
                   [self.sample(model, "closed")],
                   partner_ids=[self.own_partner(rpc)])

    def op_unfollow_closed(self, rpc, session, model, operation):
        # The salesperson's partner follows it since its capture.
        record = self.sample(model, "closed")
        followers = self.admin(model, "read", [record], [
            "message_partner_ids"])[0]["message_partner_ids"]
        assert followers, "the closed sample has no followers"
        return rpc(model, "message_unsubscribe", [record],
                   partner_ids=followers[:1])

    def op_attach_closed(self, rpc, session, model, operation):
        return rpc("ir.attachment", "create", {
            "name": "acta-%s.txt" % RUN, "datas_fname": "acta.txt",
            "datas": "YWN0YQ==", "res_model": model,
            "res_id": self.sample(model, "closed")})

    def stats(self, rpc, partner):
        rows = rpc("res.partner", "read", [partner],
                   ["cartera_followup_count"])
        return rows and rows[0]["cartera_followup_count"]

    def partner_field(self, rpc, field, value):
        """A customer's collection field written as the group's user:
        True when the database changed (then put back)."""
        customer = self.world["customer"]
        try:
            rpc("res.partner", "write", [customer], {field: value})
        finally:
            now = self.admin("res.partner", "read", [customer],
                             [field])[0][field]
            self.admin("res.partner", "write", [customer], {field: False})
        return (now[0] if isinstance(now, list) else now) == value

    def op_assign_plan(self, rpc, session, model, operation):
        return self.partner_field(
            rpc, "cartera_dunning_plan_id",
            self.world["dunning"]["cartera.dunning.plan"]["open"])

    def op_exclude(self, rpc, session, model, operation):
        return self.partner_field(rpc, "cartera_collection_excluded_until",
                                  str(TODAY + timedelta(days=30)))

    def op_exempt(self, rpc, session, model, operation):
        return self.partner_field(rpc, "cartera_interest_exempt", True)

    def op_related_party(self, rpc, session, model, operation):
        return self.partner_field(rpc, "cartera_related_party", True)

    # -- impairment cut-offs (issue 27) ------------------------------------
    def cutoff_day(self):
        """A day without a cut-off in any company (one per company and
        day; an earlier run on the same database left its own)."""
        counter = self.world.setdefault("cutoff_counter", [0])
        while True:
            counter[0] += 1
            day = str(date(1901, 1, 1) + timedelta(days=counter[0]))
            if not self.admin("cartera.impairment.cutoff", "search_count",
                              [("date", "=", day)]):
                return day

    def op_impairment_confirm(self, rpc, session, model, operation):
        cutoff = rpc(model, "create", {"date": self.cutoff_day()})
        quiet(rpc, model, "action_confirm", [cutoff])
        return self.admin(model, "read", [cutoff],
                          ["state"])[0]["state"] == "confirmed"

    def confirmed_cutoff(self, model):
        cutoff = self.admin(model, "create", {"date": self.cutoff_day()})
        quiet(self.admin, model, "action_confirm", [cutoff])
        return cutoff

    def op_write_confirmed(self, rpc, session, model, operation):
        cutoff = self.confirmed_cutoff(model)
        rpc(model, "write", [cutoff], {"date": self.cutoff_day()})
        return True

    def op_unlink_confirmed(self, rpc, session, model, operation):
        cutoff = self.confirmed_cutoff(model)
        rpc(model, "unlink", [cutoff])
        return not self.admin(model, "search", [("id", "=", cutoff)])

    def op_stats(self, rpc, session, model, operation):
        return self.stats(rpc, self.world["customer"])

    def op_stats_other(self, rpc, session, model, operation):
        return self.stats(rpc, self.world["other_customer"])

    # -- wizards, reports and the engine ---------------------------------
    def op_action_close(self, rpc, session, model, operation):
        w = self.world
        w["day_counter"][0] += 1
        day = "2002-%02d-15" % w["day_counter"][0]
        w["followup"](w["customer"], date=day + " 12:00:00")
        wizard = rpc(model, "create", {"date_from": day, "date_to": day,
                                       "partner_id": w["customer"]})
        return rpc(model, "action_close", [wizard])

    def own_customer(self):
        """The customer whose history a group asks for: each collector
        their own (the collector with billing rights has one too)."""
        if self.group == "collector_billing":
            return self.world["billing_customer"]
        return self.world["customer"]

    def wizard(self, rpc, kind):
        values = {}
        if kind in ("history", "interest"):
            values["partner_ids"] = [(6, 0, [self.own_customer()])]
        return rpc("cartera.%s.report.wizard" % kind, "create", values)

    def op_action_print_html(self, rpc, session, model, operation):
        kind = model.split(".")[1]
        wizard = self.wizard(rpc, kind)
        # Over JSON-RPC, as the web client does (see
        # test_report_actions_over_xmlrpc for XML-RPC).
        action = session(model, operation, [wizard])
        kind = {"qweb-html": "html", "qweb-pdf": "pdf", "xlsx": "xlsx"}[
            action["report_type"]]
        return self.fetch(session, kind, action["report_name"], wizard)

    def op_action_export_xlsx(self, rpc, session, model, operation):
        return self.op_action_print_html(rpc, session, model, operation)

    def fetch(self, session, kind, report_name, wizard):
        resp = session.get("/report/%s/%s/%d" % (kind, report_name, wizard))
        if resp.status_code != 200:
            return False
        if kind == "pdf":
            return resp.content[:4] == b"%PDF"
        if kind == "xlsx":
            return resp.content[:2] == b"PK"
        return 'class="page cartera-report"' in resp.text

    def op_html(self, rpc, session, model, operation):
        report_name = model[len("report."):]
        kind = report_name.split("_")[-1]
        return self.fetch(session, operation, report_name,
                          self.wizard(rpc, kind))

    def op_pdf(self, rpc, session, model, operation):
        return self.op_html(rpc, session, model, operation)

    def op_xlsx(self, rpc, session, model, operation):
        report_name = model[len("report."):]
        kind = report_name.split("_")[-2]
        return self.fetch(session, "xlsx", report_name,
                          self.wizard(rpc, kind))

    def op_listing_other(self, rpc, session, model, operation):
        rows = rpc(model, "listing", "2003-03-03", "2003-03-03", None,
                   None, None, None, True)
        return self.world["closed_other"] in [row["id"] for row in rows]

    def op_task_listing_other(self, rpc, session, model, operation):
        rows = rpc(model, "task_listing", TASK_DAY, TASK_DAY)
        return self.world["open_other"] in [row["id"] for row in rows]

    def op_kpis(self, rpc, session, model, operation):
        figures = session(model, "kpis", "2026-01-01", "2026-01-31")
        return "dso" in figures

    def op_refresh(self, rpc, session, model, operation):
        return rpc(model, "refresh") >= 0

    def op_bill(self, rpc, session, model, operation):
        """Bill the late-payment interest up to a day long past (nothing
        to bill: an empty run), the main company charging the legal
        maximum with a product and an account for the time of the cell."""
        company = self.admin("res.company", "read", [1], [
            "cartera_interest_policy", "cartera_interest_product_id",
            "cartera_interest_account_id"])[0]
        product = self.admin("product.product", "create", {
            "name": "Intereses Matriz %s" % RUN, "type": "service"})
        account = self.admin("account.account", "search", [
            ("company_id", "=", 1),
            ("user_type_id.type", "=", "other"),
            ("internal_type", "=", "other")], limit=1)[0]
        self.admin("res.company", "write", [1], {
            "cartera_interest_policy": "legal",
            "cartera_interest_product_id": product,
            "cartera_interest_account_id": account})
        try:
            wizard = rpc(model, "create", {"date_to": "2000-01-31"})
            action = rpc(model, "action_bill", [wizard])
            return action.get("res_id") == wizard
        finally:
            self.admin("res.company", "write", [1], {
                "cartera_interest_policy": company["cartera_interest_policy"],
                "cartera_interest_product_id": (
                    company["cartera_interest_product_id"] or [False])[0],
                "cartera_interest_account_id": (
                    company["cartera_interest_account_id"] or [False])[0]})

    def op_create_billing(self, rpc, session, model, operation):
        """Mark days billed without billing them: a record pointing at
        the collector's customer's invoice."""
        w = self.world
        return rpc(model, "create", {
            "move_line_id": w["dunning"]["own_item"],
            "partner_id": w["customer"], "date_from": "2000-01-01",
            "date_to": "2100-12-31",
            "invoice_id": w["ledger"]["own"]["invoice"][0]})

    def op_search(self, rpc, session, model, operation):
        return rpc(model, "search_count", []) >= 0

    def op_method(self, rpc, session, model, operation):
        w = self.world
        args = {"aging": ["2026-01-31"],
                "movement": ["2026-01-01", "2026-01-31"],
                "history": [[self.own_customer()]],
                "listing": ["2003-03-03", "2003-03-03", None, None, None,
                            None, True],
                "task_listing": [], "evaluate": [],
                "statements": ["2026-01-31", [w["customer"]]],
                "promises": ["2026-01-01", "2026-01-31"],
                "legal_calendar": ["2026-01-31"],
                # Its own customers: another test's invoice of 2002 would
                # need that year's certified rates.
                "interest": ["2026-01-31", [w["customer"]]],
                "impairment": ["2026-01-31"],
                "impairment_roll_rates": ["2026-01-31", 2]}[operation]
        result = rpc(model, operation, *args)
        if operation == "history":
            # The customer's documents, not an empty answer.
            return result
        return True


def test_access_matrix(odoo_server, admin_rpc, world):
    models = addon_models(admin_rpc)
    world["closed_before"] = admin_rpc(
        "cartera.followup", "read", [world["closed"]],
        ["notes", "state", "closing_id", "message_ids",
         "message_partner_ids"])
    assert world["closed_before"][0]["state"] == "closed"
    unknown = sorted(set(models) - set(POLICY))
    assert not unknown, "no policy for %s: add them to POLICY" % unknown
    attempt = Attempt(odoo_server, admin_rpc, world)
    cells, leaks, refused, unsealed = 0, [], [], []
    for model in models:
        for operation, allowed in sorted(POLICY[model].items()):
            for group in sorted(ALL):
                cells += 1
                attempt.last_error = ""
                worked = attempt(group, model, operation)
                if worked and group not in allowed:
                    leaks.append("%s %s %s" % (group, model, operation))
                elif not worked and group in allowed:
                    refused.append("%s %s %s: %s" % (
                        group, model, operation, attempt.last_error))
                if not worked and group == SUPER and operation in SEALED \
                        and not any(word in attempt.last_error
                                    for word in SEAL_WORDS):
                    unsealed.append("%s: %s" % (operation,
                                                attempt.last_error))
    # The immutable rows are as they were.
    fields = ["notes", "state", "closing_id", "message_ids",
              "message_partner_ids"]
    assert admin_rpc("cartera.followup", "read", [world["closed"]],
                     fields) == world["closed_before"]
    closing = admin_rpc("cartera.closing", "read", [world["closing"]],
                        ["followup_count"])[0]
    assert closing["followup_count"] == 3
    assert not admin_rpc("ir.attachment", "search", [
        ("res_model", "=", "cartera.followup"),
        ("res_id", "in", [world["closed"], world["closed_other"]])])
    report("access", {"models": len(models), "groups": len(ALL),
                      "cells": cells, "leaks": len(leaks),
                      "leak_list": leaks, "wrongly_refused": refused,
                      "superuser_refused_not_by_the_seal": unsealed})
    assert not leaks, leaks
    assert not refused, refused
    assert not unsealed, unsealed


def test_report_actions_over_xmlrpc(odoo_server, world):
    """Other modules and RPC clients call the wizards' buttons over
    XML-RPC too: they must answer with the report action."""
    manager = world["users"]["manager"]["login"]
    rpc = odoo_server.rpc(manager, manager)
    wizard = rpc("cartera.followup.report.wizard", "create", {})
    for method in ("action_print_pdf", "action_print_html",
                   "action_export_xlsx"):
        action = rpc("cartera.followup.report.wizard", method, [wizard])
        assert action["type"] == "ir.actions.report", action


# ---------------------------------------------------------------------------
# Issue 23, "Trust": the paths Odoo's own mail and accounting rules open.
# A cell is (operation, groups allowed, groups not judged); an operation
# "name:arg" runs Trust.op_name. "Worked" means the attack had its effect
# in the database (or the read found the rows), whatever the RPC answered.
# ---------------------------------------------------------------------------
NOBODY = set()
NOT_SUPER = {SUPER}  # what an ordinary user may not do: not judged for him
LEDGER_MODELS = {"line": "account.move.line", "move": "account.move",
                 "invoice": "account.invoice",
                 "partial": "account.partial.reconcile"}
# Who reads what of the ledger: (a) the collector's customer, (b) another
# collector's customer, (c) a supplier's bill, (d) a bank entry. A
# collector reads their portfolio only; billing and accounting users read
# everything (Odoo's own rights); a receivables manager reads the
# company's receivables (customers), not supplier bills nor bank entries,
# which only the addon's ACL lines would open to them. Users without the
# addon's groups keep Odoo's own rights: the accountant
# (account.group_account_user, "Show Full Accounting Features") reads
# invoices and reconciliations but no journal items or entries; the
# salesperson (a plain employee) none of them.
LEDGER_READERS = {
    "own": {"collector", "collector_billing", "manager", "accountant",
            SUPER},
    "other": {"collector_billing", "manager", "accountant", SUPER},
    "supplier": {"collector_billing", "accountant", SUPER},
    "bank": {"collector_billing", "accountant", SUPER},
}
FOLLOWUP_READ_ONLY = ("name", "company_id", "task_state", "task_activity_id",
                      "state", "closing_id", "amount_due", "invoice_number",
                      "date_due", "move_id", "journal_id")
PROMISE_READ_ONLY = ("partner_id", "company_id", "state", "paid_amount",
                     "evaluated_on", "notify_pending", "followup_id")
CLOSING_READ_ONLY = ("name", "date", "user_id", "company_id",
                     "followup_count", "partner_id")
TRUST = {
    # 1. Nobody changes the conversation of a closed follow-up, the
    # superuser, its followers and the authors of its messages included.
    "1_sealed_conversation": [
        ("conv_message_create", NOBODY, set()),
        ("conv_reply", NOBODY, set()),
        ("conv_message_write", NOBODY, set()),
        ("conv_message_attach", NOBODY, set()),
        ("conv_message_move_in", NOBODY, set()),
        ("conv_message_move_out", NOBODY, set()),
        ("conv_follower_create", NOBODY, set()),
        ("conv_follower_move", NOBODY, set()),
        ("conv_follower_unlink", NOBODY, set()),
        ("conv_attach_create", NOBODY, set()),
        ("conv_attach_move", NOBODY, set()),
        ("conv_post_attachment", NOBODY, set()),
        ("conv_message_unlink", NOBODY, set()),
    ],
    # 1. Nobody follows a follow-up they cannot read.
    "1_following": [
        ("follow_other:subscribe", {"manager", SUPER}, set()),
        ("follow_other:create", {"manager", SUPER}, set()),
        ("follow_outsider", NOBODY, set()),
    ],
    # 2. Only managers and administrators edit the statement template.
    "2_statement_template": [
        ("template_write:%s" % name, {"manager", SUPER}, {OTHER_MANAGER})
        for name in ("email_to", "email_cc", "partner_to")],
    # 2, 5. A run's sender, template and state, and its lines' states.
    "2_statement_run_fields": [
        ("run_create:user_id", NOBODY, NOT_SUPER),
        ("run_create:template_id", NOBODY, NOT_SUPER),
        ("run_create:state", NOBODY, NOT_SUPER),
        ("run_write:state", NOBODY, NOT_SUPER),
        ("run_write:user_id", NOBODY, NOT_SUPER),
        ("run_write:template_id", NOBODY, NOT_SUPER),
        ("line_write:state", NOBODY, NOT_SUPER),
    ],
    # 3. A collector reads only their portfolio of the ledger.
    "3_ledger": [
        ("ledger:%s:%s" % (kind, key),
         readers - ({"accountant"} if kind in ("line", "move") else set()),
         set())
        for kind in sorted(LEDGER_MODELS)
        for key, readers in sorted(LEDGER_READERS.items())
        if not (kind == "invoice" and key == "bank")
        and not (kind == "partial" and key == "bank")],
    # 5. Read-only means read-only over RPC too.
    "5_read_only_followup": [
        ("followup_ro:%s" % name, NOBODY, NOT_SUPER)
        for name in FOLLOWUP_READ_ONLY],
    "5_read_only_promise": [
        ("promise_ro:%s" % name, NOBODY, NOT_SUPER)
        for name in PROMISE_READ_ONLY],
    "5_read_only_closing": [
        ("closing_ro:%s" % name, NOBODY, set())
        for name in CLOSING_READ_ONLY],
    # 6. Dates within reason; promises judged as of another day by
    # managers only, never later than today.
    "6_dates": [
        ("date:tomorrow", NOBODY, set()),
        ("date:9999", NOBODY, set()),
        ("evaluate:past", {"manager", OTHER_MANAGER, SUPER}, set()),
        ("evaluate:future", NOBODY, set()),
        # Judged as of a day before its date, a broken promise stays so.
        ("evaluate:revert", NOBODY, set()),
    ],
    # 7. A follow-up completes other users' tasks only for those who may
    # see them.
    "7_other_users_tasks": [("task_other", {"manager", SUPER}, set())],
    # 8. Private notices stay private.
    "8_private_notices": [
        ("digest_read", {"collector", SUPER}, {"manager"}),
        ("broken_note_read", {"collector", "manager", SUPER}, set()),
        ("statement_copy:message", {"collector", "manager", SUPER}, set()),
        ("statement_copy:attachment", {"collector", "manager", SUPER},
         set()),
    ],
    # 10. Nothing breaks outsiders (and nobody else).
    "10_outsiders_read": [
        ("outsider:res.partner", ALL - {"public"}, {"public"}),
        ("outsider:res.users", ALL - {"public"}, {"public"}),
    ],
}
FORGED_DATE = "2001-01-01"


class Trust(Attempt):
    """The operations of the TRUST cells."""

    def __call__(self, group, model, operation):
        rpc, session = self.client(group)
        if rpc is None:
            return False
        self.group = group
        method = getattr(self, "op_" + operation.split(":")[0])
        try:
            return bool(method(rpc, session, model, operation))
        except (xmlrpc.client.Fault, RpcError) as error:
            self.last_error = str(error)[-200:]
            return False
        finally:
            self.after_cell()

    def after_cell(self):
        """Undo what a cell that worked changed (through SQL: the point
        is the next cell's starting state, not the ORM's opinion)."""
        for query, params in getattr(self, "undo", []):
            with self.db.cursor() as cr:
                cr.execute(query, params)
        self.undo = []

    def sql(self, query, params=()):
        with self.db.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall()

    def column(self, table, record, name):
        return self.sql("SELECT %s FROM %s WHERE id = %%s" % (name, table),
                        (record,))[0][0]

    def restore_column(self, table, record, name, value):
        self.undo.append(("UPDATE %s SET %s = %%s WHERE id = %%s"
                          % (table, name), (value, record)))

    @property
    def user(self):
        return self.world["users"][self.group]

    # -- 1. the conversation of a closed follow-up ------------------------
    def conversation(self):
        sealed = self.world["sealed"]
        return (
            self.sql("SELECT id, body, model, res_id, author_id, parent_id "
                     "FROM mail_message WHERE model = 'cartera.followup' "
                     "AND res_id = %s ORDER BY id", (sealed,)),
            self.sql("SELECT r.message_id, r.attachment_id "
                     "FROM message_attachment_rel r JOIN mail_message m "
                     "ON m.id = r.message_id WHERE m.model = "
                     "'cartera.followup' AND m.res_id = %s ORDER BY 1, 2",
                     (sealed,)),
            self.sql("SELECT id, partner_id, channel_id FROM mail_followers "
                     "WHERE res_model = 'cartera.followup' AND res_id = %s "
                     "ORDER BY id", (sealed,)),
            self.sql("SELECT id FROM ir_attachment WHERE res_model = "
                     "'cartera.followup' AND res_id = %s ORDER BY id",
                     (sealed,)))

    def changes_conversation(self, attack):
        before = self.conversation()
        try:
            attack()
        finally:
            changed = self.conversation() != before
        return changed

    def op_conv_message_create(self, rpc, session, model, operation):
        return self.changes_conversation(lambda: rpc(
            "mail.message", "create", {
                "model": "cartera.followup", "res_id": self.world["sealed"],
                "body": "Intruso %s" % RUN, "message_type": "comment"}))

    def op_conv_reply(self, rpc, session, model, operation):
        return self.changes_conversation(lambda: rpc(
            "mail.message", "create", {
                "model": "cartera.followup", "res_id": self.world["sealed"],
                "parent_id": self.world["authored"][self.group],
                "body": "Respuesta %s" % RUN, "message_type": "comment"}))

    def op_conv_message_write(self, rpc, session, model, operation):
        message = self.world["authored"][self.group]
        self.restore_column("mail_message", message, "body",
                            self.column("mail_message", message, "body"))
        return self.changes_conversation(lambda: rpc(
            "mail.message", "write", [message],
            {"body": "Reescrito %s" % RUN}))

    def op_conv_message_attach(self, rpc, session, model, operation):
        message = self.world["authored"][self.group]
        attachment = self.world["files"][self.group]
        self.undo.append((
            "DELETE FROM message_attachment_rel WHERE message_id = %s "
            "AND attachment_id = %s", (message, attachment)))
        return self.changes_conversation(lambda: rpc(
            "mail.message", "write", [message],
            {"attachment_ids": [(4, attachment)]}))

    def op_conv_message_move_in(self, rpc, session, model, operation):
        message = self.world["loose"][self.group]
        self.undo.append(("UPDATE mail_message SET model = NULL, res_id = "
                          "NULL WHERE id = %s", (message,)))
        return self.changes_conversation(lambda: rpc(
            "mail.message", "write", [message], {
                "model": "cartera.followup",
                "res_id": self.world["sealed"]}))

    def op_conv_message_move_out(self, rpc, session, model, operation):
        message = self.world["authored"][self.group]
        self.restore_column("mail_message", message, "res_id",
                            self.world["sealed"])
        return self.changes_conversation(lambda: rpc(
            "mail.message", "write", [message],
            {"res_id": self.world["open"]}))

    def op_conv_message_unlink(self, rpc, session, model, operation):
        return self.changes_conversation(lambda: rpc(
            "mail.message", "unlink", [self.world["authored"][self.group]]))

    def op_conv_follower_create(self, rpc, session, model, operation):
        # Its collector and salesperson follow it already: another
        # subscription of theirs, with a channel-less duplicate refused by
        # the database, would change nothing; they add the other collector.
        sealed, partner = self.world["sealed"], self.user["partner"]
        if self.follows(sealed, partner):
            partner = self.world["other_partner"]
        self.undo.append((
            "DELETE FROM mail_followers WHERE res_model = 'cartera.followup'"
            " AND res_id = %s AND partner_id = %s", (sealed, partner)))
        return self.changes_conversation(lambda: rpc(
            "mail.followers", "create", {
                "res_model": "cartera.followup", "res_id": sealed,
                "partner_id": partner}))

    def op_conv_follower_move(self, rpc, session, model, operation):
        # The user follows their own partner record; that subscription
        # is moved onto the closed follow-up.
        row = self.sql(
            "INSERT INTO mail_followers (res_model, res_id, partner_id) "
            "VALUES ('res.partner', %s, %s) RETURNING id",
            (self.user["partner"], self.user["partner"]))[0][0]
        self.undo.append(("DELETE FROM mail_followers WHERE id = %s",
                          (row,)))
        return self.changes_conversation(lambda: rpc(
            "mail.followers", "write", [row], {
                "res_model": "cartera.followup",
                "res_id": self.world["sealed"]}))

    def op_conv_follower_unlink(self, rpc, session, model, operation):
        rows = self.sql("SELECT id, partner_id FROM mail_followers WHERE "
                        "res_model = 'cartera.followup' AND res_id = %s "
                        "AND partner_id IS NOT NULL ORDER BY id LIMIT 1",
                        (self.world["sealed"],))
        assert rows, "the closed follow-up has no follower"
        row, partner = rows[0]
        self.undo.append((
            "INSERT INTO mail_followers (res_model, res_id, partner_id) "
            "SELECT 'cartera.followup', %s, %s WHERE NOT EXISTS (SELECT 1 "
            "FROM mail_followers WHERE res_model = 'cartera.followup' AND "
            "res_id = %s AND partner_id = %s)",
            (self.world["sealed"], partner, self.world["sealed"], partner)))
        return self.changes_conversation(lambda: rpc(
            "mail.followers", "unlink", [row]))

    def op_conv_attach_create(self, rpc, session, model, operation):
        return self.changes_conversation(lambda: rpc(
            "ir.attachment", "create", {
                "name": "acta-%s.txt" % RUN, "datas_fname": "acta.txt",
                "datas": "YWN0YQ==", "res_model": "cartera.followup",
                "res_id": self.world["sealed"]}))

    def op_conv_attach_move(self, rpc, session, model, operation):
        attachment = self.world["files"][self.group]
        self.undo.append(("UPDATE ir_attachment SET res_model = NULL, "
                          "res_id = NULL WHERE id = %s", (attachment,)))
        return self.changes_conversation(lambda: rpc(
            "ir.attachment", "write", [attachment], {
                "res_model": "cartera.followup",
                "res_id": self.world["sealed"]}))

    def op_conv_post_attachment(self, rpc, session, model, operation):
        attachment = self.world["files"][self.group]
        self.undo.append(("UPDATE ir_attachment SET res_model = NULL, "
                          "res_id = NULL WHERE id = %s", (attachment,)))
        return self.changes_conversation(lambda: rpc(
            "cartera.followup", "message_post", [self.world["sealed"]],
            body="Con adjunto %s" % RUN, message_type="comment",
            subtype="mail.mt_note", attachment_ids=[attachment]))

    # -- 1. following ------------------------------------------------------
    def follows(self, record, partner):
        return bool(self.sql(
            "SELECT 1 FROM mail_followers WHERE res_model = "
            "'cartera.followup' AND res_id = %s AND partner_id = %s",
            (record, partner)))

    def follow(self, record, partner, attack):
        if self.follows(record, partner):
            self.sql("DELETE FROM mail_followers WHERE res_model = "
                     "'cartera.followup' AND res_id = %s AND partner_id = %s "
                     "RETURNING id", (record, partner))
        self.undo.append((
            "DELETE FROM mail_followers WHERE res_model = 'cartera.followup'"
            " AND res_id = %s AND partner_id = %s", (record, partner)))
        try:
            attack()
        finally:
            followed = self.follows(record, partner)
        return followed

    def op_follow_other(self, rpc, session, model, operation):
        record, partner = self.world["open_other"], self.user["partner"]
        if operation.endswith("subscribe"):
            return self.follow(record, partner, lambda: rpc(
                "cartera.followup", "message_subscribe", [record],
                partner_ids=[partner]))
        return self.follow(record, partner, lambda: rpc(
            "mail.followers", "create", {
                "res_model": "cartera.followup", "res_id": record,
                "partner_id": partner}))

    def op_follow_outsider(self, rpc, session, model, operation):
        # Another collector, who cannot read it, made a follower of the
        # collector's follow-up.
        record, partner = self.world["open"], self.world["other_partner"]
        return self.follow(record, partner, lambda: rpc(
            "cartera.followup", "message_subscribe", [record],
            partner_ids=[partner]))

    # -- 2. the statement template and runs ------------------------------
    def op_template_write(self, rpc, session, model, operation):
        name = operation.split(":")[1]
        template = xmlid(self.admin, "cartera_statement_mail_template")
        before = self.column("mail_template", template, name)
        self.restore_column("mail_template", template, name, before)
        value = {"partner_to": "${object.id},%d" % self.world["intruder"]
                 }.get(name, "espia-%s@intruso.test" % RUN)
        try:
            rpc("mail.template", "write", [template], {name: value})
        finally:
            after = self.column("mail_template", template, name)
        return after != before

    def forged(self, name):
        w = self.world
        if name == "user_id":
            return w["other_user"]
        if name == "template_id":
            ours = xmlid(self.admin, "cartera_statement_mail_template")
            return self.admin("mail.template", "search",
                              [("id", "!=", ours)], limit=1)[0]
        return "done"

    def op_run_create(self, rpc, session, model, operation):
        name = operation.split(":")[1]
        value = self.forged(name)
        values = {"date_at": str(TODAY), "template_id": xmlid(
            self.admin, "cartera_statement_mail_template")}
        values[name] = value
        last = self.sql("SELECT coalesce(max(id), 0) FROM "
                        "cartera_statement_run")[0][0]
        self.undo.append(("DELETE FROM cartera_statement_run WHERE id > %s",
                          (last,)))
        try:
            rpc("cartera.statement.run", "create", values)
        finally:
            rows = self.sql("SELECT %s FROM cartera_statement_run WHERE "
                            "id > %%s" % name, (last,))
        return any(row[0] == value for row in rows)

    def write_column(self, rpc, model, table, record, name, value):
        """Write one field as the user; whether the stored value changed."""
        before = self.column(table, record, name)
        self.restore_column(table, record, name, before)
        try:
            rpc(model, "write", [record], {name: value})
        finally:
            after = self.column(table, record, name)
        return after != before

    def op_run_write(self, rpc, session, model, operation):
        name = operation.split(":")[1]
        return self.write_column(
            rpc, "cartera.statement.run", "cartera_statement_run",
            self.world["statement"]["run"], name, self.forged(name))

    def op_line_write(self, rpc, session, model, operation):
        return self.write_column(
            rpc, "cartera.statement.run.line", "cartera_statement_run_line",
            self.world["statement"]["line"], "state", "sent")

    # -- 3. the ledger -----------------------------------------------------
    def op_ledger(self, rpc, session, model, operation):
        _name, kind, key = operation.split(":")
        ids = self.world["ledger"][key][kind]
        return rpc(LEDGER_MODELS[kind], "search", [("id", "in", ids)])

    # -- 5. read-only fields -----------------------------------------------
    def read_only_value(self, name):
        w = self.world
        return {
            "name": "FORJADO-%s" % RUN, "company_id": w["company"],
            "task_state": "done", "state": "closed",
            "task_activity_id": self.admin(
                "cartera.followup", "read", [w["open_other"]],
                ["task_activity_id"])[0]["task_activity_id"][0],
            "closing_id": w["closing"], "amount_due": 987654.0,
            "invoice_number": "FALSA-%s" % RUN, "date_due": FORGED_DATE,
            "move_id": w["ledger"]["own"]["move"][0],
            "journal_id": self.admin("account.journal", "search", [
                ("type", "=", "bank")], limit=1)[0],
            "partner_id": w["other_customer"], "paid_amount": 999.0,
            "evaluated_on": FORGED_DATE, "notify_pending": True,
            "followup_id": w["open_other"], "date": "2001-01-01 00:00:00",
            "user_id": w["users"]["collector"]["id"],
            "followup_count": 99,
        }[name]

    def op_followup_ro(self, rpc, session, model, operation):
        name = operation.split(":")[1]
        return self.write_column(rpc, "cartera.followup", "cartera_followup",
                                 self.world["open"], name,
                                 self.read_only_value(name))

    def op_promise_ro(self, rpc, session, model, operation):
        name = operation.split(":")[1]
        return self.write_column(rpc, "cartera.promise", "cartera_promise",
                                 self.world["promise"], name,
                                 self.read_only_value(name))

    def op_closing_ro(self, rpc, session, model, operation):
        name = operation.split(":")[1]
        value = self.read_only_value(name)
        if name == "partner_id":
            value = self.world["customer"]
        return self.write_column(rpc, "cartera.closing", "cartera_closing",
                                 self.world["closing"], name, value)

    # -- 6. dates ----------------------------------------------------------
    def op_date(self, rpc, session, model, operation):
        if operation.endswith("tomorrow"):
            # A day and more ahead of every time zone's today.
            moment = (datetime.utcnow() + timedelta(hours=26)).strftime(
                "%Y-%m-%d %H:%M:%S")
        else:
            moment = "9999-12-31 10:00:00"
        last = self.sql("SELECT coalesce(max(id), 0) FROM "
                        "cartera_followup")[0][0]
        try:
            rpc("cartera.followup", "create", {
                "partner_id": self.world["customer"],
                "type_id": self.world["type_id"], "date": moment,
                "notes": "Futuro %s" % RUN})
        finally:
            created = self.sql("SELECT id FROM cartera_followup WHERE "
                               "id > %s AND notes = %s",
                               (last, "Futuro %s" % RUN))
        for (record,) in created:
            self.undo.append(("DELETE FROM cartera_followup WHERE id = %s",
                              (record,)))
        return bool(created)

    def op_evaluate(self, rpc, session, model, operation):
        if operation.endswith("revert"):
            promise = self.world["broken_promise"]
            before = self.column("cartera_promise", promise, "state")
            # Broken, or partly kept since the collector's payment.
            assert before in ("broken", "partial"), before
            self.restore_column("cartera_promise", promise, "state", before)
            try:
                rpc("cartera.promise", "evaluate",
                    str(TODAY - timedelta(days=55)))
            finally:
                after = self.column("cartera_promise", promise, "state")
            return after != before
        # Two days ahead: still a future day if the run passes midnight.
        day = TODAY + timedelta(days=-1 if operation.endswith("past") else 2)
        return rpc("cartera.promise", "evaluate", str(day))

    # -- 7. other users' tasks ---------------------------------------------
    def op_task_other(self, rpc, session, model, operation):
        w = self.world
        victim = w["capture"](w["other_rpc"], w["other_customer"],
                              next_date=str(TODAY + timedelta(days=3)),
                              next_type_id=w["type_id"])
        assert self.column("cartera_followup", victim,
                           "task_state") == "pending"
        try:
            rpc("cartera.followup", "create", {
                "partner_id": w["other_customer"], "type_id": w["type_id"],
                "notes": "Me meto %s" % RUN})
        finally:
            done = self.column("cartera_followup", victim,
                               "task_state") == "done"
        return done

    # -- 8. private notices ------------------------------------------------
    def op_digest_read(self, rpc, session, model, operation):
        return rpc("mail.message", "search", [
            ("id", "in", self.world["digest"])])

    def op_broken_note_read(self, rpc, session, model, operation):
        return rpc("mail.message", "search", [
            ("id", "in", self.world["broken_notes"])])

    def op_statement_copy(self, rpc, session, model, operation):
        statement = self.world["statement"]
        if operation.endswith("message"):
            return rpc("mail.message", "search", [
                ("id", "=", statement["message"])])
        return rpc("ir.attachment", "search", [
            ("id", "in", statement["attachments"])])

    # -- 10. outsiders -----------------------------------------------------
    def op_outsider(self, rpc, session, model, operation):
        """read() without a field list. Where Odoo itself refuses this
        user one of its own relations (a portal user reads no bank
        accounts, a plain employee no invoices, with or without the addon),
        the addon's fields the user is shown are read instead: they must
        be readable or hidden (groups=), never the cause of a refusal."""
        target = operation.split(":")[1]
        record = self.user["partner"] if target == "res.partner" \
            else rpc.uid
        try:
            rows = rpc(target, "read", [record])
        except xmlrpc.client.Fault as fault:
            if self.addon_refusal(fault.faultString):
                raise
            shown = set(rpc(target, "fields_get", [], attributes=["type"]))
            rows = rpc(target, "read", [record], sorted(
                shown & self.addon_fields(target)) + ["display_name"])
        return rows and rows[0]["id"] == record

    def addon_refusal(self, text):
        """Whether an access error names a model of the addon (by its
        technical name or its description, in English or Spanish)."""
        if not hasattr(self, "addon_names"):
            names = set()
            for lang in ("en_US", "es_CO"):
                for row in self.admin("ir.model", "search_read", [
                        ("model", "=like", "cartera.%")], ["model", "name"],
                        context={"lang": lang}):
                    names.update((row["model"], row["name"]))
            self.addon_names = names
        refused = re.findall(r"\((?:Document model|Modelo de documento|"
                             r"Document type|Tipo de documento): "
                             r"([^,)]+)", text)
        return any(name.strip() in self.addon_names for name in refused) \
            or "cartera." in text

    def addon_fields(self, target):
        ids = [row["res_id"] for row in self.admin(
            "ir.model.data", "search_read", [
                ("module", "=", "cartera_seguimiento"),
                ("model", "=", "ir.model.fields")], ["res_id"])]
        return {row["name"] for row in self.admin(
            "ir.model.fields", "search_read", [
                ("id", "in", ids), ("model", "=", target)], ["name"])}


@pytest.fixture(scope="module")
def trust(odoo_server, admin_rpc, world, db):
    attempt = Trust(odoo_server, admin_rpc, world)
    attempt.db = db
    attempt.undo = []
    return attempt


def judge(trust, point, cells, model="trust"):
    """Run the cells for every group; fail naming each hole."""
    leaks, refused, count = [], [], 0
    for operation, allowed, skip in cells:
        for group in sorted(ALL - skip):
            count += 1
            trust.last_error = ""
            worked = trust(group, model, operation)
            if worked and group not in allowed:
                leaks.append("%s %s" % (group, operation))
            elif not worked and group in allowed:
                refused.append("%s %s: %s" % (group, operation,
                                              trust.last_error))
    report("trust-%s" % point, {"cells": count, "leaks": len(leaks),
                                "leak_list": leaks,
                                "wrongly_refused": refused})
    assert not leaks and not refused, "point %s: holes %s; wrongly " \
        "refused %s" % (point, leaks, refused)


@pytest.mark.parametrize("point", sorted(TRUST, key=lambda p: (
    int(p.split("_")[0]), p)))
def test_trust(trust, point):
    judge(trust, point, TRUST[point])


def test_trust_2_statement_recipients(world):
    """The statement's mail goes to the customer alone, whatever the
    template said (it was tampered with before the run: other To, Cc and
    partners)."""
    mail = world["statement"]["mail"]
    customer_email = "cliente-%s@cliente.test" % RUN
    problems = []
    if mail["email_cc"]:
        problems.append("copied to %s" % mail["email_cc"])
    if mail["email_to"] and mail["email_to"] != customer_email:
        problems.append("sent to %s" % mail["email_to"])
    if not set(mail["recipient_ids"]) <= {world["customer"]}:
        problems.append("sent to partners %s (the customer is %d)" % (
            mail["recipient_ids"], world["customer"]))
    if not (mail["email_to"] or mail["recipient_ids"]):
        problems.append("the customer does not get their statement")
    assert not problems, "2: %s" % problems


def test_trust_7_statement_completes_no_task(odoo_server, admin_rpc, db,
                                             world):
    """A statement e-mailed by a run is recorded as a follow-up of the
    customer and completes no task of theirs (its mail is taken as sent, as
    Odoo's mail queue would mark it)."""
    login = world["users"]["collector"]["login"]
    rpc = odoo_server.rpc(login, login)
    task = world["capture"](rpc, world["customer"],
                            next_date=str(TODAY + timedelta(days=2)),
                            next_type_id=world["type_id"])
    # A statement of its own, sent after the task was set (send_statement
    # takes its mail as sent and refreshes the run, which records it).
    statement = send_statement(odoo_server, admin_rpc, world["users"],
                               world["customer"], world["intruder"])
    line = admin_rpc("cartera.statement.run.line", "read",
                     [statement["line"]], ["state", "followup_id"])[0]
    task_state = admin_rpc("cartera.followup", "read", [task],
                           ["task_state"])[0]["task_state"]
    assert line["state"] == "sent" and line["followup_id"], \
        "7: the statement sent was not recorded as a follow-up: %s" % line
    assert task_state == "pending", \
        "7: the statement's follow-up completed the collector's task"


DANGEROUS = ("=1+2", "+1+2", "-1+2", "@SUM(1,2)",
             '=HYPERLINK("http://intruso.test/x","clic")',
             "http://intruso.test/x", "external:c:\\intruso.xlsx",
             "mailto:espia@intruso.test")


def test_trust_4_xlsx_text(odoo_server, admin_rpc, world):
    """A note or customer name that looks like a formula or a link is
    written to the XLSX as text: no formula, no link, nothing dropped."""
    import openpyxl
    users = world["users"]
    name = "=2+3 Cliente %s" % RUN
    partner = admin_rpc("res.partner", "create", {
        "name": name, "customer": True, "is_company": True,
        "user_id": users["collector"]["id"]})
    login = users["collector"]["login"]
    rpc = odoo_server.rpc(login, login)
    for text in DANGEROUS:
        rpc("cartera.followup", "create", {
            "partner_id": partner, "type_id": world["type_id"],
            "notes": text})
    session = JsonRpc(odoo_server, login, login)
    wizard = session("cartera.followup.report.wizard", "create", {
        "date_from": str(TODAY - timedelta(days=1)),
        "date_to": str(TODAY + timedelta(days=1)),
        "partner_ids": [(6, 0, [partner])]})
    action = session("cartera.followup.report.wizard", "action_export_xlsx",
                     [wizard])
    resp = session.get("/report/xlsx/%s/%d" % (action["report_name"],
                                               wizard))
    assert resp.status_code == 200 and resp.content[:2] == b"PK"
    book = openpyxl.load_workbook(io.BytesIO(resp.content))
    cells = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    cells.setdefault(str(cell.value), []).append(cell)
    problems = []
    for text in DANGEROUS + (name,):
        found = cells.get(text)
        if not found:
            problems.append("%r dropped or changed" % text)
            continue
        kinds = {"%s%s" % (cell.data_type, " with a link" if cell.hyperlink
                           else "") for cell in found} - {"s"}
        if kinds:
            problems.append("%r written as %s" % (text, sorted(kinds)))
    assert not problems, "4: %s" % problems


def mentions(value, key, ids):
    """Whether a report's answer names one of ``ids`` under ``key``."""
    if isinstance(value, dict):
        for name, item in value.items():
            if name == key and (item in ids or isinstance(item, list)
                                and item and item[0] in ids):
                return True
            if mentions(item, key, ids):
                return True
    elif isinstance(value, list):
        return any(mentions(item, key, ids) for item in value)
    return False


def test_trust_9_multi_company(odoo_server, admin_rpc, world):
    """A manager of one company reads nothing of another: no row of any
    model of the addon, nothing through the report engine; both ways."""
    from stress_util import call_outcome
    main = admin_rpc("res.users", "read", [1], ["company_id"])[0][
        "company_id"][0]
    transient = {m["model"] for m in admin_rpc(
        "ir.model", "search_read", [("transient", "=", True)], ["model"])}
    w = world
    sides = (
        (OTHER_MANAGER, main, {
            "partner": [w["customer"], w["other_customer"]],
            "followups": [w["closed"], w["closed_other"], w["sealed"]],
            "tasks": [w["open_other"]], "day": "2003-03-03"}),
        ("manager", w["company"], {
            "partner": [w["foreign_customer"]],
            "followups": admin_rpc("cartera.followup", "search", [
                ("company_id", "=", w["company"])]),
            "tasks": [], "day": "2003-04-04"}),
    )
    problems, checked = [], 0
    for group, company, data in sides:
        login = w["users"][group]["login"]
        rpc = odoo_server.rpc(login, login)
        for model in addon_models(admin_rpc):
            if model in transient or model.startswith("report."):
                continue
            try:
                fields = admin_rpc(model, "fields_get", [],
                                   attributes=["type"])
                admin_rpc(model, "search_count", [])
            except xmlrpc.client.Fault:
                continue  # abstract
            path = "company_id" if "company_id" in fields else (
                "run_id.company_id" if "run_id" in fields else None)
            if path is None:
                continue  # shared configuration (follow-up types)
            checked += 1
            outcome = call_outcome(rpc, model, "search", [])
            ids = outcome[1] if outcome[0] == "ok" else []
            leaked = admin_rpc(model, "search_count", [
                ("id", "in", ids), (path, "=", company)])
            if leaked:
                problems.append("%s reads %d rows of %s of the other "
                                "company" % (group, leaked, model))
        day, partners = data["day"], data["partner"]
        engine = (
            ("listing", [day, day, None, None, None, None, True], "id",
             data["followups"]),
            ("task_listing", [TASK_DAY, TASK_DAY], "id", data["tasks"]),
            ("aging", [str(TODAY), 30, partners], "partner_id", partners),
            ("movement", [str(TODAY - timedelta(days=90)), str(TODAY),
                          partners], "partner_id", partners),
            ("history", [partners], "partner_id", partners),
            ("statements", [str(TODAY), partners], "partner_id", partners),
            ("interest", [str(TODAY), partners], "partner_id", partners),
            ("impairment", [str(TODAY), partners], "partner_id", partners),
        )
        for method, args, key, ids in engine:
            checked += 1
            outcome = call_outcome(rpc, "cartera.followup" if method in (
                "listing", "task_listing") else "cartera.ar.report", method,
                *args)
            if outcome[0] == "ok" and mentions(outcome[1], key, set(ids)):
                problems.append("%s reads the other company through %s" % (
                    group, method))
            elif outcome[0] == "crash":
                problems.append("%s %s crashed: %s" % (group, method,
                                                       outcome[1:]))
    report("trust-9_multi_company", {"checked": checked,
                                     "problems": problems})
    assert not problems, "9: %s" % problems
