"""What a newcomer sees on the demo of `make run`, as its own users: the
collector Camila lands on her agenda (the demo portfolio, real balances and
names), captures and files follow-ups, prints the aging and a statement and
e-mails her customers their statements; the manager Luisa prints the
movement, history, follow-up, task and indicator reports of the whole
portfolio, then closes the follow-ups older than a week. The pictures are
the README's (`make screenshots` copies them from test-output/demo-*.png);
the test database is built with the same demo portfolio as `make run`'s.

The tests run in this file's order and the closing comes last: it seals
real demo follow-ups, which the reports and the agenda before it show
open."""
import datetime
import re
import subprocess
import time

import pytest

from conftest import web_login
from test_kpis_live import json_call
from test_reports_live import money

CAMILA = "camila"
LUISA = "luisa"  # the demo's manager
# Camila's demo customers (cartera_seguimiento/demo/cartera_demo.xml).
CAMILA_CUSTOMERS = ("Ferretería Los Alpes S.A.S.",
                    "Distribuciones del Caribe Ltda.")
# Every demo customer and what it owes, from the demo's invoices, credit
# notes and payments (whatever the day: their dates move with it, their
# amounts do not). Alpes: 4.250.000 + 1.870.000 - 870.000; Caribe:
# 9.600.000 + 2.300.000 - 600.000 - 3.600.000; Andina: 15.750.000 +
# 6.400.000 - 1.200.000 - 2.400.000; Pacífico: 3.150.000 + 5.200.000 -
# 5.200.000 + 2.750.000 (due in three days, demo/cartera_dunning_demo.xml);
# Llanos: 7.800.000 + 1.250.000.
BALANCES = {
    "Ferretería Los Alpes S.A.S.": 5250000.0,
    "Distribuciones del Caribe Ltda.": 7700000.0,
    "Constructora Andina S.A.": 18550000.0,
    "Comercializadora Pacífico S.A.S.": 5900000.0,
    "Agropecuaria Los Llanos": 9050000.0,
}
TODAY = datetime.date.today()
# The closing: the follow-ups from 60 to 8 days back (local days), five
# of the demo's (its dates go back from now: 10, 14, 20, 30 and 55 days);
# those of the last week stay open.
CLOSED_XMLIDS = ("demo_fu_3", "demo_fu_4", "demo_fu_7",
                 "demo_fu_promise_pacifico", "demo_fu_promise_caribe")
CLOSE_FROM, CLOSE_TO = (TODAY - datetime.timedelta(days=60),
                        TODAY - datetime.timedelta(days=8))


def day(offset):
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


@pytest.fixture(scope="module")
def demo(admin_rpc):
    users = admin_rpc("res.users", "search_read", [("login", "=", CAMILA)],
                      ["id", "action_id"])
    if not users:
        pytest.skip("the test database has no demo portfolio")
    partners = admin_rpc("res.partner", "search_read",
                         [("name", "in", list(BALANCES))], ["name"])
    followups = {name: admin_rpc(
        "ir.model.data", "xmlid_to_res_id", "cartera_seguimiento.%s" % name)
        for name in CLOSED_XMLIDS}
    return {"camila": users[0], "followups": followups,
            "partners": {p["name"]: p["id"] for p in partners}}


@pytest.fixture
def page(browser):
    """A browser where the demo's users are: Colombia. Odoo's web client
    shows date-times in the browser's time zone."""
    context = browser.new_context(viewport={"width": 1400, "height": 900},
                                  locale="es-CO",
                                  timezone_id="America/Bogota")
    page = context.new_page()
    yield page
    context.close()


def menu(page, xmlid):
    link = page.locator(".o_sub_menu:visible a[data-menu-xmlid='%s']" % xmlid)
    if not link.count():
        # Procesos (top bar): its side menu holds Cartera / Seguimiento.
        page.click("#oe_main_menu_navbar a[data-menu-xmlid="
                   "'cartera_seguimiento.cartera_menu_root']")
        page.wait_for_load_state("networkidle")
    link.click()
    page.wait_for_load_state("networkidle")


