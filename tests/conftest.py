"""Live-server fixtures: a real Odoo (prefork, 2 workers) on a free local port
against the test database, XML-RPC and JSON-RPC clients, and Chromium driven
by Playwright (the system browser, never a downloaded one)."""
import email
import email.policy
import os
import signal
import socket
import subprocess
import time
import warnings
import xmlrpc.client
from pathlib import Path

import psycopg2
import pytest
import requests
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "test-output"
DESCRIPTION = ROOT / "cartera_seguimiento" / "static" / "description"
DB = os.environ.get("CARTERA_TEST_DB", "cartera_test")
PGHOST = os.environ.get("PGHOST", "/var/run/postgresql")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-dev-shm-usage",
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def db_connect(dbname=DB):
    conn = psycopg2.connect(dbname=dbname, host=PGHOST)
    conn.autocommit = True
    return conn


class OdooServer:
    """A real Odoo server process serving one database."""

    def __init__(self, dbname=DB, workers=2, log_name="server",
                 cron_workers=0, report_url=True):
        self.dbname = dbname
        self.workers = workers
        # Cron workers run the due ir.cron jobs, as in production.
        self.cron_workers = cron_workers
        # Whether wkhtmltopdf is to fetch the report CSS from this server
        # (the server of the session keeps it while others come and go).
        self.report_url = report_url
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.log_path = OUTPUT / ("%s-%d.log" % (log_name, self.port))
        self.proc = None

    def start(self, timeout=120):
        OUTPUT.mkdir(exist_ok=True)
        if self.report_url:
            with db_connect(self.dbname) as conn, conn.cursor() as cr:
                # wkhtmltopdf fetches the report CSS from the server itself.
                cr.execute(
                    "DELETE FROM ir_config_parameter WHERE key = 'report.url'")
                cr.execute(
                    "INSERT INTO ir_config_parameter (key, value) VALUES "
                    "('report.url', %s)", (self.url,))
        env = dict(os.environ)
        env["PATH"] = "%s:%s:%s" % (ROOT / ".node/node_modules/.bin",
                                    ROOT / ".venv/bin", env.get("PATH", ""))
        cmd = [
            str(ROOT / ".venv/bin/python"), str(ROOT / "scripts/odoo-bin"),
            "--addons-path=%s" % ROOT, "--db_host=%s" % PGHOST,
            "-d", self.dbname, "--db-filter=^%s$" % self.dbname,
            "--http-interface=127.0.0.1", "--http-port=%d" % self.port,
            "--longpolling-port=%d" % free_port(),
            "--workers=%d" % self.workers,
            "--max-cron-threads=%d" % self.cron_workers,
            "--limit-time-real=600", "--limit-time-cpu=300",
            "--limit-memory-soft=2147483648", "--limit-memory-hard=4294967296",
            "--logfile=%s" % self.log_path,
        ]
        self.proc = subprocess.Popen(cmd, env=env, start_new_session=True)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("Odoo exited; see %s" % self.log_path)
            try:
                if requests.get(self.url + "/web/login", timeout=5).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError("Odoo did not answer in %ss; see %s"
                           % (timeout, self.log_path))

    def kill(self, sig=signal.SIGKILL):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=60)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    # -- clients -----------------------------------------------------------
    def uid(self, login, password):
        common = xmlrpc.client.ServerProxy(self.url + "/xmlrpc/2/common")
        return common.authenticate(self.dbname, login, password, {})

    def rpc(self, login="admin", password="admin"):
        return RpcClient(self, login, password)

    def session(self, login="admin", password="admin"):
        """A requests session logged in through /web/session/authenticate."""
        http = requests.Session()
        resp = http.post(self.url + "/web/session/authenticate", json={
            "jsonrpc": "2.0", "method": "call",
            "params": {"db": self.dbname, "login": login, "password": password},
        }, timeout=60)
        resp.raise_for_status()
        assert resp.json().get("result", {}).get("uid"), resp.text
        return http


class RpcClient:
    """XML-RPC `execute_kw` bound to one user."""

    def __init__(self, server, login, password):
        self.server = server
        self.password = password
        self.uid = server.uid(login, password)
        assert self.uid, "login %s failed" % login
        self.models = xmlrpc.client.ServerProxy(
            server.url + "/xmlrpc/2/object", allow_none=True)

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(
            self.server.dbname, self.uid, self.password, model, method,
            list(args), kwargs)


