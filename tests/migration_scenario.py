"""Both halves of the 11.0.1.2.0 -> 11.0.2.0.0 migration test, run with the
project's Odoo interpreter (.venv, CPython 3.7) by tests/test_migration.py:

    migration_scenario.py record ADDONS_PATH DB OUT.json
        with the 11.0.1.2.0 addon: users, customers, follow-ups with messages
        and an attachment, two closings, and a snapshot of every row, message,
        follower, attachment and closing, written to OUT.json;
    migration_scenario.py check ADDONS_PATH DB OUT.json RECORDED.json
        with the updated addon: the same snapshot read from the one table,
        plus what the ORM says of the closed follow-ups, written to OUT.json.
"""
import json
import sys

import odoo
from odoo import SUPERUSER_ID, api

# Columns of a follow-up both versions store with the same meaning.
COLUMNS = (
    "id", "name", "partner_id", "user_id", "date", "type_id",
    "responsible_id", "invoice_id", "invoice_number", "journal_id", "move_id",
    "invoice_currency_id", "amount_due", "date_due", "notes", "next_date",
    "next_type_id", "next_note", "task_state", "company_id", "closing_id",
    "create_uid", "create_date", "write_uid", "write_date",
)
BODY = "Conversación de %s antes de la migración"


def _env(cr):
    return api.Environment(
        cr, SUPERUSER_ID, {"tz": "America/Bogota", "tracking_disable": True})


def _rows(cr, table, ids):
    cr.execute("SELECT column_name FROM information_schema.columns "
               "WHERE table_name = %s", (table,))
    present = {row[0] for row in cr.fetchall()}
    # The follow-ups of 11.0.1.2.0 have no closing: NULL, as after.
    columns = [column if column in present else "NULL AS %s" % column
               for column in COLUMNS]
    cr.execute("SELECT %s FROM %s WHERE id IN %%s ORDER BY id" % (
        ", ".join(columns), table), (tuple(ids),))
    return [{column: (value if isinstance(value, (int, float, str, type(None)))
                      else str(value))
             for column, value in zip(COLUMNS, row)}
            for row in cr.fetchall()]


def _threads(cr, model_names):
    cr.execute("""SELECT model, res_id, id FROM mail_message
                   WHERE model IN %s ORDER BY id""", (tuple(model_names),))
    messages = [list(row) for row in cr.fetchall()]
    cr.execute("""SELECT res_model, res_id, partner_id FROM mail_followers
                   WHERE res_model IN %s ORDER BY id""",
               (tuple(model_names),))
    followers = [list(row) for row in cr.fetchall()]
    cr.execute("""SELECT res_model, res_id, id, name FROM ir_attachment
                   WHERE res_model IN %s ORDER BY id""",
               (tuple(model_names),))
    attachments = [list(row) for row in cr.fetchall()]
    return {"messages": messages, "followers": followers,
            "attachments": attachments}


def _closings(cr):
    cr.execute("SELECT id, name, followup_count, date_from, date_to "
               "FROM cartera_closing ORDER BY id")
    return [[row[0], row[1], row[2], str(row[3]), str(row[4])]
            for row in cr.fetchall()]


def record(env):
    group = env.ref("cartera_seguimiento.group_cartera_user")
    manager_group = env.ref("cartera_seguimiento.group_cartera_manager")
    company = env.user.company_id
    users = {}
    for login, name, grp in (("mig_cob1", "Migración Cobrador Uno", group),
                             ("mig_cob2", "Migración Cobrador Dos", group),
                             ("mig_jefe", "Migración Jefe", manager_group)):
        users[login] = env["res.users"].with_context(
            no_reset_password=True).create({
                "login": login, "name": name, "password": login,
                "email": "%s@example.com" % login, "tz": "America/Bogota",
                "company_id": company.id, "company_ids": [(6, 0, company.ids)],
                "groups_id": [(6, 0, [grp.id])]})
    customers = [env["res.partner"].create({
        "name": "Migración Cliente %d" % index, "customer": True,
        "is_company": True, "user_id": users[login].id})
        for index, login in ((1, "mig_cob1"), (2, "mig_cob2"))]
    revenue = env["account.account"].search([
        ("company_id", "=", company.id),
        ("user_type_id", "=", env.ref("account.data_account_type_revenue").id)
    ], limit=1)
    invoices = []
    for amount in (1500.0, 700.0):
        invoice = env["account.invoice"].create({
            "partner_id": customers[0].id, "type": "out_invoice",
            "date_invoice": "2025-01-02",
            "invoice_line_ids": [(0, 0, {
                "name": "Servicio", "quantity": 1, "price_unit": amount,
                "account_id": revenue.id})]})
        invoice.invoice_line_ids.write({"invoice_line_tax_ids": [(5, 0, 0)]})
        invoice.compute_taxes()
        invoice.action_invoice_open()
        invoices.append(invoice)
    call = env.ref("cartera_seguimiento.followup_type_call")
    visit = env.ref("cartera_seguimiento.followup_type_visit")
    Followup = env["cartera.followup"]
    created = []
    # Two in January (closed by the first closing), one in February for
    # customer 1 only (second closing), one in March that stays open.
    for day, customer, next_date, invoice in (
            ("2025-01-10 15:00:00", customers[0], "2025-01-20", invoices[0]),
            ("2025-01-11 15:00:00", customers[1], False, None),
            ("2025-02-05 15:00:00", customers[0], False, invoices[1]),
            ("2025-02-06 15:00:00", customers[1], False, None),
            ("2025-03-01 15:00:00", customers[0], "2025-03-10", None)):
        followup = Followup.sudo(customer.user_id).create({
            "partner_id": customer.id, "type_id": call.id, "date": day,
            "notes": "Nota de %s" % day, "invoice_id": invoice and invoice.id,
            "next_date": next_date, "next_type_id": next_date and visit.id})
        followup.sudo(users["mig_jefe"]).message_post(
            body=BODY % followup.name, message_type="comment",
            subtype="mail.mt_note")
        created.append(followup)
    env["ir.attachment"].create({
        "name": "soporte.txt", "datas_fname": "soporte.txt",
        "datas": "aG9sYQ==", "res_model": "cartera.followup",
        "res_id": created[0].id})
    Closing = env["cartera.closing"].sudo(users["mig_jefe"])
    Closing._close_followups("2025-01-01", "2025-01-31")
    Closing._close_followups("2025-02-01", "2025-02-28",
                             partner=customers[0])
    # Cancelling the second invoice deletes the entry its closed follow-up
    # copied without a foreign key in the 11.0.1.2.0 history.
    invoices[1].journal_id.update_posted = True
    invoices[1].action_invoice_cancel()
    cr = env.cr
    ids = [followup.id for followup in created]
    return {
        "ids": ids,
        "cancelled_entry_followup": created[2].id,
        "users": {login: user.id for login, user in users.items()},
        "open": _rows(cr, "cartera_followup", ids),
        "closed": _rows(cr, "cartera_followup_history", ids),
        "threads": _threads(cr, ("cartera.followup",
                                 "cartera.followup.history")),
        "closings": _closings(cr),
    }