def pdf_page(http, url, output_dir, name, pages=1):
    """The PDF at ``url`` as text; its first page (or first ``pages``
    pages: ``name-1.png``, ``name-2.png``...) kept as PNG."""
    resp = http.get(url, timeout=300)
    assert resp.status_code == 200, resp.text[:500]
    assert resp.content.startswith(b"%PDF")
    pdf = output_dir / ("%s.pdf" % name)
    pdf.write_bytes(resp.content)
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l",
                    str(pages)] + (["-singlefile"] if pages == 1 else []) +
                   [str(pdf), str(output_dir / name)], check=True)
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          stdout=subprocess.PIPE).stdout.decode("utf-8")


def test_collector_day_on_the_demo(odoo_server, page, demo, output_dir):
    web_login(page, odoo_server, CAMILA, CAMILA)
    # Her home action: the agenda, not Odoo's Discuss.
    page.locator(".o_control_panel .breadcrumb", has_text="Agenda").wait_for()
    rows = page.locator(".o_data_row")
    rows.first.wait_for()
    text = page.locator(".o_list_view").inner_text()
    for name in CAMILA_CUSTOMERS:
        assert name in text, name
    # Real balances, and the priority as a level (stars), not a number.
    assert "$ 0,00\t$ 0,00" not in rows.first.inner_text()
    assert page.locator(".o_data_row .o_priority_star.fa-star").count() > 0
    page.wait_for_selector(".o_loading", state="hidden")
    page.screenshot(path=str(output_dir / "demo-agenda.png"))

    menu(page, "cartera_seguimiento.cartera_followup_menu_capture")
    page.locator(".o_control_panel .breadcrumb", has_text="Captura").wait_for()
    page.locator(".o_data_row").first.wait_for()
    page.wait_for_selector(".o_loading", state="hidden")
    page.screenshot(path=str(output_dir / "demo-captura.png"))

    menu(page, "cartera_seguimiento.cartera_followup_file_menu")
    page.locator(".o_control_panel .breadcrumb",
                 has_text="Seguimiento").wait_for()
    page.locator(".o_group_header", has_text=CAMILA_CUSTOMERS[0]).first.click()
    page.locator(".o_data_row").first.wait_for()
    page.wait_for_load_state("networkidle")
    page.wait_for_selector(".o_loading", state="hidden")
    page.screenshot(path=str(output_dir / "demo-seguimiento.png"))


def test_collector_prints_on_the_demo(odoo_server, demo, output_dir):
    rpc = odoo_server.rpc(CAMILA, CAMILA)
    http = odoo_server.session(CAMILA, CAMILA)
    wizard = rpc("cartera.aging.report.wizard", "create", {})
    text = pdf_page(http, "%s/report/pdf/cartera_seguimiento.report_aging/%d"
                    % (odoo_server.url, wizard), output_dir,
                    "demo-informe_aging")
    for name in CAMILA_CUSTOMERS:
        assert name in text, name
    partner = demo["partners"][CAMILA_CUSTOMERS[0]]
    text = pdf_page(http, "%s/report/pdf/cartera_seguimiento.report_statement"
                    "/%d" % (odoo_server.url, partner), output_dir,
                    "demo-estado_cuenta")
    assert CAMILA_CUSTOMERS[0] in text
    # The demo company's own letterhead, not Odoo's placeholders.
    assert "yourcompany" not in text.lower()


def report_url(odoo_server, report, wizard):
    return "%s/report/pdf/cartera_seguimiento.%s/%d" % (
        odoo_server.url, report, wizard)


@pytest.fixture(scope="module")
def manager(odoo_server, demo):
    """Luisa's XML-RPC client and web session, and the wizards' filter on
    the demo customers (a test database may hold other tests' too)."""
    return {"rpc": odoo_server.rpc(LUISA, LUISA),
            "http": odoo_server.session(LUISA, LUISA),
            "customers": [(6, 0, sorted(demo["partners"].values()))]}


