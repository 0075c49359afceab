"""Statements of account e-mailed for real: an SMTP server (aiosmtpd) on
127.0.0.1, an ir.mail_server pointing at it, a live Odoo with a cron worker.
The wizard only queues; the statements' cron renders the PDFs and queues
the mails, Odoo's mail queue cron sends them. Checked: the messages
received, their recipients, the Spanish subject, the PDF attached and its
total (pdftotext), the follow-ups and the run's counters; the printed
statement from the wizard too, kept as PNG in test-output/."""
import datetime
import json
import pathlib
import subprocess
import time

import pytest

TODAY = datetime.date.today()
# The cron worker looks for due jobs about once a minute; the run needs
# two or three of its polls (render and queue, send, follow the outcome).
TIMEOUT = 420


def day(offset):
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


def money(amount):
    """An amount as es_CO prints it: 1.234.567,89."""
    text = "{:,.2f}".format(amount)
    return text.replace(",", "#").replace(".", ",").replace("#", ".")


@pytest.fixture(scope="module")
def customers(admin_rpc):
    """Three Spanish customers with an address, invoices of known amounts
    (one overdue, one not due), and one without an address."""
    ref = admin_rpc("ir.model.data", "xmlid_to_res_id",
                    "account.data_account_type_revenue")
    account = admin_rpc("account.account", "search",
                        [("user_type_id", "=", ref)], limit=1)[0]
    stamp = int(time.time())
    made = []
    for n, (amounts, address) in enumerate((
            ((1500000.0, 250000.5), "estado1-%d@cliente.test" % stamp),
            ((980000.0,), "estado2-%d@cliente.test" % stamp),
            ((3333333.33, 100000.0), "estado3-%d@cliente.test" % stamp),
            ((45000.0,), False))):
        partner = admin_rpc("res.partner", "create", {
            "name": "Cliente Estado Vivo %d" % (n + 1), "customer": True,
            "is_company": True, "email": address, "lang": "es_CO",
            "user_id": admin_rpc.uid})
        for index, amount in enumerate(amounts):
            invoice = admin_rpc("account.invoice", "create", {
                "partner_id": partner, "type": "out_invoice",
                "date_invoice": day(-60 + 50 * index),
                "date_due": day(-40 + 50 * index),
                "invoice_line_ids": [(0, 0, {
                    "name": "Servicio", "quantity": 1, "price_unit": amount,
                    "account_id": account})]})
            admin_rpc("account.invoice", "action_invoice_open", [invoice])
        made.append({"id": partner, "email": address,
                     "total": round(sum(amounts), 2),
                     "name": "Cliente Estado Vivo %d" % (n + 1)})
    return made


def pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"],
                          check=True, stdout=subprocess.PIPE
                          ).stdout.decode("utf-8")


def test_printed_statement(odoo_server, admin_rpc, customers, output_dir):
    """The wizard's PDF: one statement per customer, in Spanish."""
    ids = [c["id"] for c in customers[:2]]
    wizard = admin_rpc("cartera.statement.wizard", "create", {
        "date_at": day(0), "partner_ids": [(6, 0, ids)],
        "with_movement": True, "date_from": day(-90), "date_to": day(0)})
    action = admin_rpc("cartera.statement.wizard", "action_print_pdf",
                       [wizard])
    assert action["report_name"] == "cartera_seguimiento.report_statement"
    http = odoo_server.session("admin", "admin")
    resp = http.get("%s/report/pdf/%s" % (
        odoo_server.url, action["report_name"]), params={
        "options": json.dumps(action["data"]),
        "context": json.dumps(action["context"])}, timeout=300)
    assert resp.status_code == 200, resp.text[:2000]
    assert resp.content.startswith(b"%PDF")
    pdf = output_dir / "estado_cuenta.pdf"
    pdf.write_bytes(resp.content)
    text = pdf_text(pdf)
    pages = text.split("\f")
    assert "Cliente Estado Vivo 1" in pages[0]
    assert "Cliente Estado Vivo 2" in text
    for heading in ("Estado de cuenta", "Documentos abiertos",
                    "Días vencidos", "Por vencer", "Más de 120 días",
                    "Saldo total", "Saldo inicial", "Movimiento del"):
        assert heading in pages[0], heading
    assert money(customers[0]["total"]) in pages[0]
    assert money(customers[1]["total"]) in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1",
                    "-singlefile", str(pdf), str(output_dir / "estado_cuenta")],
                   check=True)


