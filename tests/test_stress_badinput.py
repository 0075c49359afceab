"""Bad input: a catalogue of wrong values sent over XML-RPC by a collector
working in Spanish (wrong types, missing required fields, dates that do not
exist, reversed ranges, 1 MB notes, SQL-looking text in every report filter,
ids of another company's or another collector's records). Each gets a clear
error (a warning, access or validation error with a message in Spanish, not
the traceback of an unexpected crash) and nothing is written. HTML and script
in notes and names are stored as text and come out escaped: in the list and
the chatter of the web client (Chromium), and in the follow-up report's
HTML."""
import re
from datetime import date, timedelta

import pytest

from conftest import ROOT, web_login
from stress_util import (
    RUN, JsonRpc, call_outcome, make_user, report, xmlid)

SPANISH = {"lang": "es_CO", "tz": "UTC"}
TODAY = date.today()
YESTERDAY = str(TODAY - timedelta(days=1))
TOMORROW = str(TODAY + timedelta(days=1))
# A day the server still sees as future if the run passes midnight (TODAY is
# read when the module is imported).
FUTURE = str(TODAY + timedelta(days=2))
SQL_TEXT = "2026-01-01'; DROP TABLE cartera_followup; --"
SQL_ID = "1) OR (1=1"
XSS_NOTE = ('<script>window.__xss = 1;</script><img src="x" '
            'onerror="window.__xss = 2"> & <b>negrita</b>')
XSS_NAME = 'Cliente <script>window.__xss = 3;</script><i>%s</i>' % RUN
BUSINESS_TABLES = ("cartera_followup", "cartera_closing", "mail_activity",
                   "cartera_followup_type", "mail_message", "mail_followers",
                   "ir_attachment", "cartera_promise",
                   "cartera_statement_run", "cartera_statement_run_line",
                   "cartera_kpi_month")
# Dates out of reason (9999-12-31 raised OverflowError) or impossible.
BAD_DATES = ("9999-12-31", "1899-12-31", "2201-01-01", "2020-02-30")
# Dates no user means (issue 23, point 6: years 1900-2200 only, the same
# clear error as an impossible date), and a word where a date goes.
ABSURD_DATES = ("9999-12-31", "0001-01-01", "1899-12-31", "2201-01-01",
                "2020-02-30", "yesterday")
HUGE = "x" * (1 << 20)
NO_ID = 987654321


def po_english_patterns():
    """Regexes of the addon's English messages that have a Spanish
    translation: an error matching one was not translated."""
    text = (ROOT / "cartera_seguimiento/i18n/es.po").read_text()
    entry = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', re.M)

    def unquote(lines):
        return "".join(re.findall(r'"(.*)"', lines)).replace('\\"', '"')

    patterns = []
    for msgid, msgstr in entry.findall(text):
        msgid, msgstr = unquote(msgid), unquote(msgstr)
        if len(msgid) < 20 or not msgstr or msgstr == msgid:
            continue
        regex = re.escape(msgid.replace("\\n", "\n"))
        for placeholder in ("%s", "%d"):
            regex = regex.replace(re.escape(placeholder), ".*")
        patterns.append(re.compile("^" + regex + "$", re.S))
    return patterns