def test_manager_movement_on_the_demo(odoo_server, demo, manager,
                                      output_dir):
    """The last 90 days of the portfolio, each customer's documents under
    it: the closing balances are what the demo's customers owe."""
    rpc = manager["rpc"]
    wizard = rpc("cartera.movement.report.wizard", "create", {
        "date_from": day(-90), "detail": True,
        "partner_ids": manager["customers"]})
    text = pdf_page(manager["http"], report_url(
        odoo_server, "report_movement", wizard), output_dir,
        "demo-informe_movimiento")
    for heading in ("Movimiento de cartera", "Saldo inicial", "Facturado",
                    "Notas crédito", "Saldo final"):
        assert heading in text, heading
    for name, balance in BALANCES.items():
        assert name in text, name
        assert money(balance) in text, (name, balance)
    assert money(sum(BALANCES.values())) in text
    # The engine's figures, customer by customer, are the PDF's.
    values = rpc("cartera.movement.report.wizard", "read", [wizard],
                 ["date_from", "date_to"])[0]
    rows = rpc("cartera.ar.report", "movement", values["date_from"],
               values["date_to"], sorted(demo["partners"].values()))
    assert {row["partner_name"]: row["closing"] for row in rows} == BALANCES
    for row in rows:
        for key in ("opening", "debit", "payments", "refunds"):
            assert money(row[key]) in text, (row["partner_name"], key)


def test_manager_history_on_the_demo(odoo_server, demo, manager,
                                     output_dir):
    """The history of the five customers flows over two pages or more,
    each with the company's header and its numbered footer (its first two
    pages are the README's pictures of the PDF layout); that of one
    customer is the picture of the history report."""
    rpc = manager["rpc"]
    wizard = rpc("cartera.history.report.wizard", "create", {
        "partner_ids": manager["customers"]})
    text = pdf_page(manager["http"], report_url(
        odoo_server, "report_history", wizard), output_dir,
        "demo-informe_paginas", pages=2)
    pages = text.split("\f")[:-1] if text.endswith("\f") else \
        text.split("\f")
    assert len(pages) >= 2, len(pages)
    company = rpc("res.users", "read", [rpc.uid],
                  ["company_id"])[0]["company_id"][1]
    for number, page in enumerate(pages, 1):
        assert company in page, number
        assert re.search(r"Página:?\s*%d\s*(de|/)\s*%d" % (
            number, len(pages)), page), (number, page[-300:])
    assert "Histórico de cartera" in pages[0]
    # Every customer's running balance ends at what it owes; the demo's
    # follow-ups are interleaved with the documents.
    for name, balance in BALANCES.items():
        assert name in text, name
        assert money(balance) in text, (name, balance)
    for note in ("la tesorera pide copia de la factura",
                 "Carta de cobro prejurídico",
                 "el cliente espera cosecha para pagar"):
        assert note in re.sub(r"\s+", " ", text), note
    rows = rpc("cartera.ar.report", "history",
               sorted(demo["partners"].values()))
    documents = [row for row in rows if row["kind"] != "followup"]
    last = {}
    for row in documents:
        last[row["partner_name"]] = row["balance"]
    assert last == BALANCES

    # One customer's history: invoices, a credit note, a payment and the
    # collector's promise and visit, the balance running to what it owes.
    caribe = "Distribuciones del Caribe Ltda."
    wizard = rpc("cartera.history.report.wizard", "create", {
        "partner_ids": [(6, 0, [demo["partners"][caribe]])]})
    text = pdf_page(manager["http"], report_url(
        odoo_server, "report_history", wizard), output_dir,
        "demo-informe_historico")
    flat = re.sub(r"\s+", " ", text)
    for label in ("Histórico de cartera", caribe, "Factura", "Nota crédito",
                  "Pago", "Promete abonar 5.000.000 esta semana",
                  "reconoce la deuda", "Saldo %s" % caribe):
        assert label in flat, label
    for amount in (9600000.0, 9000000.0, 5400000.0, BALANCES[caribe]):
        assert money(amount) in text, amount
    for name in BALANCES:
        if name != caribe:
            assert name not in text, name


def print_report(odoo_server, manager, report, values, name, output_dir):
    """The manager's PDF of one of the listings (``report``: followup,
    task) on the demo customers: its text, the text on one line, and the
    wizard's dates."""
    model = "cartera.%s.report.wizard" % report
    wizard = manager["rpc"](model, "create", dict(
        values, partner_ids=manager["customers"]))
    text = pdf_page(manager["http"], report_url(
        odoo_server, "report_%s" % report, wizard), output_dir, name)
    dates = manager["rpc"](model, "read", [wizard],
                           ["date_from", "date_to"])[0]
    return text, re.sub(r"\s+", " ", text), dates