def test_send_through_smtp(odoo_server, start_odoo_server, admin_rpc, db,
                           smtp, mail_server, customers, tmp_path):
    _controller, inbox = smtp
    cron_server = start_odoo_server(log_name="statement-cron",
                                    cron_workers=1)
    ids = [c["id"] for c in customers]
    # A template tampered with (issue 23): a Cc, another partner, a To and
    # a reply-to of a spy. The statements go to the customers alone.
    template = admin_rpc("ir.model.data", "xmlid_to_res_id",
                         "cartera_seguimiento.cartera_statement_mail_template")
    spy = admin_rpc("res.partner", "create", {
        "name": "Espía", "email": "spy-partner@example.com"})
    original = admin_rpc("mail.template", "read", [template], [
        "email_to", "email_cc", "partner_to", "reply_to"])[0]
    original.pop("id")
    admin_rpc("mail.template", "write", [template], {
        "email_to": "spy-to@example.com", "email_cc": "spy@example.com",
        "partner_to": "%d,${object.id}" % spy,
        "reply_to": "spy-reply@example.com"})
    try:
        _send_and_check(admin_rpc, inbox, customers, ids, tmp_path,
                        odoo_server, cron_server)
    finally:
        admin_rpc("mail.template", "write", [template], original)


def _send_and_check(admin_rpc, inbox, customers, ids, tmp_path,
                    odoo_server, cron_server):
    wizard = admin_rpc("cartera.statement.wizard", "create", {
        "date_at": day(0), "partner_ids": [(6, 0, ids)]})
    started = time.time()
    admin_rpc("cartera.statement.wizard", "action_send", [wizard])
    returned_in = time.time() - started
    # The request only queues (one line per customer): it returns at once.
    assert returned_in < 10, returned_in
    values = admin_rpc("cartera.statement.wizard", "read", [wizard], [
        "run_id", "skipped_partner_ids", "queued_count"])[0]
    assert values["skipped_partner_ids"] == [customers[3]["id"]]
    assert values["queued_count"] == 3
    run = values["run_id"][0]
    fields = ["state", "count_sent", "count_failed", "count_skipped",
              "count_pending", "count_queued"]
    deadline = time.time() + TIMEOUT
    while time.time() < deadline:
        admin_rpc("cartera.statement.run", "action_refresh", [run])
        state = admin_rpc("cartera.statement.run", "read", [run], fields)[0]
        if state["state"] in ("done", "failed"):
            break
        time.sleep(5)
    assert state["state"] == "done", state
    assert (state["count_sent"], state["count_failed"],
            state["count_skipped"]) == (3, 0, 1)
    # What the SMTP server received, for our customers.
    wanted = {c["email"]: c for c in customers if c["email"]}
    received = {}
    for item in inbox.messages:
        for rcpt in item["rcpt_tos"]:
            if rcpt in wanted:
                assert rcpt not in received, "sent twice to %s" % rcpt
                received[rcpt] = item["message"]
    assert set(received) == set(wanted)
    # Nobody but the customers, whatever the template said.
    spies = [rcpt for item in inbox.messages for rcpt in item["rcpt_tos"]
             if "spy" in rcpt]
    assert spies == []
    for item in inbox.messages:
        if set(item["rcpt_tos"]) & set(wanted):
            assert len(item["rcpt_tos"]) == 1, item["rcpt_tos"]
    for address, message in received.items():
        customer = wanted[address]
        assert address in message["To"]
        assert not message["Cc"]
        assert "spy" not in (message["Reply-To"] or "")
        assert message["Subject"].startswith("Estado de cuenta al "), \
            message["Subject"]
        body = message.get_body(("html", "plain")).get_content()
        assert money(customer["total"]) in body
        attachments = [part for part in message.iter_attachments()
                       if part.get_content_type() == "application/pdf"]
        assert len(attachments) == 1
        pdf = tmp_path / ("%d.pdf" % customer["id"])
        pdf.write_bytes(attachments[0].get_content())
        text = pdf_text(pdf)
        assert customer["name"] in text
        assert "Estado de cuenta" in text
        assert money(customer["total"]) in text
        # The three were printed by one wkhtmltopdf call, then split: each
        # mail has its customer's page and nobody else's.
        assert text.count("\f") == 1, text
        assert [other["name"] for other in customers
                if other is not customer and other["name"] in text] == []
    for server in (odoo_server, cron_server):
        log = pathlib.Path(server.log_path).read_text(errors="replace")
        assert "printed one by one" not in log
        assert "could not be split" not in log
    # Each statement sent: a follow-up of the e-mail type by the sender.
    email_type = admin_rpc("cartera.followup.type", "search",
                           [("code", "=", "email")])
    followups = admin_rpc("cartera.followup", "search_read", [
        ("partner_id", "in", ids), ("type_id", "in", email_type)],
        ["partner_id", "responsible_id", "notes"])
    assert sorted(f["partner_id"][0] for f in followups) == sorted(
        c["id"] for c in customers[:3])
    assert all(f["responsible_id"][0] == admin_rpc.uid for f in followups)
    assert all("Estado de cuenta enviado" in f["notes"] for f in followups)
    # A second refresh sends nothing more, nor records anything twice.
    admin_rpc("cartera.statement.run", "action_refresh", [run])
    assert len(admin_rpc("cartera.followup", "search", [
        ("partner_id", "in", ids), ("type_id", "in", email_type)])) == 3


