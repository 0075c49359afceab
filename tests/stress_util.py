"""Helpers shared by the reliability tests (tests/test_stress_*.py): sizes
of the quick and full runs, a JSON-RPC client that tells errors apart, the
classification of RPC errors into clear (a user-facing message) and unclear
(a crash), and the figures printed at the end of the run."""
import json
import os
import re
import sys
import time
import uuid
import xmlrpc.client

import requests

from conftest import OUTPUT

FULL = os.environ.get("STRESS") == "full"
RUN = uuid.uuid4().hex[:8]

# Exceptions that are a clear, user-facing answer: the web client shows
# their message in a dialog; over XML-RPC they are warnings or access errors.
CLEAR_EXCEPTIONS = (
    "odoo.exceptions.UserError", "odoo.exceptions.ValidationError",
    "odoo.exceptions.AccessError", "odoo.exceptions.MissingError",
    "odoo.exceptions.AccessDenied", "odoo.exceptions.Warning",
    "odoo.exceptions.except_orm", "odoo.exceptions.RedirectWarning",
)

EXCEPTION_LINE = re.compile(
    r"^((?:[A-Za-z_]\w*\.)+[A-Za-z_]\w*|[A-Za-z_]\w*(?:Error|Exception))"
    r"(?::(.*))?$")


def sizes(quick, full):
    return full if FULL else quick


def report(name, figures):
    """Keep the figures in test-output/stress-<name>.json and show them in
    the output of `make test` / `make stress` (pytest captures prints)."""
    OUTPUT.mkdir(exist_ok=True)
    figures = dict(figures, mode="full" if FULL else "quick")
    (OUTPUT / ("stress-%s.json" % name)).write_text(
        json.dumps(figures, indent=2, sort_keys=True, default=str))
    sys.__stdout__.write("\n[stress %s] %s\n" % (
        name, json.dumps(figures, sort_keys=True, default=str)))
    sys.__stdout__.flush()


def percentile(values, pct):
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, int(round(pct / 100.0 * (len(ordered) - 1))))
    return ordered[index]


class RpcError(Exception):
    """An error answer of the server (as opposed to no answer at all)."""

    def __init__(self, name, message, debug=""):
        super(RpcError, self).__init__("%s: %s" % (name, message))
        self.name = name
        self.message = message
        self.debug = debug

    @property
    def clear(self):
        return self.name in CLEAR_EXCEPTIONS

    @property
    def concurrency(self):
        return any(code in self.debug for code in (
            "could not serialize", "deadlock detected",
            "TransactionRollbackError"))


class JsonRpc:
    """The web client's own channel: /web/dataset/call_kw with a session
    cookie. Errors come back as RpcError (server answered) or
    requests.RequestException (no answer)."""

    def __init__(self, server, login, password, timeout=120):
        self.server = server
        self.login = login
        self.password = password
        self.timeout = timeout
        self.http = None
        self.authenticate()

    def authenticate(self):
        self.http = requests.Session()
        resp = self.http.post(self.server.url + "/web/session/authenticate",
                              json={"jsonrpc": "2.0", "method": "call",
                                    "params": {"db": self.server.dbname,
                                               "login": self.login,
                                               "password": self.password}},
                              timeout=self.timeout)
        resp.raise_for_status()
        result = resp.json().get("result") or {}
        assert result.get("uid"), resp.text
        self.uid = result["uid"]
        self.context = result.get("user_context", {})

    def __call__(self, model, method, *args, **kwargs):
        kwargs.setdefault("context", dict(self.context))
        resp = self.http.post(
            self.server.url + "/web/dataset/call_kw/%s/%s" % (model, method),
            json={"jsonrpc": "2.0", "method": "call", "id": 1,
                  "params": {"model": model, "method": method,
                             "args": list(args), "kwargs": kwargs}},
            timeout=self.timeout)
        resp.raise_for_status()
        body = resp.json()
        if "error" in body:
            data = body["error"].get("data") or {}
            raise RpcError(data.get("name", "?"),
                           data.get("message") or body["error"].get(
                               "message", ""), data.get("debug", ""))
        return body["result"]

    def get(self, path):
        return self.http.get(self.server.url + path, timeout=self.timeout)


def fault_kind(fault):
    """(clear, exception name, message) of an XML-RPC Fault of /xmlrpc/2."""
    if fault.faultCode in (2, 3, 4):
        return True, "code %s" % fault.faultCode, fault.faultString
    # Application error: a traceback; the last line that names an exception
    # class (PostgreSQL errors add a few lines after it).
    name, message = "?", fault.faultString[-300:]
    for line in reversed(fault.faultString.strip().splitlines()):
        match = EXCEPTION_LINE.match(line)
        if match:
            name, message = match.group(1), (match.group(2) or "").strip()
            break
    return name in CLEAR_EXCEPTIONS, name, message


def call_outcome(rpc, model, method, *args, **kwargs):
    """('ok', result) or ('clear'|'crash', exception name, message)."""
    try:
        return ("ok", rpc(model, method, *args, **kwargs))
    except xmlrpc.client.Fault as fault:
        clear, name, message = fault_kind(fault)
        return ("clear" if clear else "crash", name, message)
    except RpcError as error:
        return ("clear" if error.clear else "crash", error.name,
                error.message)


def xmlid(admin_rpc, name):
    if "." not in name:
        name = "cartera_seguimiento." + name
    return admin_rpc("ir.model.data", "xmlid_to_res_id", name)


def make_user(admin_rpc, login, group_xmlids, name=None, lang=None,
              share=False):
    group_ids = [xmlid(admin_rpc, g) for g in group_xmlids]
    values = {"name": name or login, "login": login, "password": login,
              "tz": "UTC",
              "groups_id": [(6, 0, [g for g in group_ids if g])]}
    if lang:
        values["lang"] = lang
    return admin_rpc("res.users", "create", values)


def wait_for(predicate, timeout=60, step=0.2):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def restore_report_url(server):
    """An extra server points report.url (where wkhtmltopdf fetches the CSS)
    at itself when it starts: give it back to the session's server."""
    from conftest import db_connect
    conn = db_connect(server.dbname)
    try:
        with conn.cursor() as cr:
            cr.execute("UPDATE ir_config_parameter SET value = %s "
                       "WHERE key = 'report.url'", (server.url,))
    finally:
        conn.close()