@pytest.fixture(scope="module")
def world(odoo_server, admin_rpc):
    collector = "cobrador_malo_%s" % RUN
    other = "cobrador_otro_%s" % RUN
    collector_id = make_user(admin_rpc, collector, ["group_cartera_user"],
                             lang="es_CO")
    other_id = make_user(admin_rpc, other, ["group_cartera_user"],
                         lang="es_CO")
    partner_id = admin_rpc("res.partner", "create", {
        "name": "Cliente Malo %s" % RUN, "customer": True,
        "is_company": True, "user_id": collector_id})
    other_partner_id = admin_rpc("res.partner", "create", {
        "name": "Cliente Ajeno %s" % RUN, "customer": True,
        "is_company": True, "user_id": other_id})
    company_id = admin_rpc("res.company", "create",
                           {"name": "Otra Empresa %s" % RUN})
    foreign_partner_id = admin_rpc("res.partner", "create", {
        "name": "Cliente Otra Empresa %s" % RUN, "customer": True,
        "is_company": True, "company_id": company_id})
    type_id = xmlid(admin_rpc, "followup_type_call")
    other_followup_id = admin_rpc("cartera.followup", "create", {
        "partner_id": other_partner_id, "type_id": type_id,
        "responsible_id": other_id, "notes": "Ajeno"})
    own_followup_id = admin_rpc("cartera.followup", "create", {
        "partner_id": partner_id, "type_id": type_id,
        "responsible_id": collector_id, "notes": "Propio"})
    # A follow-up of the collector's, closed (only managers close).
    closed_followup_id = admin_rpc("cartera.followup", "create", {
        "partner_id": partner_id, "type_id": type_id,
        "responsible_id": collector_id, "notes": "Cerrado",
        "date": "2003-05-05 12:00:00"})
    wizard_id = admin_rpc("cartera.closing.wizard", "create", {
        "date_from": "2003-05-05", "date_to": "2003-05-05",
        "partner_id": partner_id})
    admin_rpc("cartera.closing.wizard", "action_close", [wizard_id])
    promise_id = admin_rpc("cartera.promise", "create", {
        "followup_id": own_followup_id, "amount": 100.0,
        "date": str(TODAY + timedelta(days=5))})
    invoice_ids = admin_rpc("account.invoice", "search", [
        ("type", "=", "out_invoice"), ("state", "=", "open"),
        ("commercial_partner_id", "!=", partner_id)], limit=1)
    supplier_ids = admin_rpc("account.invoice", "search", [
        ("type", "=", "in_invoice")], limit=1)
    # Issue 23: a Spanish manager, a promise of the collector's, a
    # follow-up of the other company, and a statement run of each
    # collector (their customers have no address: the runs finish at once).
    manager = "jefe_malo_%s" % RUN
    make_user(admin_rpc, manager, ["group_cartera_manager"], lang="es_CO")
    promise_id = admin_rpc("cartera.promise", "create", {
        "followup_id": own_followup_id, "amount": 100.0,
        "date": str(TODAY + timedelta(days=10))})
    foreign_followup_id = admin_rpc("cartera.followup", "create", {
        "partner_id": foreign_partner_id, "type_id": type_id,
        "company_id": company_id, "notes": "Otra empresa"})
    runs = {}
    for login, partner in ((collector, partner_id),
                           (other, other_partner_id)):
        # A run's chatter needs a sender's address.
        admin_rpc("res.users", "write", [
            collector_id if login == collector else other_id],
            {"email": "%s@empresa.test" % login})
        rpc = odoo_server.rpc(login, login)
        wizard = rpc("cartera.statement.wizard", "create", {
            "date_at": str(TODAY), "partner_ids": [(6, 0, [partner])]})
        rpc("cartera.statement.wizard", "action_send", [wizard])
        runs[login] = admin_rpc("cartera.statement.wizard", "read", [wizard],
                                ["run_id"])[0]["run_id"][0]
    return {"collector": collector, "collector_id": collector_id,
            "manager": manager, "promise_id": promise_id,
            "foreign_followup_id": foreign_followup_id,
            "own_run_id": runs[collector], "other_run_id": runs[other],
            "template_id": xmlid(admin_rpc, "cartera_statement_mail_template"),
            "other": other, "other_id": other_id, "partner_id": partner_id,
            "other_partner_id": other_partner_id, "company_id": company_id,
            "foreign_partner_id": foreign_partner_id, "type_id": type_id,
            "other_followup_id": other_followup_id,
            "own_followup_id": own_followup_id, "promise_id": promise_id,
            "closed_followup_id": closed_followup_id,
            "collector_partner_id": admin_rpc(
                "res.users", "read", [collector_id],
                ["partner_id"])[0]["partner_id"][0],
            "other_invoice_id": invoice_ids and invoice_ids[0],
            "supplier_invoice_id": supplier_ids and supplier_ids[0]}


def counts(db):
    with db.cursor() as cr:
        result = {}
        for table in BUSINESS_TABLES:
            # Followers have no write date: their last id tells.
            column = "id" if table == "mail_followers" else "write_date"
            cr.execute("SELECT count(*), max(%s) FROM %s" % (column, table))
            result[table] = cr.fetchone()
        return result


