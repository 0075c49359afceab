"""The one-page "Indicadores de cartera" PDF on a live server: a collector
of our own with a year of invoices and payments (July 2002 to June 2003,
out of the other tests' way), the report of June 2003 fetched from
/report/pdf (wkhtmltopdf), read with pdftotext for its Spanish title and
the month's figures, and kept as PNG in test-output/ (`make screenshots`
copies it for the README)."""
import datetime
import re
import subprocess
import time

import pytest

from test_pdf_layout import page_count
from test_reports_live import fetch_pdf, money

FIRST = datetime.date(2002, 7, 1)
MONTHS = 12
D = datetime.date(2003, 6, 30)
OLD = (500000.0, datetime.date(2002, 1, 15))


def month_start(index):
    year, month = divmod(FIRST.month - 1 + index, 12)
    return datetime.date(FIRST.year + year, month + 1, 1)


def ledger():
    """(invoices, payments): invoices (amount, date, due) on the 2nd of
    each month, due 30 days later, and the old unpaid one; payments
    (amount, date, invoice index) on the 20th of 80 % of the previous
    month's invoice."""
    invoices = [(OLD[0], OLD[1], OLD[1] + datetime.timedelta(days=31))]
    payments = []
    for index in range(MONTHS):
        day = month_start(index).replace(day=2)
        amount = 1000000.0 + 150000.0 * (index % 4) + 0.89
        invoices.append((amount, day, day + datetime.timedelta(days=30)))
        if index:
            payments.append((round(invoices[index][0] * 0.8, 2),
                             month_start(index).replace(day=20), index))
    return invoices, payments


def expected():
    """June 2003, computed from the ledger in plain Python."""
    invoices, payments = ledger()
    start = datetime.date(2003, 6, 1)
    opening = sum(a for a, day, _due in invoices if day < start) - sum(
        a for a, day, _inv in payments if day < start)
    invoiced = sum(a for a, day, _due in invoices if start <= day <= D)
    collected = sum(a for a, day, _inv in payments if start <= day <= D)
    closing = opening + invoiced - collected
    paid = {}
    for amount, _day, index in payments:
        paid[index] = paid.get(index, 0.0) + amount
    not_due = over_90 = 0.0
    for index, (amount, _day, due) in enumerate(invoices):
        left = amount - paid.get(index, 0.0)
        if (D - due).days <= 0:
            not_due += left
        elif (D - due).days > 90:
            over_90 += left
    return {
        "opening": round(opening, 2), "invoiced": round(invoiced, 2),
        "collected": round(collected, 2), "closing": round(closing, 2),
        "not_due": round(not_due, 2), "over_90": round(over_90, 2),
        "dso": round(closing / invoiced * 30, 2),
        "cei": round(collected / (opening + invoiced - not_due) * 100, 2),
        "over_90_pct": round(over_90 / closing * 100, 2),
    }