def test_manager_followups_and_tasks_on_the_demo(odoo_server, demo, manager,
                                                 output_dir):
    """The follow-ups of the last 60 days and the pending tasks of the
    demo, as the listings of the engine give them."""
    rpc = manager["rpc"]
    customers = sorted(demo["partners"].values())
    text, flat, values = print_report(
        odoo_server, manager, "followup", {"date_from": day(-60)},
        "demo-informe_seguimientos", output_dir)
    assert "Informe de seguimientos" in text
    rows = rpc("cartera.followup", "listing", values["date_from"],
               values["date_to"], customers)
    # The ten follow-ups of the demo, all in the last 60 days.
    assert len(rows) == 10, len(rows)
    for row in rows:
        assert row["partner_name"] in text, row["partner_name"]
        assert " ".join(row["notes"].split())[:30] in flat, row["notes"]
    for name in ("Llamada", "Visita", "Compromiso de pago"):
        assert name in text, name

    text, flat, values = print_report(
        odoo_server, manager, "task", {}, "demo-informe_tareas", output_dir)
    assert "Tareas pendientes" in text
    tasks = rpc("cartera.followup", "task_listing", values["date_from"],
                values["date_to"], None, customers)
    assert tasks
    for task in tasks:
        assert task["next_note"] in flat, task["next_note"]
    # The overdue ones are marked so: the demo's tasks of 3, 5 and 12
    # days ago among them.
    overdue = [task for task in tasks if task["overdue"]]
    for note in ("Formalizar acuerdo de pago",
                 "Llamar al gerente financiero"):
        assert note in [task["next_note"] for task in overdue], note
    assert flat.count("Vencida") >= len(overdue)


def test_manager_indicators_on_the_demo(odoo_server, manager, output_dir):
    """The one-page indicators of last month (the wizard's default) for
    the whole portfolio: the engine's figures, and a closing balance that
    is the aging of the month's last day."""
    rpc, http = manager["rpc"], manager["http"]
    wizard = rpc("cartera.kpi.report.wizard", "create", {})
    text = pdf_page(http, report_url(odoo_server, "report_kpi", wizard),
                    output_dir, "demo-informe_indicadores")
    assert text.count("\f") <= 1, "more than one page"
    for heading in ("Indicadores de cartera", "DSO (días)",
                    "Efectividad de cobro (CEI)", "Saldo inicial",
                    "Facturado", "Saldo final", "Impreso el"):
        assert heading in text, heading
    values = rpc("cartera.kpi.report.wizard", "read", [wizard],
                 ["month", "year"])[0]
    first = datetime.date(values["year"], int(values["month"]), 1)
    last = (first + datetime.timedelta(days=32)).replace(
        day=1) - datetime.timedelta(days=1)
    figures = json_call(odoo_server, "cartera.ar.report", "kpis",
                        first.isoformat(), last.isoformat(), http=http)
    aging = rpc("cartera.ar.report", "aging", last.isoformat())
    assert figures["closing"] == pytest.approx(
        sum(row["total"] for row in aging))
    # The demo invoiced and collected last month: real figures.
    assert figures["invoiced"] > 0 and figures["closing"] > 0
    for key in ("opening", "invoiced", "collected", "closing"):
        assert money(figures[key]) in text, (key, figures[key])
    for key in ("dso", "cei"):
        if figures[key] is not None:
            assert money(figures[key]) in text, (key, figures[key])


def run_crons(admin_rpc, run, timeout=300):
    """The statements' cron and Odoo's mail queue, run at once (as a cron
    worker would at its next polls) until the run is over."""
    crons = [admin_rpc("ir.model.data", "xmlid_to_res_id", xmlid) for xmlid
             in ("cartera_seguimiento.cartera_statement_run_cron",
                 "mail.ir_cron_mail_scheduler_action")]
    deadline = time.time() + timeout
    while time.time() < deadline:
        for cron in crons:
            admin_rpc("ir.cron", "method_direct_trigger", [cron])
        admin_rpc("cartera.statement.run", "action_refresh", [run])
        state = admin_rpc("cartera.statement.run", "read", [run],
                          ["state"])[0]["state"]
        if state in ("done", "failed"):
            return state
        time.sleep(1)
    return state


