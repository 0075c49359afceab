"""The five receivable reports on a live server: each PDF fetched from
/report/pdf (a real wkhtmltopdf PDF, not the HTML a test transaction gets),
read with pdftotext for its Spanish headings and a known total, its first page
kept as PNG in test-output/ (`make screenshots` copies them for the README);
the XLSX exports opened with openpyxl."""
import datetime
import io
import re
import subprocess

import openpyxl
import pytest

TODAY = datetime.date.today()
CLOSED_NOTE = "Llamada cerrada en vivo"


def day(offset):
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


def money(amount):
    """An amount as es_CO prints it: 1.234.567,89."""
    text = "{:,.2f}".format(amount)
    return text.replace(",", "#").replace(".", ",").replace("#", ".")


@pytest.fixture(scope="module")
def portfolio(admin_rpc):
    """A customer of our own with hand-made figures, next to the demo data:
    1,234,567.89 invoiced 75 days ago and due 45 days ago (31-60), 500,000
    invoiced 5 days ago and due in 10 days (not due), two follow-ups, one
    with an overdue task, and a third one, 20 days ago, closed."""
    ref = admin_rpc("ir.model.data", "xmlid_to_res_id",
                    "account.data_account_type_revenue")
    account = admin_rpc("account.account", "search",
                        [("user_type_id", "=", ref)], limit=1)[0]
    partner = admin_rpc("res.partner", "create", {
        "name": "Cliente Informe en Vivo", "customer": True,
        "is_company": True, "user_id": admin_rpc.uid})
    invoices = []
    for amount, date_invoice, date_due in (
            (1234567.89, day(-75), day(-45)), (500000.0, day(-5), day(10))):
        invoice = admin_rpc("account.invoice", "create", {
            "partner_id": partner, "type": "out_invoice",
            "date_invoice": date_invoice, "date_due": date_due,
            "invoice_line_ids": [(0, 0, {
                "name": "Servicio", "quantity": 1, "price_unit": amount,
                "account_id": account})]})
        admin_rpc("account.invoice", "action_invoice_open", [invoice])
        invoices.append(invoice)
    numbers = [r["number"] for r in admin_rpc(
        "account.invoice", "read", invoices, ["number"])]
    call = admin_rpc("ir.model.data", "xmlid_to_res_id",
                     "cartera_seguimiento.followup_type_call")
    visit = admin_rpc("ir.model.data", "xmlid_to_res_id",
                      "cartera_seguimiento.followup_type_visit")
    admin_rpc("cartera.followup", "create", {
        "partner_id": partner, "type_id": call, "invoice_id": invoices[0],
        "date": day(-10) + " 15:00:00",
        "notes": "Llamada de prueba en vivo", "next_date": day(-5),
        "next_type_id": visit, "next_note": "Visitar en vivo"})
    # Closed where it is, by a closing of that customer and day.
    closed = admin_rpc("cartera.followup", "create", {
        "partner_id": partner, "type_id": call, "invoice_id": invoices[0],
        "date": day(-20) + " 15:00:00", "notes": CLOSED_NOTE})
    wizard = admin_rpc("cartera.closing.wizard", "create", {
        "date_from": day(-20), "date_to": day(-20), "partner_id": partner})
    admin_rpc("cartera.closing.wizard", "action_close", [wizard])
    assert admin_rpc("cartera.followup", "read", [closed], [
        "state"])[0]["state"] == "closed"
    return {"partner": partner, "numbers": numbers, "total": 1734567.89}


def fetch_pdf(odoo_server, report, wizard, output_dir, png_name):
    http = odoo_server.session("admin", "admin")
    resp = http.get("%s/report/pdf/cartera_seguimiento.%s/%d" % (
        odoo_server.url, report, wizard), timeout=300)
    assert resp.status_code == 200, resp.text[:2000]
    assert resp.headers["Content-Type"] == "application/pdf"
    assert resp.content.startswith(b"%PDF")
    pdf = output_dir / ("%s.pdf" % png_name)
    pdf.write_bytes(resp.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True,
        stdout=subprocess.PIPE).stdout.decode("utf-8")
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1",
                    "-singlefile", str(pdf), str(output_dir / png_name)],
                   check=True)
    # The layout's footer numbers every page, in Spanish ("Página: 1/2" in
    # the standard layout, "Página: 1 de 2" in the background one).
    pages = text.count("\f") or 1
    for number in range(1, pages + 1):
        assert re.search(r"Página:?\s*%d\s*(de|/)\s*%d" % (number, pages),
                         text), "page %d of %d not numbered" % (number, pages)
    return text


def fetch_xlsx(odoo_server, report, wizard):
    http = odoo_server.session("admin", "admin")
    resp = http.get("%s/report/xlsx/cartera_seguimiento.%s_xlsx/%d" % (
        odoo_server.url, report, wizard), timeout=300)
    assert resp.status_code == 200, resp.text[:2000]
    book = openpyxl.load_workbook(io.BytesIO(resp.content), data_only=True)
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)]
            for ws in book.worksheets}