def catalogue(w):
    """(label, model, method, args, kwargs) of bad inputs."""
    good = {"partner_id": w["partner_id"], "type_id": w["type_id"]}
    own = [w["own_followup_id"]]

    def fu(**changes):
        """Good values with changes; None leaves a field out."""
        values = dict(good)
        for key, value in changes.items():
            if value is None:
                values.pop(key, None)
            else:
                values[key] = value
        return values

    closed = [w["closed_followup_id"]]
    F = "cartera.followup"
    cases = [
        # Wrong types.
        ("partner as text", F, "create", [fu(partner_id="abc")], {}),
        ("partner as float", F, "create", [fu(partner_id=1.5)], {}),
        ("partner as list", F, "create", [fu(partner_id=[1, 2])], {}),
        ("type as text", F, "create", [fu(type_id="Llamada")], {}),
        ("type as dict", F, "create", [fu(type_id={"id": 1})], {}),
        ("responsible as text", F, "create", [fu(responsible_id="yo")], {}),
        ("date as number", F, "create", [fu(date=20260101)], {}),
        ("date as words", F, "create", [fu(date="ayer por la tarde")], {}),
        ("next date as number", F, "create",
         [fu(next_date=5, next_type_id=w["type_id"])], {}),
        ("invoice as text", F, "create", [fu(invoice_id="FV-001")], {}),
        ("write partner as text", F, "write", [own, {"partner_id": "x"}], {}),
        ("write date as list", F, "write", [own, {"date": [2026, 1, 1]}], {}),
        ("write next type as text", F, "write",
         [own, {"next_type_id": "abc", "next_date": TOMORROW}], {}),
        # Missing required fields and unknown ids.
        ("no customer", F, "create", [fu(partner_id=None)], {}),
        ("no type", F, "create", [fu(type_id=None)], {}),
        ("customer False", F, "create", [fu(partner_id=False)], {}),
        ("type False", F, "create", [fu(type_id=False)], {}),
        ("unknown customer id", F, "create", [fu(partner_id=987654321)], {}),
        ("unknown type id", F, "create", [fu(type_id=987654321)], {}),
        ("unknown responsible", F, "create",
         [fu(responsible_id=987654321)], {}),
        ("write type False", F, "write", [own, {"type_id": False}], {}),
        ("write date False", F, "write", [own, {"date": False}], {}),
        # Dates that do not exist.
        ("date 2026-02-30", F, "create", [fu(date="2026-02-30 10:00:00")],
         {}),
        ("next date 2026-02-30", F, "create",
         [fu(next_date="2026-02-30", next_type_id=w["type_id"])], {}),
        ("date 2026-13-01", F, "create", [fu(date="2026-13-01 10:00:00")],
         {}),
        ("date 25:61", F, "create", [fu(date="2026-01-01 25:61:00")], {}),
        ("write next date 2026-02-31", F, "write",
         [own, {"next_date": "2026-02-31", "next_type_id": w["type_id"]}],
         {}),
        # Reversed ranges.
        ("next date before date", F, "create",
         [fu(next_date=YESTERDAY, next_type_id=w["type_id"])], {}),
        ("next date without type", F, "create",
         [fu(next_date=TOMORROW)], {}),
        ("closing wizard reversed", "cartera.closing.wizard", "create",
         [{"date_from": TOMORROW, "date_to": YESTERDAY}], {}),
        # 1 MB of text.
        ("1 MB notes", F, "create", [fu(notes="x" * (1 << 20))], {}),
        ("1 MB next note", F, "create",
         [fu(next_date=TOMORROW, next_type_id=w["type_id"],
             next_note="y" * (1 << 20))], {}),
        ("write 1 MB notes", F, "write", [own, {"notes": "z" * (1 << 20)}],
         {}),
        # Other company, other collector.
        ("customer of another company", F, "create",
         [fu(partner_id=w["foreign_partner_id"])], {}),
        ("follow-up in another company", F, "create",
         [fu(company_id=w["company_id"])], {}),
        ("customer of another collector", F, "create",
         [fu(partner_id=w["other_partner_id"], responsible_id=w["other_id"])],
         {}),
        ("read another collector's follow-up", F, "read",
         [[w["other_followup_id"]], ["notes"]], {}),
        ("write another collector's follow-up", F, "write",
         [[w["other_followup_id"]], {"notes": "Robado"}], {}),
        ("unlink own follow-up as collector", F, "unlink", [own], {}),
        ("move own follow-up to another company", F, "write",
         [own, {"company_id": w["company_id"]}], {}),
        ("give own follow-up away", F, "write",
         [own, {"partner_id": w["other_partner_id"],
                "responsible_id": w["other_id"]}], {}),
        # The status is the closings' alone; a closed follow-up is sealed.
        ("close own follow-up by writing", F, "write",
         [own, {"state": "closed"}], {}),
        ("status as a number", F, "write", [own, {"state": 1}], {}),
        ("closing id on own follow-up", F, "write",
         [own, {"closing_id": SQL_ID}], {}),
        ("write own closed follow-up", F, "write",
         [closed, {"notes": "Reabierto"}], {}),
        ("reopen own closed follow-up", F, "write",
         [closed, {"state": "open", "closing_id": False}], {}),
        ("post on own closed follow-up", F, "message_post", [closed],
         {"body": "Tarde", "message_type": "comment",
          "subtype": "mail.mt_note"}),
        ("follow own closed follow-up", F, "message_subscribe", [closed],
         {"partner_ids": [w["collector_partner_id"]]}),
        ("attach to own closed follow-up", "ir.attachment", "create",
         [{"name": "acta.txt", "datas": "YWN0YQ==", "res_model": F,
           "res_id": w["closed_followup_id"]}], {}),
    ]
    # Dates within reason; values the addon derives (issue 23, points 5
    # and 6).
    P = "cartera.promise"
    promise = [w["promise_id"]]
    for bad in BAD_DATES:
        cases += [
            ("date %s" % bad, F, "create", [fu(date=bad + " 10:00:00")], {}),
            ("next date %s" % bad, F, "create",
             [fu(next_date=bad, next_type_id=w["type_id"])], {}),
            ("promised date %s" % bad, F, "create",
             [fu(promise_amount=10.0, promise_date=bad)], {}),
            ("write promised date %s" % bad, P, "write",
             [promise, {"date": bad}], {}),
            ("judge promises as of %s" % bad, P, "evaluate", [bad], {}),
        ]
    cases += [
        ("follow-up dated tomorrow", F, "create",
         [fu(date=TOMORROW + " 12:00:00")], {}),
        ("write own follow-up's reference", F, "write",
         [own, {"name": "FORJADO"}], {}),
        ("write own follow-up's task status", F, "write",
         [own, {"task_state": "done"}], {}),
        ("write own follow-up's task activity", F, "write",
         [own, {"task_activity_id": 1}], {}),
        ("promise of another customer", P, "write",
         [promise, {"partner_id": w["other_partner_id"]}], {}),
        ("promise in another company", P, "write",
         [promise, {"company_id": w["company_id"]}], {}),
        ("promise kept by hand", P, "write", [promise, {"state": "kept"}],
         {}),
        ("judge promises as of a future day", P, "evaluate", [FUTURE], {}),
        ("judge promises as of yesterday as a collector", P, "evaluate",
         [YESTERDAY], {}),
    ]
    if w["other_invoice_id"]:
        cases.append(("invoice of another customer", F, "create",
                      [fu(invoice_id=w["other_invoice_id"])], {}))
    if w["supplier_invoice_id"]:
        cases.append(("supplier invoice", F, "create",
                      [fu(invoice_id=w["supplier_invoice_id"])], {}))
    cases.append(("SQL text in a search", F, "search_read",
                  [[("notes", "ilike", SQL_TEXT)], ["name"]], {}))
    cases.append(("SQL text as an order", F, "search",
                  [[]], {"order": "id; DROP TABLE cartera_followup"}))
    return cases


