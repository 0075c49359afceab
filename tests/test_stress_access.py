"""Access matrix: every model of the addon (listed from ir.model), every
group (collector, manager, plain accounting user, portal, public, and the
superuser), every operation (read, create, write, unlink, each wizard's
action and each report), over XML-RPC and HTTP: only what POLICY allows
works. A leak is an operation that worked where the policy says no. A closed
follow-up is a case of cartera.followup: collectors read their own closed
ones and not others', and nobody, the superuser included, writes, deletes,
posts, follows or attaches on one; the closing log is immutable for
everyone too. The report engine's follow-up and task listings show what the
follow-ups' record rules show, no more."""
import xmlrpc.client

import pytest
import requests

from stress_util import RUN, JsonRpc, RpcError, make_user, report, xmlid

GROUPS = {
    "collector": ["cartera_seguimiento.group_cartera_user"],
    "manager": ["cartera_seguimiento.group_cartera_manager"],
    "accountant": ["account.group_account_user", "base.group_user"],
    "portal": ["base.group_portal"],
    "public": ["base.group_public"],
}
STAFF = {"collector", "manager"}
# The superuser (admin, uid 1) passes every access right and rule; only
# the immutable models refuse it.
SUPER = "superuser"
ALL = set(GROUPS) | {SUPER}

# Which groups may do what. Reports: the wizard's PDF/HTML/XLSX output.
# "read_other" reads a record of another collector's customer, and
# "read_other_company" one of another company (record rules).
POLICY = {
    "cartera.followup.type": {
        "read": STAFF | {SUPER}, "create": {"manager", SUPER},
        "write": {"manager", SUPER}, "unlink": {"manager", SUPER}},
    "cartera.followup": {
        "read": STAFF | {SUPER}, "read_other": {"manager", SUPER},
        "read_other_company": {SUPER},
        "create": STAFF | {SUPER}, "write": STAFF | {SUPER},
        "unlink": {"manager", SUPER},
        "message_post": STAFF | {SUPER},
        "message_post_other": {"manager", SUPER},
        "messages_other": {"manager", SUPER},
        # Closed follow-ups: read as open ones are, changed by nobody.
        "read_closed": STAFF | {SUPER},
        "read_closed_other": {"manager", SUPER},
        "messages_closed": STAFF | {SUPER},
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
        "history": STAFF | {SUPER}, "followups": STAFF | {SUPER},
        "tasks": STAFF | {SUPER}, "promises": STAFF | {SUPER},
        # Another collector's follow-ups (a closed one) and tasks in the
        # listings: the record rules decide, as in the lists.
        "followups_other": {"manager", SUPER},
        "tasks_other": {"manager", SUPER}},
}
REPORTS = ("followup", "task", "aging", "movement", "history", "promise")
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
POLICY["cartera.ar.report"]["statements"] = STAFF | {SUPER}
POLICY.update({"cartera.statement.wizard": {},
               "report.cartera_seguimiento.report_statement": {}})
# Abstract bases with nothing to call of their own.
POLICY.update({"cartera.report.wizard": {}, "cartera.report.qweb": {},
               "cartera.report.xlsx": {}, "cartera.scope": {}})
# One PDF per group is enough to prove the PDF path (wkhtmltopdf is slow).
POLICY["report.cartera_seguimiento.report_followup"]["pdf"] = STAFF | {SUPER}
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