def row_of(rows, first):
    found = [row for row in rows if row and row[0] == first]
    assert found, rows
    return found[0]


def test_aging_pdf_and_xlsx(odoo_server, admin_rpc, portfolio, output_dir):
    wizard = admin_rpc("cartera.aging.report.wizard", "create", {})
    text = fetch_pdf(odoo_server, "report_aging", wizard, output_dir,
                     "informe_aging")
    for heading in ("Análisis de cartera", "Fecha de corte", "Por vencer",
                    "Vencido (días)", "1-30", "31-60", "+120", "Porcentaje",
                    "Cliente Informe en Vivo"):
        assert heading in text, heading
    # The customer's own row, and the grand total of the engine.
    assert money(portfolio["total"]) in text
    rows = admin_rpc("cartera.ar.report", "aging", TODAY.isoformat())
    assert money(sum(r["total"] for r in rows)) in text
    sheets = fetch_xlsx(odoo_server, "report_aging", wizard)
    row = row_of(list(sheets.values())[0], "Cliente Informe en Vivo")
    # The periods, the total, then nothing in dispute: all collectable.
    assert row[3:] == [500000.0, 0.0, 1234567.89, 0.0, 0.0, 0.0,
                       1734567.89, 0.0, 1734567.89]


def test_movement_pdf_and_xlsx(odoo_server, admin_rpc, portfolio,
                               output_dir):
    wizard = admin_rpc("cartera.movement.report.wizard", "create", {
        "date_from": day(-30), "date_to": day(0), "detail": True})
    text = fetch_pdf(odoo_server, "report_movement", wizard, output_dir,
                     "informe_movimiento")
    for heading in ("Movimiento de cartera", "Saldo inicial", "Facturado",
                    "Notas crédito", "Saldo final", "Factura"):
        assert heading in text, heading
    for amount in (1234567.89, 500000.0, portfolio["total"]):
        assert money(amount) in text
    sheets = fetch_xlsx(odoo_server, "report_movement", wizard)
    assert len(sheets) == 2
    row = row_of(list(sheets.values())[0], "Cliente Informe en Vivo")
    assert row[3:] == [1234567.89, 500000.0, 0.0, 0.0, 1734567.89]


def test_history_pdf_and_xlsx(odoo_server, admin_rpc, portfolio, output_dir):
    wizard = admin_rpc("cartera.history.report.wizard", "create", {
        "partner_ids": [(6, 0, [portfolio["partner"]])]})
    text = fetch_pdf(odoo_server, "report_history", wizard, output_dir,
                     "informe_historico")
    for heading in ("Histórico de cartera", "Saldo", "Seguimiento",
                    "Llamada de prueba en vivo", CLOSED_NOTE):
        assert heading in text, heading
    # The closed follow-up is marked so, in Spanish.
    assert re.search(re.escape(CLOSED_NOTE) + r"\s+\(cerrado\)", text), text
    for number in portfolio["numbers"]:
        assert number in text
    assert money(portfolio["total"]) in text
    rows = list(fetch_xlsx(odoo_server, "report_history",
                           wizard).values())[0]
    assert rows[-1][-1] == pytest.approx(portfolio["total"])


def test_followup_pdf_and_xlsx(odoo_server, admin_rpc, portfolio,
                               output_dir):
    wizard = admin_rpc("cartera.followup.report.wizard", "create", {})
    text = fetch_pdf(odoo_server, "report_followup", wizard, output_dir,
                     "informe_seguimientos")
    for heading in ("Informe de seguimientos", "Tipo", "Cliente",
                    "Llamada de prueba en vivo", "Cliente Informe en Vivo"):
        assert heading in text, heading
    # Open follow-ups only, unless asked.
    assert CLOSED_NOTE not in text
    sheets = fetch_xlsx(odoo_server, "report_followup", wizard)
    rows = list(sheets.values())[0]
    assert [r for r in rows if "Llamada de prueba en vivo" in r]
    assert not [r for r in rows if CLOSED_NOTE in r]


def test_followup_report_with_closed(odoo_server, admin_rpc, portfolio,
                                     output_dir):
    """The follow-ups the closing sealed, listed on demand, marked."""
    wizard = admin_rpc("cartera.followup.report.wizard", "create", {
        "date_from": day(-30), "date_to": day(0), "include_closed": True,
        "partner_ids": [(6, 0, [portfolio["partner"]])]})
    text = fetch_pdf(odoo_server, "report_followup", wizard, output_dir,
                     "informe_seguimientos_cerrados")
    assert "Llamada de prueba en vivo" in text
    assert CLOSED_NOTE in text and "(cerrado)" in text
    rows = list(fetch_xlsx(odoo_server, "report_followup",
                           wizard).values())[0]
    assert [r for r in rows if CLOSED_NOTE in r]
    engine = admin_rpc("cartera.followup", "listing", day(-30), day(0),
                       [portfolio["partner"]], None, None, None, True)
    assert sorted((row["notes"], row["closed"]) for row in engine) == [
        (CLOSED_NOTE, True), ("Llamada de prueba en vivo", False)]