def no_rows_of(ids):
    """A check: the answer names none of these customers."""
    def names(value):
        if isinstance(value, dict):
            return any(key == "partner_id" and (
                item in ids or isinstance(item, list) and item
                and item[0] in ids) or names(item)
                for key, item in value.items())
        if isinstance(value, list):
            return any(names(item) for item in value)
        return False

    def check(result):
        return names(result) and "answered with their rows" or None
    return check


def create_then(model, values, action):
    """A case of two calls: create a wizard, then press its button."""
    def call(rpc):
        outcome = call_outcome(rpc, model, "create", values,
                               context=dict(SPANISH))
        if outcome[0] != "ok":
            return outcome
        return call_outcome(rpc, model, action, [outcome[1]],
                            context=dict(SPANISH))
    return call


def wizard_dates(day, w):
    """(wizard, values) with ``day`` where each wizard takes a date."""
    cases = [
        ("cartera.followup.report.wizard", {"date_from": day}),
        ("cartera.task.report.wizard", {"date_to": day}),
        ("cartera.aging.report.wizard", {"date_at": day}),
        ("cartera.movement.report.wizard", {"date_from": day}),
        ("cartera.history.report.wizard", {
            "date_from": day, "partner_ids": [(6, 0, [w["partner_id"]])]}),
        ("cartera.promise.report.wizard", {"date_to": day}),
        ("cartera.statement.wizard", {
            "date_at": day, "partner_ids": [(6, 0, [w["partner_id"]])]}),
    ]
    if day[:4].isdigit() and day[4:] == "-12-31" or day.endswith("-01-01"):
        cases.append(("cartera.kpi.report.wizard", {"year": int(day[:4])}))
    return cases