@pytest.fixture(scope="module")
def world(odoo_server, admin_rpc, db):
    users = {}
    for group, xmlids in GROUPS.items():
        login = "matriz_%s_%s" % (group, RUN)
        users[group] = {"login": login, "id": make_user(
            admin_rpc, login, xmlids, share=group in ("portal", "public"))}
    users[SUPER] = {"login": "admin", "password": "admin", "id": 1}
    other = make_user(admin_rpc, "matriz_otro_%s" % RUN,
                      GROUPS["collector"])
    type_id = xmlid(admin_rpc, "followup_type_call")
    customer = admin_rpc("res.partner", "create", {
        "name": "Cliente Matriz %s" % RUN, "customer": True,
        "is_company": True, "user_id": users["collector"]["id"]})
    other_customer = admin_rpc("res.partner", "create", {
        "name": "Cliente Ajeno Matriz %s" % RUN, "customer": True,
        "is_company": True, "user_id": other})
    company = admin_rpc("res.company", "create",
                        {"name": "Empresa Matriz %s" % RUN})
    foreign_customer = admin_rpc("res.partner", "create", {
        "name": "Cliente Otra Empresa Matriz %s" % RUN, "customer": True,
        "is_company": True, "company_id": company})

    def followup(partner, **values):
        return admin_rpc("cartera.followup", "create", dict(
            {"partner_id": partner, "type_id": type_id,
             "notes": "Matriz %s" % RUN}, **values))

    # Closed follow-ups of both customers, and the closing's log.
    day = "2003-03-03"
    for partner in (customer, other_customer):
        followup(partner, date=day + " 12:00:00")
    manager = odoo_server.rpc(users["manager"]["login"],
                              users["manager"]["login"])
    wizard = manager("cartera.closing.wizard", "create",
                     {"date_from": day, "date_to": day})
    closing_id = manager("cartera.closing.wizard", "action_close",
                         [wizard])["res_id"]
    with db.cursor() as cr:
        cr.execute("SELECT partner_id, id FROM cartera_followup "
                   "WHERE closing_id = %s AND state = 'closed'",
                   (closing_id,))
        closed = dict(cr.fetchall())
    assert set(closed) == {customer, other_customer}, closed
    foreign = followup(foreign_customer, company_id=company)
    # Another collector's open follow-up carries a pending task.
    open_other = followup(other_customer, next_date=TASK_DAY,
                          next_type_id=type_id)
    return {"users": users, "type_id": type_id, "customer": customer,
            "other_customer": other_customer, "company": company,
            "followup": followup, "open": followup(customer),
            "open_other": open_other, "foreign": foreign,
            "closed": closed[customer], "closed_other": closed[other_customer],
            "closing": closing_id, "day_counter": [0]}


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
        }[model][key]

    def read(self, rpc, model, key):
        rows = rpc(model, "read", [self.sample(model, key)], ["name"])
        return rows and rows[0].get("name")

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
        return rpc(model, "create", values)

    def op_write(self, rpc, session, model, operation):
        values = {"cartera.followup.type": {"sequence": 11},
                  "cartera.closing": {"followup_count": 99}}.get(
            model, {"notes": "Cambiado %s" % RUN})
        return rpc(model, "write", [self.sample(model)], values)

    def op_unlink(self, rpc, session, model, operation):
        w = self.world
        if model == "cartera.followup":
            record = w["followup"](w["customer"])
        elif model == "cartera.followup.type":
            record = self.admin(model, "create", {"name": "Borrable %s" % RUN,
                                                  "code": self.code()})
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

    def wizard(self, rpc, kind):
        values = {}
        if kind == "history":
            values["partner_ids"] = [(6, 0, [self.world["customer"]])]
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

    def op_followups_other(self, rpc, session, model, operation):
        rows = rpc(model, "followups", "2003-03-03", "2003-03-03", None,
                   None, None, None, True)
        return self.world["closed_other"] in [row["id"] for row in rows]

    def op_tasks_other(self, rpc, session, model, operation):
        rows = rpc(model, "tasks", TASK_DAY, TASK_DAY)
        return self.world["open_other"] in [row["id"] for row in rows]

    def op_kpis(self, rpc, session, model, operation):
        figures = session(model, "kpis", "2026-01-01", "2026-01-31")
        return "dso" in figures

    def op_refresh(self, rpc, session, model, operation):
        return rpc(model, "refresh") >= 0

    def op_search(self, rpc, session, model, operation):
        return rpc(model, "search_count", []) >= 0

    def op_method(self, rpc, session, model, operation):
        w = self.world
        args = {"aging": ["2026-01-31"],
                "movement": ["2026-01-01", "2026-01-31"],
                "history": [[w["customer"]]],
                "followups": ["2003-03-03", "2003-03-03", None, None, None,
                              None, True],
                "tasks": [], "evaluate": [],
                "statements": ["2026-01-31", [w["customer"]]],
                "promises": ["2026-01-01", "2026-01-31"]}[operation]
        rpc(model, operation, *args)
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
    assert closing["followup_count"] == 2
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