def test_collector_followup_listings_follow_record_rules(odoo_server,
                                                         admin_rpc):
    """A collector's follow-up and task listings hold what her follow-up
    list holds, open and closed: the record rules, nothing else."""
    camila = odoo_server.rpc("camila", "camila")
    company = camila("res.users", "read", [camila.uid],
                     ["company_id"])[0]["company_id"][0]
    mine = [("company_id", "=", company)]
    visible = set(camila("cartera.followup", "search", mine))
    assert visible
    # The last year (other live tests seed thousands of older ones).
    rows = camila("cartera.followup", "listing", day(-365),
                  day(0), None, None, None, None, True)
    # The same local days as the listing's.
    assert {row["id"] for row in rows} == set(camila(
        "cartera.followup", "search", mine + [
            ("day", ">=", day(-365)), ("day", "<=", day(0))]))
    assert {row["id"] for row in rows} <= visible
    everyone = admin_rpc("cartera.followup", "listing", day(-365),
                         day(0), None, None, None, None, True)
    assert len(everyone) > len(rows)
    tasks = camila("cartera.followup", "task_listing")
    assert {row["id"] for row in tasks} == set(camila(
        "cartera.followup", "search", mine + [
            ("state", "=", "open"), ("task_state", "=", "pending")]))


def test_task_pdf_and_xlsx(odoo_server, admin_rpc, portfolio, output_dir):
    wizard = admin_rpc("cartera.task.report.wizard", "create", {})
    text = fetch_pdf(odoo_server, "report_task", wizard, output_dir,
                     "informe_tareas")
    for heading in ("Tareas pendientes", "Vencida", "Visitar en vivo",
                    "Cliente Informe en Vivo"):
        assert heading in text, heading
    rows = list(fetch_xlsx(odoo_server, "report_task", wizard).values())[0]
    task = [r for r in rows if "Visitar en vivo" in r][0]
    # Five days by the server's date, four where the user's day (Bogotá)
    # has not turned yet.
    assert task[-1] in (4, 5)


def test_collector_pdf_covers_own_customers(odoo_server, output_dir):
    """Record rules over HTTP: a collector's analysis lists only the
    customers whose salesperson she is, with the engine's total."""
    camila = odoo_server.rpc("camila", "camila")
    wizard = camila("cartera.aging.report.wizard", "create", {})
    rows = camila("cartera.ar.report", "aging", TODAY.isoformat())
    assert rows
    mine = set(camila("res.partner", "search",
                      [("user_id", "=", camila.uid)]))
    assert {row["partner_id"] for row in rows} <= mine
    http = odoo_server.session("camila", "camila")
    resp = http.get("%s/report/pdf/cartera_seguimiento.report_aging/%d" % (
        odoo_server.url, wizard), timeout=300)
    assert resp.status_code == 200, resp.text[:2000]
    pdf = output_dir / "informe_aging_camila.pdf"
    pdf.write_bytes(resp.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"],
                          check=True, stdout=subprocess.PIPE).stdout.decode()
    assert "Análisis de cartera" in text
    for row in rows:
        assert row["partner_name"] in text
    assert "Constructora Andina" not in text
    assert "Cliente Informe en Vivo" not in text
    assert money(sum(row["total"] for row in rows)) in text


def test_report_url_errors_are_clear(odoo_server):
    """A report opened by its URL by someone who may not see it, or with a
    wizard that does not exist, answers 403 / 404 / 400 with the reason,
    not the 500 page; the web client's download path keeps Odoo's error
    dialog."""
    camila = odoo_server.rpc("camila", "camila")
    wizard = camila("cartera.aging.report.wizard", "create", {})
    url = "%s/report/%%s/cartera_seguimiento.report_aging/%%s" % (
        odoo_server.url)
    # Another collector cannot print Camila's wizard.
    andres = odoo_server.session("andres", "andres")
    for kind in ("html", "pdf"):
        resp = andres.get(url % (kind, wizard), timeout=300)
        assert resp.status_code == 403, resp.text[:500]
        assert "Internal Server Error" not in resp.text
    resp = andres.get(url % ("html", 2147483000), timeout=300)
    assert resp.status_code in (400, 404), resp.text[:500]
    assert "Internal Server Error" not in resp.text
    # Her own prints.
    mine = odoo_server.session("camila", "camila").get(
        url % ("html", wizard), timeout=300)
    assert mine.status_code == 200
    assert "Análisis de cartera" in mine.text