def trust_catalogue(w):
    """Issue 23: every public method and wizard of the addon with absurd
    dates, wrong types, 1 MB strings, other collectors' and other
    companies' ids and ids that do not exist, as a collector."""
    F, P, R = "cartera.followup", "cartera.promise", "cartera.ar.report"
    RUNS = "cartera.statement.run"
    today = str(TODAY)
    own, partner = [w["own_followup_id"]], [w["partner_id"]]
    good = {"partner_id": w["partner_id"], "type_id": w["type_id"]}
    # What only reads first: an absurd value that a write case stores
    # (today's main) would make the later reads fail for its sake.
    cases, writes = [], []
    for day in ABSURD_DATES:
        moment = day if day == "yesterday" else day + " 10:00:00"
        writes += [
            ("follow-up dated %s" % day, F, "create",
             [dict(good, date=moment)], {}),
            ("next task on %s" % day, F, "create",
             [dict(good, next_date=day, next_type_id=w["type_id"])], {}),
            ("write next task on %s" % day, F, "write",
             [own, {"next_date": day, "next_type_id": w["type_id"]}], {}),
            ("promise due %s" % day, P, "create", [{
                "followup_id": w["own_followup_id"], "amount": 10.0,
                "date": day}], {}),
            ("write promise due %s" % day, P, "write",
             [[w["promise_id"]], {"date": day}], {}),
        ]
        cases += [
            ("aging as of %s" % day, R, "aging", [day], {}),
            ("movement from %s" % day, R, "movement", [day, today], {}),
            ("movement to %s" % day, R, "movement", [YESTERDAY, day], {}),
            ("history from %s" % day, R, "history", [partner, day], {}),
            ("follow-ups from %s" % day, F, "listing", [day], {}),
            ("tasks to %s" % day, F, "task_listing", [None, day], {}),
            ("promises from %s" % day, R, "promises", [day, today], {}),
            ("kpis from %s" % day, R, "kpis", [day, today], {}),
            ("kpi months as of %s" % day, R, "kpi_months", [day], {}),
            ("statements as of %s" % day, R, "statements",
             [day, partner], {}),
            ("evaluate as of %s" % day, P, "evaluate", [day], {}),
        ]
        for wizard, values in wizard_dates(day, w):
            cases.append(("%s with %s %s" % (wizard, sorted(values)[0], day),
                          wizard, create_then(wizard, values,
                                              "action_print_html"),
                          None, None))
    other, foreign = [w["other_partner_id"]], [w["foreign_partner_id"]]

    def promise(**values):
        return [dict({"followup_id": w["own_followup_id"], "amount": 1.0,
                      "date": TOMORROW}, **values)]
    cases += [
        # Points 6 and 2, 5: judging another day, a run's fields.
        ("evaluate as of yesterday as a collector", P, "evaluate",
         [YESTERDAY], {}),
        ("evaluate as of a future day", P, "evaluate", [FUTURE], {}),
        # Wrong types and 1 MB strings.
        ("promise amount as text", P, "create", promise(amount="mucho"),
         {}),
        ("promise follow-up as text", P, "create", promise(followup_id="x"),
         {}),
        ("promise date as number", P, "create", promise(date=20260101), {}),
        ("promise date 1 MB", P, "create", promise(date=HUGE), {}),
        ("evaluate with a number", P, "evaluate", [5], {}),
        ("evaluate with a list", P, "evaluate", [[2026, 1, 1]], {}),
        ("evaluate 1 MB", P, "evaluate", [HUGE], {}),
        ("aging as of 1 MB", R, "aging", [HUGE], {}),
        ("movement 1 MB", R, "movement", [HUGE, HUGE], {}),
        ("follow-ups 1 MB", F, "listing", [HUGE], {}),
        ("statements as of 1 MB", R, "statements", [HUGE, partner], {}),
        ("statements ids as text", R, "statements", [today, "todos"], {}),
        ("history ids as text", R, "history", ["todos"], {}),
        ("promises collectors as text", R, "promises", [None, None, "yo"],
         {}),
        ("kpi refresh as a collector", "cartera.kpi.month", "refresh", [],
         {}),
        ("resume a run id as text", RUNS, "action_resume", [["x"]], {}),
        ("run as of 1 MB", RUNS, "create", [{
            "date_at": HUGE, "template_id": w["template_id"]}], {}),
        ("run as of 9999-12-31", RUNS, "create", [{
            "date_at": "9999-12-31", "template_id": w["template_id"]}], {}),
        # Other collectors' customers and records.
        ("promise on another collector's follow-up", P, "create",
         promise(followup_id=w["other_followup_id"]), {}),
        ("promise moved to another collector's follow-up", P, "write",
         [[w["promise_id"]], {"followup_id": w["other_followup_id"]}], {}),
        ("statements of another collector's customer", R, "statements",
         [today, other], {}),
        ("history of another collector's customer", R, "history", [other],
         {}, no_rows_of(other)),
        ("aging of another collector's customer", R, "aging",
         [today, 30, other], {}, no_rows_of(other)),
        ("movement of another collector's customer", R, "movement",
         [YESTERDAY, today, other], {}, no_rows_of(other)),
        ("resume another collector's run", RUNS, "action_resume",
         [[w["other_run_id"]]], {}),
        ("refresh another collector's run", RUNS, "action_refresh",
         [[w["other_run_id"]]], {}),
        ("statement e-mail to another collector's customer",
         "cartera.statement.wizard", create_then(
             "cartera.statement.wizard", {
                 "date_at": today, "partner_ids": [(6, 0, other)]},
             "action_send"), None, None),
        # Other companies' ids.
        ("promise on another company's follow-up", P, "create",
         promise(followup_id=w["foreign_followup_id"]), {}),
        ("statements of another company's customer", R, "statements",
         [today, foreign], {}),
        ("history of another company's customer", R, "history", [foreign],
         {}, no_rows_of(foreign)),
        ("movement of another company's customer", R, "movement",
         [YESTERDAY, today, foreign], {}, no_rows_of(foreign)),
        ("statement e-mail to another company's customer",
         "cartera.statement.wizard", create_then(
             "cartera.statement.wizard", {
                 "date_at": today, "partner_ids": [(6, 0, foreign)]},
             "action_send"), None, None),
        # Ids that do not exist.
        ("promise on a follow-up that does not exist", P, "create",
         promise(followup_id=NO_ID), {}),
        ("statements of a customer that does not exist", R, "statements",
         [today, [NO_ID]], {}),
        ("resume a run that does not exist", RUNS, "action_resume",
         [[NO_ID]], {}),
        ("refresh a run that does not exist", RUNS, "action_refresh",
         [[NO_ID]], {}),
        ("run with a template that does not exist", RUNS, "create",
         [{"date_at": today, "template_id": NO_ID}], {}),
        ("write a promise that does not exist", P, "write",
         [[NO_ID], {"amount": 5.0}], {}),
        ("mark done a task that does not exist", F, "action_mark_task_done",
         [[NO_ID]], {}),
    ]
    return cases + writes