@pytest.fixture(scope="module")
def kpi_portfolio(admin_rpc):
    ref = admin_rpc("ir.model.data", "xmlid_to_res_id",
                    "account.data_account_type_revenue")
    account = admin_rpc("account.account", "search",
                        [("user_type_id", "=", ref)], limit=1)[0]
    bank = admin_rpc("account.journal", "search",
                     [("type", "=", "bank")], limit=1)[0]
    method = admin_rpc("ir.model.data", "xmlid_to_res_id",
                       "account.account_payment_method_manual_in")
    group = admin_rpc("ir.model.data", "xmlid_to_res_id",
                      "cartera_seguimiento.group_cartera_user")
    # A collector of this run only: the figures are those of their
    # customers, whatever earlier runs left in the database.
    login = "kpi_live_%d" % time.time()
    user = admin_rpc("res.users", "create", {
        "name": "Cobrador Indicadores", "login": login, "password": login,
        "groups_id": [(6, 0, [group])], "lang": "es_CO"})
    partner = admin_rpc("res.partner", "create", {
        "name": "Cliente Indicadores en Vivo", "customer": True,
        "is_company": True, "user_id": user})
    invoices, payments = ledger()
    ids = []
    for amount, day, due in invoices:
        invoice = admin_rpc("account.invoice", "create", {
            "partner_id": partner, "type": "out_invoice",
            "date_invoice": day.isoformat(), "date_due": due.isoformat(),
            "invoice_line_ids": [(0, 0, {
                "name": "Servicio", "quantity": 1, "price_unit": amount,
                "account_id": account, "invoice_line_tax_ids": []})]})
        admin_rpc("account.invoice", "action_invoice_open", [invoice])
        ids.append(invoice)
    for amount, day, index in payments:
        payment = admin_rpc("account.payment", "create", {
            "payment_type": "inbound", "partner_type": "customer",
            "partner_id": partner, "amount": amount, "journal_id": bank,
            "payment_date": day.isoformat(), "payment_method_id": method,
            "invoice_ids": [(6, 0, [ids[index]])]})
        admin_rpc("account.payment", "post", [payment])
    return {"user": user, "partner": partner}


def json_call(odoo_server, model, method, *args, http=None):
    """JSON-RPC, as the web client calls (as admin, or in the session
    ``http``): the figures may hold None (no rate without a denominator),
    which XML-RPC cannot carry."""
    http = http or odoo_server.session("admin", "admin")
    resp = http.post(odoo_server.url + "/web/dataset/call_kw", json={
        "jsonrpc": "2.0", "method": "call", "params": {
            "model": model, "method": method, "args": list(args),
            "kwargs": {}}}, timeout=120)
    resp.raise_for_status()
    reply = resp.json()
    assert "error" not in reply, reply
    return reply["result"]


def test_kpi_pdf(odoo_server, admin_rpc, kpi_portfolio, output_dir):
    figures = json_call(odoo_server, "cartera.ar.report", "kpis",
                        "2003-06-01", D.isoformat(), None,
                        [kpi_portfolio["user"]])
    # No promise in the month: no kept rate.
    assert figures["promise_kept_pct"] is None
    want = expected()
    assert (figures["opening"], figures["invoiced"], figures["collected"],
            figures["closing"], figures["closing_not_due"],
            figures["overdue_90"], figures["dso"], figures["cei"],
            figures["overdue_90_pct"]) == (
        want["opening"], want["invoiced"], want["collected"],
        want["closing"], want["not_due"], want["over_90"], want["dso"],
        want["cei"], want["over_90_pct"])
    wizard = admin_rpc("cartera.kpi.report.wizard", "create", {
        "month": "6", "year": 2003,
        "salesperson_id": kpi_portfolio["user"]})
    text = fetch_pdf(odoo_server, "report_kpi", wizard, output_dir,
                     "informe_indicadores")
    assert page_count(output_dir / "informe_indicadores.pdf") == 1
    for heading in ("Indicadores de cartera", "Junio 2003",
                    "Cobrador Indicadores", "DSO (días)",
                    "Efectividad de cobro (CEI)",
                    "Vencido más de 90 días", "Saldo inicial", "Facturado",
                    "Saldo final", "Por vencer al cierre del mes",
                    "Impreso el"):
        assert heading in text, heading
    # The 12 months of the table, July 2002 to June 2003 ("jul. 2002").
    assert re.search(r"jul\.? 2002", text), text
    assert re.search(r"jun\.? 2003", text), text
    for key in ("opening", "invoiced", "collected", "closing", "not_due",
                "over_90", "dso", "cei", "over_90_pct"):
        assert money(want[key]) in text, (key, money(want[key]))
    # The chart is drawn: its month labels are text of the page.
    svg_labels = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(
            output_dir / "informe_indicadores.pdf"), "-"], check=True,
        stdout=subprocess.PIPE).stdout.decode()
    assert "ene" in svg_labels and "2003" in svg_labels