def check(env):
    cr = env.cr
    cr.execute("SELECT to_regclass('cartera_followup_history'), "
               "to_regclass('cartera_followup_file')")
    leftovers = [name for name in cr.fetchone() if name]
    cr.execute("SELECT model FROM ir_model WHERE model IN %s", ((
        "cartera.followup.history", "cartera.followup.file",
        "cartera.followup.snapshot", "cartera.batch.read.mixin"),))
    models_left = [row[0] for row in cr.fetchall()]
    ids = env.context["scenario_ids"]
    cr.execute("SELECT id, state FROM cartera_followup WHERE id IN %s",
               (tuple(ids),))
    states = dict(cr.fetchall())
    cr.execute("""SELECT a.attname FROM pg_constraint c
                    JOIN pg_attribute a ON a.attrelid = c.conrelid
                     AND a.attnum = c.conkey[1]
                   WHERE c.conrelid = 'cartera_followup'::regclass
                     AND c.contype = 'f' ORDER BY 1""")
    foreign_keys = [row[0] for row in cr.fetchall()]
    cr.execute("SELECT latest_version FROM ir_module_module "
               "WHERE name = 'cartera_seguimiento'")
    version = cr.fetchone()[0]
    # What users get from the ORM.
    Followup = env["cartera.followup"]
    closed = Followup.search([("state", "=", "closed")])
    sealed = []
    for followup in closed:
        try:
            with cr.savepoint():
                followup.write({"notes": "cambio"})
            sealed.append(False)
        except odoo.exceptions.UserError:
            sealed.append(True)
    collector = env["res.users"].search([("login", "=", "mig_cob1")])
    readable = Followup.sudo(collector).search([("state", "=", "closed")])
    readable_messages = env["mail.message"].sudo(collector).search(
        [("model", "=", "cartera.followup"), ("res_id", "in", readable.ids)])
    return {
        "rows": _rows(cr, "cartera_followup", ids),
        "states": {str(key): value for key, value in states.items()},
        "threads": _threads(cr, ("cartera.followup",
                                 "cartera.followup.history")),
        "closings": _closings(cr),
        "leftover_tables": leftovers,
        "leftover_models": models_left,
        "foreign_keys": foreign_keys,
        "version": version,
        "all_closed_sealed": bool(sealed) and all(sealed),
        "collector_closed": sorted(readable.ids),
        "collector_messages": sorted(readable_messages.ids),
        "closings_followups": {
            str(closing.id): sorted(closing.followup_ids.ids)
            for closing in env["cartera.closing"].search([])},
    }


def main(command, addons_path, dbname, out, recorded=None):
    odoo.tools.config.parse_config([
        "--addons-path=%s" % addons_path, "--db_host=/var/run/postgresql"])
    with api.Environment.manage(), odoo.registry(dbname).cursor() as cr:
        env = _env(cr)
        if command == "record":
            result = record(env)
        else:
            with open(recorded) as handle:
                ids = json.load(handle)["ids"]
            result = check(env(context=dict(env.context, scenario_ids=ids)))
        cr.commit()
    with open(out, "w") as handle:
        json.dump(result, handle, indent=1, sort_keys=True)


if __name__ == "__main__":
    main(*sys.argv[1:6])