def test_collector_sends_statements_on_the_demo(odoo_server, admin_rpc,
                                                page, demo, smtp,
                                                mail_server, output_dir):
    """From her agenda Camila picks her two customers, opens Estados de
    cuenta and sends; each customer receives its statement with what it
    owes, and the run's form shows them sent."""
    web_login(page, odoo_server, CAMILA, CAMILA)
    page.locator(".o_control_panel .breadcrumb", has_text="Agenda").wait_for()
    for name in CAMILA_CUSTOMERS:
        page.locator(".o_data_row", has_text=name).locator(
            ".o_list_record_selector input").check()
    page.locator(".o_cp_sidebar .o_dropdown_toggler_btn",
                 has_text="Acción").click()
    page.locator(".o_cp_sidebar .dropdown-menu:visible a",
                 has_text="Estados de cuenta").first.click()
    modal = page.locator(".modal-dialog:visible")
    modal.locator("button", has_text="Enviar por correo").wait_for()
    page.wait_for_load_state("networkidle")
    text = modal.inner_text()
    for label in ("Estados de cuenta", "Clientes", "Saldo mínimo",
                  "Solo vencidos", "Incluir movimiento", "Imprimir PDF"):
        assert label in text, label
    for name in CAMILA_CUSTOMERS:
        assert name in text, name
    page.wait_for_selector(".o_loading", state="hidden")
    page.screenshot(path=str(output_dir / "demo-estado_cuenta_asistente.png"))
    modal.locator("button", has_text="Enviar por correo").click()
    page.locator(".modal-dialog:visible button", has_text="Aceptar").click()
    done = page.locator(".modal-dialog:visible")
    done.locator("button", has_text="Abrir envío").wait_for()
    page.wait_for_load_state("networkidle")
    done.locator("button", has_text="Abrir envío").click()
    page.locator(".o_form_view .o_statusbar_status").wait_for()
    page.wait_for_load_state("networkidle")
    run = admin_rpc("cartera.statement.run", "search",
                    [("user_id", "=", demo["camila"]["id"])],
                    order="id desc", limit=1)[0]
    assert run_crons(admin_rpc, run) == "done"
    page.reload()
    page.locator(".o_form_view .o_statusbar_status").wait_for()
    page.wait_for_load_state("networkidle")
    form = page.locator(".o_form_view")
    form.locator(".o_statusbar_status .btn-primary, "
                 ".o_statusbar_status .active", has_text="Terminado").wait_for()
    text = form.inner_text()
    for name in CAMILA_CUSTOMERS:
        assert name in text, name
        assert money(BALANCES[name]) in text, name
    assert text.count("Enviado") >= len(CAMILA_CUSTOMERS)
    page.wait_for_selector(".o_loading", state="hidden")
    page.screenshot(path=str(output_dir / "demo-estado_cuenta_envio.png"))

    counts = admin_rpc("cartera.statement.run", "read", [run], [
        "count_sent", "count_failed", "count_skipped"])[0]
    assert (counts["count_sent"], counts["count_failed"],
            counts["count_skipped"]) == (2, 0, 0)
    lines = admin_rpc("cartera.statement.run.line", "search_read", [
        ("run_id", "=", run)], ["partner_id", "email", "amount_total"])
    assert {line["partner_id"][1]: line["amount_total"]
            for line in lines} == {name: BALANCES[name]
                                   for name in CAMILA_CUSTOMERS}
    # What the customers received: their statement, what they owe.
    emails = {line["email"]: line["partner_id"][1] for line in lines}
    received = [item for item in smtp[1].messages
                if set(item["rcpt_tos"]) & set(emails)]
    assert sorted(rcpt for item in received
                  for rcpt in item["rcpt_tos"]) == sorted(emails)
    for item in received:
        name = emails[item["rcpt_tos"][0]]
        message = item["message"]
        assert message["Subject"].startswith("Estado de cuenta al ")
        assert money(BALANCES[name]) in message.get_body(
            ("html", "plain")).get_content()
        attachments = [part for part in message.iter_attachments()
                       if part.get_content_type() == "application/pdf"]
        assert len(attachments) == 1, name
        pdf = output_dir / ("demo-envio-%d.pdf" % demo["partners"][name])
        pdf.write_bytes(attachments[0].get_content())
        statement = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], check=True,
            stdout=subprocess.PIPE).stdout.decode("utf-8")
        assert name in statement and money(BALANCES[name]) in statement