def manager_catalogue(w):
    """What only managers may call: closings, the indicators' refresh, the
    judgement of promises as of another day."""
    cases = []
    for day in ABSURD_DATES:
        cases += [
            ("closing on %s" % day, "cartera.closing.wizard", create_then(
                "cartera.closing.wizard", {"date_from": day, "date_to": day},
                "action_close"), None, None),
            ("indicators as of %s" % day, "cartera.kpi.month", "refresh",
             [day], {}),
            ("evaluate as of %s as a manager" % day, "cartera.promise",
             "evaluate", [day], {}),
        ]
    cases += [
        ("evaluate as of a future day as a manager", "cartera.promise",
         "evaluate", [FUTURE], {}),
        ("indicators as of 1 MB", "cartera.kpi.month", "refresh", [HUGE],
         {}),
        ("indicators with a number", "cartera.kpi.month", "refresh", [5],
         {}),
        ("closing 1 MB", "cartera.closing.wizard", "create",
         [{"date_from": HUGE, "date_to": HUGE}], {}),
        ("closing of another company's customer", "cartera.closing.wizard",
         create_then("cartera.closing.wizard", {
             "date_from": "2003-05-05", "date_to": "2003-05-05",
             "partner_id": w["foreign_partner_id"]}, "action_close"),
         None, None),
    ]
    return cases


def report_catalogue(w):
    """Bad filters of the report engine and wizards."""
    R, F = "cartera.ar.report", "cartera.followup"
    cases = [
        ("movement reversed", R, "movement", [TOMORROW, YESTERDAY], {}),
        ("history reversed", R, "history",
         [[w["partner_id"]], TOMORROW, YESTERDAY], {}),
        ("followups reversed", F, "listing", [TOMORROW, YESTERDAY], {}),
        ("tasks reversed", F, "task_listing", [TOMORROW, YESTERDAY], {}),
        ("aging period 0", R, "aging", [str(TODAY), 0], {}),
        ("aging period -30", R, "aging", [str(TODAY), -30], {}),
        ("aging period as text", R, "aging", [str(TODAY), "30 dias"], {}),
        ("aging of another company's customer", R, "aging",
         [str(TODAY), 30, [w["foreign_partner_id"]]], {}),
        ("aging date 2026-02-30", R, "aging", ["2026-02-30"], {}),
    ]
    for bad in BAD_DATES[:3]:
        cases += [
            ("aging date %s" % bad, R, "aging", [bad], {}),
            ("movement from %s" % bad, R, "movement", [bad, str(TODAY)], {}),
            ("history to %s" % bad, R, "history",
             [[w["partner_id"]], None, bad], {}),
            ("tasks to %s" % bad, F, "task_listing", [None, bad], {}),
            ("aging wizard %s" % bad, "cartera.aging.report.wizard",
             "create", [{"date_at": bad}], {}),
            ("closing wizard %s" % bad, "cartera.closing.wizard", "create",
             [{"date_from": YESTERDAY, "date_to": bad}], {}),
        ]
    # SQL-looking text in every filter of every engine method (the report
    # wizards read from them).
    sql_filters = {
        "aging": [(SQL_TEXT,), (str(TODAY), SQL_TEXT), (str(TODAY), 30,
                                                        [SQL_ID]),
                  (str(TODAY), 30, None, [SQL_ID])],
        "movement": [(SQL_TEXT, str(TODAY)), (YESTERDAY, SQL_TEXT),
                     (YESTERDAY, str(TODAY), [SQL_ID]),
                     (YESTERDAY, str(TODAY), None, [SQL_ID])],
        "history": [([SQL_ID],), ([w["partner_id"]], SQL_TEXT),
                    ([w["partner_id"]], None, SQL_TEXT)],
        "listing": [(SQL_TEXT,), (None, SQL_TEXT), (None, None, [SQL_ID]),
                    (None, None, None, [SQL_ID]),
                    (None, None, None, None, [SQL_ID]),
                    (None, None, None, None, None, [SQL_ID])],
        "task_listing": [(SQL_TEXT,), (None, SQL_TEXT),
                         (None, None, [SQL_ID]), (None, None, None, [SQL_ID]),
                         (None, None, None, None, [SQL_ID])],
    }
    for method, arg_lists in sorted(sql_filters.items()):
        for number, args in enumerate(arg_lists):
            model = F if method in ("listing", "task_listing") else R
            cases.append(("SQL text in %s filter %d" % (method, number),
                          model, method, list(args), {}))
    for wizard, values in (
            ("cartera.followup.report.wizard",
             {"date_from": SQL_TEXT, "date_to": SQL_TEXT}),
            ("cartera.task.report.wizard", {"date_from": SQL_TEXT}),
            ("cartera.aging.report.wizard", {"date_at": SQL_TEXT}),
            ("cartera.movement.report.wizard", {"date_from": SQL_TEXT}),
            ("cartera.history.report.wizard", {"date_from": SQL_TEXT}),
            ("cartera.aging.report.wizard", {"partner_ids": [(6, 0, [SQL_ID])]}),
            ("cartera.followup.report.wizard",
             {"type_ids": [(6, 0, [SQL_ID])]}),
            ("cartera.closing.wizard",
             {"date_from": SQL_TEXT, "date_to": SQL_TEXT})):
        cases.append(("SQL text in %s %s" % (wizard, sorted(values)[0]),
                      wizard, "create", [values], {}))
    return cases