def test_screens_in_spanish(odoo_server, page, customers, output_dir):
    """From a customer without an address: the wizard, the send (the
    customer listed as skipped) and the run's form, in Spanish."""
    from conftest import web_login
    web_login(page, odoo_server, "admin", "admin")
    page.goto("%s/web#model=res.partner&id=%d&view_type=form" % (
        odoo_server.url, customers[3]["id"]))
    page.locator(".o_form_view button", has_text="Estado de cuenta").click()
    modal = page.locator(".modal-dialog:visible")
    modal.locator("button", has_text="Enviar por correo").wait_for()
    page.wait_for_load_state("networkidle")
    text = modal.inner_text()
    for label in ("Estados de cuenta", "Clientes", "Saldo mínimo",
                  "Solo vencidos", "Incluir movimiento", "Imprimir PDF",
                  customers[3]["name"]):
        assert label in text, label
    page.screenshot(path=str(output_dir / "estado_cuenta_asistente.png"))
    modal.locator("button", has_text="Enviar por correo").click()
    page.locator(".modal-dialog:visible button", has_text="Aceptar").click()
    # The same dialog, now queued: the skipped customer, and the run.
    page.get_by_text("no tienen correo electrónico").wait_for()
    page.wait_for_load_state("networkidle")
    done = page.locator(".modal-dialog:visible")
    assert customers[3]["name"] in done.locator(".alert-warning").inner_text()
    page.screenshot(path=str(output_dir / "estado_cuenta_omitidos.png"))
    done.locator("button", has_text="Abrir envío").click()
    page.locator(".o_form_view .o_statusbar_status").wait_for()
    page.wait_for_load_state("networkidle")
    form = page.locator(".o_form_view").inner_text()
    for label in ("Enviado por", "Omitidos", "Avance (%)",
                  "Omitido (sin correo)", customers[3]["name"]):
        assert label in form, label
    page.screenshot(path=str(output_dir / "estado_cuenta_envio.png"))