@pytest.fixture(scope="session")
def odoo_server():
    server = OdooServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def start_odoo_server():
    """Start more servers, each its own process tree, on the test database
    and the same filestore, as Odoo runs on several machines; they stop at
    the end of the test module. ``start_odoo_server(**OdooServer args)``."""
    servers = []

    def start(**kwargs):
        kwargs.setdefault("report_url", False)
        server = OdooServer(**kwargs)
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def admin_rpc(odoo_server):
    return odoo_server.rpc()


@pytest.fixture(scope="session")
def db():
    conn = db_connect()
    yield conn
    conn.close()


@pytest.fixture(scope="session")
def output_dir():
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT


@pytest.fixture(scope="session", autouse=True)
def readme_images_untouched():
    """Tests write only to test-output/; the README's images are
    `make screenshots`' business (scripts/screenshots.sh copies them from
    test-output/). A picture a test still copies into static/description
    (the same bytes as a file of test-output/) is put back as it was at the
    end of the session, with a warning; other changes (someone editing the
    images meanwhile) are left alone."""
    before = {path: path.read_bytes() for path in DESCRIPTION.iterdir()
              if path.is_file()}
    yield
    shots = {path.read_bytes() for path in OUTPUT.glob("*.png")}
    touched = []
    for path, data in before.items():
        if path.is_file() and path.read_bytes() != data and \
                path.read_bytes() in shots:
            path.write_bytes(data)
            touched.append(path.name)
    if touched:
        warnings.warn("tests wrote README images, put back: %s (only "
                      "`make screenshots` updates them)" % ", ".join(touched))


class Inbox:
    """aiosmtpd handler keeping every message received."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append({
            "rcpt_tos": list(envelope.rcpt_tos),
            "message": email.message_from_bytes(
                envelope.content, policy=email.policy.default),
        })
        return "250 OK"


@pytest.fixture(scope="module")
def smtp():
    """A local SMTP server (aiosmtpd on 127.0.0.1, as `make run`'s
    maildev): its controller and the inbox of what it received."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture(scope="module")
def mail_server(smtp, admin_rpc):
    """The outgoing mail server pointing at ``smtp``, first in line;
    removed at the end of the module."""
    controller, _inbox = smtp
    server = admin_rpc("ir.mail_server", "create", {
        "name": "SMTP de prueba (aiosmtpd)", "smtp_host": "127.0.0.1",
        "smtp_port": controller.port, "smtp_encryption": "none",
        "sequence": 0})
    yield server
    admin_rpc("ir.mail_server", "unlink", [server])


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900},
                                  locale="es-CO")
    page = context.new_page()
    yield page
    context.close()


def seed_followups(db, prefix, partner_id, user_id, type_id, company_id,
                   count, first_day, days):
    """``count`` open follow-ups of one customer spread over ``days`` days
    from ``first_day``, at noon UTC, named ``prefix/n``, in one INSERT ...
    SELECT generate_series (fast, for closings of thousands of rows).
    Returns their ids."""
    with db.cursor() as cr:
        cr.execute(
            """INSERT INTO cartera_followup
                   (name, partner_id, user_id, date, type_id, responsible_id,
                    notes, task_state, state, company_id, create_uid,
                    create_date, write_uid, write_date)
               SELECT %s || '/' || g, %s, %s,
                      %s::timestamp + interval '12 hours'
                          + ((g %% %s) || ' days')::interval,
                      %s, %s, 'Llamada ' || g, 'none', 'open', %s, 1,
                      now() at time zone 'UTC', 1, now() at time zone 'UTC'
                 FROM generate_series(1, %s) AS g
               RETURNING id""",
            (prefix, partner_id, user_id, first_day, days, type_id, user_id,
             company_id, count))
        return sorted(row[0] for row in cr.fetchall())


def web_login(page, server, login, password):
    page.goto(server.url + "/web/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_selector("#oe_main_menu_navbar", timeout=60000)
    page.wait_for_load_state("networkidle")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep a screenshot of the browser page of a failing test."""
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and page is not None:
        OUTPUT.mkdir(exist_ok=True)
        try:
            page.screenshot(path=str(OUTPUT / ("%s-failure.png" % item.name)))
        except Exception:  # pylint: disable=broad-except
            pass