# Cases where an answer is as good as an error, as long as nothing is
# written: the SQL-looking text is taken as data (a search finds nothing, a
# date keeps its valid first ten characters).
MAY_SUCCEED = ("SQL text",)


def run_catalogue(rpc, db, cases):
    """Each case: (label, model, method, args, kwargs[, check]). A method
    may be a callable of the client (several calls, see ``create_then``);
    ``check(result)`` judges an answer (a problem's text, or None) where an
    answer may be harmless (a search scoped to the user's customers)."""
    english = po_english_patterns()
    results, problems = [], []
    for case in cases:
        label, model, method, args, kwargs = case[:5]
        check = case[5] if len(case) > 5 else None
        before = counts(db)
        if callable(method):
            outcome = method(rpc)
        else:
            outcome = call_outcome(rpc, model, method, *args,
                                   context=dict(SPANISH), **kwargs)
        after = counts(db)
        results.append((label, outcome[0]))
        if before != after:
            problems.append("%s: wrote %s" % (label, ", ".join(
                table for table in BUSINESS_TABLES
                if before[table] != after[table])))
        if outcome[0] == "ok":
            problem = check(outcome[1]) if check else None
            if problem:
                problems.append("%s: %s" % (label, problem))
            elif not check and not label.startswith(MAY_SUCCEED):
                problems.append("%s: accepted (%r)" % (
                    label, str(outcome[1])[:80]))
        elif outcome[0] == "crash":
            problems.append("%s: unclear error %s: %s" % (
                label, outcome[1], outcome[2][:200]))
        elif any(p.match(outcome[2]) for p in english):
            problems.append("%s: not translated: %s" % (label, outcome[2]))
    return results, problems


def test_bad_input_catalogue(odoo_server, admin_rpc, db, world):
    rpc = odoo_server.rpc(world["collector"], world["collector"])
    results, problems = run_catalogue(rpc, db, catalogue(world))
    # The closing wizard opens for anyone; closing is for managers only.
    wizard_id = rpc("cartera.closing.wizard", "create", {
        "date_from": YESTERDAY, "date_to": YESTERDAY})
    more, more_problems = run_catalogue(rpc, db, [
        ("close as a collector", "cartera.closing.wizard", "action_close",
         [[wizard_id]], {})])
    results += more
    problems += more_problems
    report_catalogue_outcome("badinput", results, problems)
    # Collectors' own records did not change either.
    own = admin_rpc("cartera.followup", "read", [world["own_followup_id"]],
                    ["notes", "partner_id", "company_id"])[0]
    assert own["notes"] == "Propio" and \
        own["partner_id"][0] == world["partner_id"]


def report_catalogue_outcome(name, results, problems):
    """Print and keep the figures of a catalogue run; fail on any problem."""
    report(name, {"tried": len(results),
                  "clear_errors": sum(1 for r in results if r[1] == "clear"),
                  "harmless_answers": sum(1 for r in results if r[1] == "ok"),
                  "problems": len(problems),
                  "problem_list": problems})
    assert not problems, "\n".join(problems)


def test_bad_report_filters(odoo_server, db, world):
    """SQL-looking text in every filter of the report engine and the
    report wizards, reversed ranges and impossible dates."""
    rpc = odoo_server.rpc(world["collector"], world["collector"])
    results, problems = run_catalogue(rpc, db, report_catalogue(world))
    report_catalogue_outcome("badfilters", results, problems)


def test_bad_input_trust(odoo_server, db, world):
    """Issue 23: absurd dates (years outside 1900-2200, impossible dates,
    words), wrong types, 1 MB strings, other collectors' and companies'
    ids and ids that do not exist, in every public method and wizard of the
    addon: a clear translated error each, nothing written."""
    rpc = odoo_server.rpc(world["collector"], world["collector"])
    with db.cursor() as cr:
        cr.execute("SELECT (SELECT max(id) FROM cartera_followup), "
                   "(SELECT max(id) FROM cartera_promise)")
        last_followup, last_promise = cr.fetchone()
    results, problems = run_catalogue(rpc, db, trust_catalogue(world))
    with db.cursor() as cr:
        # What the collector's cases stored where they should not have
        # (today's main) is put back, so that the manager's cases judge
        # their own input, not an absurd date stored before.
        cr.execute("DELETE FROM cartera_promise WHERE id > %s",
                   (last_promise,))
        cr.execute("DELETE FROM cartera_followup WHERE id > %s",
                   (last_followup,))
        cr.execute("UPDATE cartera_promise SET date = %s WHERE id = %s",
                   (str(TODAY + timedelta(days=10)), world["promise_id"]))
        cr.execute("DELETE FROM mail_activity WHERE res_model = "
                   "'cartera.followup' AND res_id = %s",
                   (world["own_followup_id"],))
        cr.execute("UPDATE cartera_followup SET next_date = NULL, "
                   "next_type_id = NULL, task_state = 'none', "
                   "task_activity_id = NULL WHERE id = %s",
                   (world["own_followup_id"],))
    manager = odoo_server.rpc(world["manager"], world["manager"])
    more, more_problems = run_catalogue(manager, db,
                                        manager_catalogue(world))
    report_catalogue_outcome("badinput-trust", results + more,
                             problems + more_problems)