def test_manager_closes_on_the_demo(odoo_server, admin_rpc, page, demo,
                                    output_dir):
    """Luisa closes the follow-ups from 60 to 8 days back: five of the
    demo, with their pending tasks; those of the last week stay open.
    Last of this file: the screens and reports above show them open."""
    closed = sorted(demo["followups"].values())
    # The demo's own follow-ups (the statements sent above added some).
    ours = [row["res_id"] for row in admin_rpc(
        "ir.model.data", "search_read", [
            ("module", "=", "cartera_seguimiento"),
            ("model", "=", "cartera.followup")], ["res_id"])]
    assert len(ours) == 10 and set(closed) <= set(ours)
    # Two of them have a pending task (an activity) the closing ends.
    assert admin_rpc("mail.activity", "search_count", [
        ("res_model", "=", "cartera.followup"),
        ("res_id", "in", closed)]) == 2
    # Wide enough for the closing's list of follow-ups, notes and all.
    page.set_viewport_size({"width": 1680, "height": 1050})
    web_login(page, odoo_server, LUISA, LUISA)
    menu(page, "cartera_seguimiento.cartera_closing_wizard_menu")
    dialog = page.locator(".modal-dialog:visible")
    dialog.wait_for()
    assert "Cierres" in dialog.locator(".modal-title").inner_text()
    for name, value in (("date_from", CLOSE_FROM), ("date_to", CLOSE_TO)):
        field = dialog.locator("input.o_datepicker_input[name=%s]" % name)
        field.fill(value.strftime("%d-%m-%Y"))
        field.press("Tab")
    count = dialog.locator(".o_field_widget[name=followup_count]")
    page.wait_for_function(
        "el => el.innerText.trim() === '%d'" % len(CLOSED_XMLIDS),
        arg=count.element_handle())
    dialog.locator("button[name=action_close]").click()
    page.locator(".modal-dialog:visible .modal-footer .btn-primary").last.click()
    page.wait_for_selector(".o_form_view .o_field_widget[name=followup_count]")
    page.wait_for_load_state("networkidle")
    form = page.locator(".o_form_view")
    for name in ("Distribuciones del Caribe Ltda.", "Constructora Andina S.A.",
                 "Agropecuaria Los Llanos",
                 "Comercializadora Pacífico S.A.S."):
        form.locator(".o_field_widget[name=followup_ids]",
                     has_text=name).first.wait_for()
    assert form.locator(".o_field_widget[name=followup_ids] .o_data_row"
                        ).count() == len(CLOSED_XMLIDS)
    page.wait_for_selector(".o_loading", state="hidden")
    page.screenshot(path=str(output_dir / "demo-cierre.png"))

    closing = admin_rpc("cartera.closing", "search_read", [
        ("followup_ids", "in", closed)], ["followup_count", "followup_ids",
                                          "user_id"])
    assert len(closing) == 1
    assert closing[0]["followup_count"] == len(CLOSED_XMLIDS)
    assert sorted(closing[0]["followup_ids"]) == closed
    assert closing[0]["user_id"][1] == "Luisa Fernanda Díaz"
    # The last week's follow-ups of the demo stay open; the closed ones'
    # tasks are gone (their activities deleted with the closing).
    still_open = admin_rpc("cartera.followup", "search", [
        ("id", "in", ours), ("state", "=", "open")])
    assert sorted(still_open) == sorted(set(ours) - set(closed))
    assert admin_rpc("mail.activity", "search_count", [
        ("res_model", "=", "cartera.followup"),
        ("res_id", "in", closed)]) == 0