def test_markup_is_escaped_in_report_html(odoo_server, admin_rpc, world):
    """HTML and script in notes and customer names are printed as text."""
    partner_id = admin_rpc("res.partner", "create", {
        "name": XSS_NAME, "customer": True, "is_company": True,
        "user_id": world["collector_id"]})
    rpc = odoo_server.rpc(world["collector"], world["collector"])
    rpc("cartera.followup", "create", {
        "partner_id": partner_id, "type_id": world["type_id"],
        "notes": XSS_NOTE})
    session = JsonRpc(odoo_server, world["collector"], world["collector"])
    wizard_id = session("cartera.followup.report.wizard", "create", {
        "date_from": YESTERDAY, "date_to": TOMORROW,
        "partner_ids": [(6, 0, [partner_id])]})
    html = session.get("/report/html/cartera_seguimiento.report_followup/%d"
                       % wizard_id)
    assert html.status_code == 200, html.text[:500]
    body = html.text
    assert "window.__xss" in body  # the text is there...
    assert "<script>window.__xss" not in body  # ...but not as markup
    assert 'onerror="window.__xss' not in body
    assert "&lt;script&gt;window.__xss = 1;" in body
    assert "&lt;b&gt;negrita&lt;/b&gt;" in body


def test_markup_is_escaped_in_the_web_client(odoo_server, admin_rpc, world,
                                             page, output_dir):
    """The capture list and the chatter of a follow-up show the markup as
    text and run no script; a chatter message keeps no script either."""
    rpc = odoo_server.rpc(world["collector"], world["collector"])
    followup_id = rpc("cartera.followup", "create", {
        "partner_id": world["partner_id"], "type_id": world["type_id"],
        "notes": XSS_NOTE, "next_date": TOMORROW,
        "next_type_id": world["type_id"], "next_note": XSS_NOTE})
    rpc("cartera.followup", "message_post", [followup_id], body=XSS_NOTE,
        message_type="comment", subtype="mail.mt_note")
    message = admin_rpc("mail.message", "search_read", [
        ("model", "=", "cartera.followup"), ("res_id", "=", followup_id),
        ("body", "ilike", "negrita")], ["body"])
    assert message and "<script" not in message[0]["body"] and \
        "onerror" not in message[0]["body"], message
    web_login(page, odoo_server, world["collector"], world["collector"])
    page.goto(odoo_server.url +
              "/web#model=cartera.followup&view_type=list&action=%d"
              % xmlid(admin_rpc, "cartera_followup_action"))
    page.locator(".o_data_row", has_text="window.__xss").first.wait_for(
        timeout=60000)
    assert page.evaluate("window.__xss") is None
    list_text = page.locator(".o_list_view").inner_text()
    assert "<script>window.__xss = 1;</script>" in list_text
    # The customer named with markup (test above) shows as text too.
    assert "<script>window.__xss = 3;</script>" in list_text
    page.goto(odoo_server.url + "/web#model=cartera.followup&view_type=form"
              "&id=%d" % followup_id)
    page.locator(".o_mail_thread, .o_chatter").first.wait_for(timeout=60000)
    page.locator(".o_form_view", has_text="window.__xss").first.wait_for()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(output_dir / "stress-escaped-form.png"))
    assert page.evaluate("window.__xss") is None
    form_text = page.locator(".o_form_view").inner_text()
    assert "<script>window.__xss = 1;</script>" in form_text


def test_oversized_note_in_the_web_client(odoo_server, admin_rpc, world,
                                          page, output_dir):
    """Typed in the capture list: a note over the limit gets a dialog with
    the Spanish message and nothing is saved."""
    web_login(page, odoo_server, world["collector"], world["collector"])
    page.goto(odoo_server.url +
              "/web#model=cartera.followup&view_type=list&action=%d"
              % xmlid(admin_rpc, "cartera_followup_action"))
    page.locator(".o_list_button_add").wait_for(timeout=60000)
    page.click(".o_list_button_add")
    page.wait_for_selector(".o_selected_row")
    for field, text in (("partner_id", "Cliente Malo %s" % RUN),
                        ("type_id", "Llamada")):
        cell = page.locator(
            ".o_selected_row .o_field_widget[name=%s] input" % field)
        cell.fill(text)
        item = page.locator("ul.ui-autocomplete:visible li a",
                            has_text=text).first
        item.wait_for()
        item.click()
    marker = "largo-%s-" % RUN
    page.fill(".o_selected_row .o_field_widget[name=notes]",
              marker + "x" * 10001)
    page.click(".o_list_button_save")
    dialog = page.locator(".modal-dialog:visible")
    dialog.wait_for(timeout=60000)
    text = dialog.inner_text()
    page.screenshot(path=str(output_dir / "stress-note-too-long.png"))
    assert "10000" in text and "como máximo" in text, text
    assert not admin_rpc("cartera.followup", "search_count",
                         [("notes", "like", marker + "%")])
