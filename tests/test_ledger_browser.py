"""The ledger a collector reads, against a real server (issue 23, point 3):
over XML-RPC, a collector with *Cobrador* alone finds only their customers'
receivable items, entries, invoices and reconciliations; in Chromium, their
customer's invoice opens with its payments, another collector's is refused."""
import uuid

import pytest
import xmlrpc.client

from conftest import RpcClient, web_login


@pytest.fixture(scope="module")
def ledger(odoo_server, admin_rpc):
    suffix = uuid.uuid4().hex[:6]
    group_id = admin_rpc("ir.model.data", "xmlid_to_res_id",
                         "cartera_seguimiento.group_cartera_user")
    company_id = admin_rpc("ir.model.data", "xmlid_to_res_id",
                           "base.main_company")
    revenue = admin_rpc("ir.model.data", "xmlid_to_res_id",
                        "account.data_account_type_revenue")
    income = admin_rpc("account.account", "search", [
        ("company_id", "=", company_id), ("user_type_id", "=", revenue)],
        limit=1)[0]
    bank = admin_rpc("account.journal", "search", [
        ("company_id", "=", company_id), ("type", "=", "bank")], limit=1)[0]
    # The customer invoices' action (its form, as from the follow-ups'
    # document links, get_formview_id).
    world = {"suffix": suffix, "action": admin_rpc(
        "ir.model.data", "xmlid_to_res_id", "account.action_invoice_tree1")}
    for who in ("own", "other"):
        login = "cob_libro_%s_%s" % (who, suffix)
        user_id = admin_rpc("res.users", "create", {
            "name": "Cobrador %s %s" % (who, suffix), "login": login,
            "password": login, "lang": "es_CO", "tz": "America/Bogota",
            "groups_id": [(6, 0, [group_id])]})
        partner_id = admin_rpc("res.partner", "create", {
            "name": "Cliente Libro %s %s" % (who, suffix), "customer": True,
            "is_company": True, "user_id": user_id})
        invoice_id = admin_rpc("account.invoice", "create", {
            "partner_id": partner_id, "type": "out_invoice",
            "invoice_line_ids": [(0, 0, {
                "name": "Servicio", "quantity": 1, "price_unit": 1000.0,
                "account_id": income})]})
        admin_rpc("account.invoice", "action_invoice_open", [invoice_id])
        admin_rpc("account.invoice", "pay_and_reconcile", [invoice_id],
                  bank, 400.0)
        world[who] = {"login": login, "user_id": user_id,
                      "partner_id": partner_id, "invoice_id": invoice_id}
    supplier = admin_rpc("res.partner", "create", {
        "name": "Proveedor Libro %s" % suffix, "supplier": True})
    expense_type = admin_rpc("ir.model.data", "xmlid_to_res_id",
                             "account.data_account_type_expenses")
    expense = admin_rpc("account.account", "search", [
        ("company_id", "=", company_id), ("user_type_id", "=", expense_type)],
        limit=1)[0]
    bill_id = admin_rpc("account.invoice", "create", {
        "partner_id": supplier, "type": "in_invoice",
        "invoice_line_ids": [(0, 0, {
            "name": "Compra", "quantity": 1, "price_unit": 800.0,
            "account_id": expense})]})
    admin_rpc("account.invoice", "action_invoice_open", [bill_id])
    world["bill_id"] = bill_id
    return world


def test_collector_over_rpc(odoo_server, admin_rpc, ledger):
    rpc = RpcClient(odoo_server, ledger["own"]["login"],
                    ledger["own"]["login"])
    own, other = ledger["own"], ledger["other"]
    # Journal items: only receivables of their own customer.
    lines = rpc("account.move.line", "search_read", [],
                ["partner_id", "account_id"])
    assert lines
    assert {line["partner_id"][0] for line in lines} == {own["partner_id"]}
    internal = admin_rpc("account.account", "read",
                         list({line["account_id"][0] for line in lines}),
                         ["internal_type"])
    assert {acc["internal_type"] for acc in internal} == {"receivable"}
    # Invoices: their customer's, not the other's nor the supplier bill.
    assert rpc("account.invoice", "search", []) == [own["invoice_id"]]
    for invoice_id in (other["invoice_id"], ledger["bill_id"]):
        with pytest.raises(xmlrpc.client.Fault) as error:
            rpc("account.invoice", "read", [invoice_id], ["number"])
        assert "AccessError" in error.value.faultString or \
            "restricci" in error.value.faultString
    # Entries and reconciliations of the other collector's customer.
    other_moves = admin_rpc("account.move.line", "search_read", [
        ("partner_id", "=", other["partner_id"])], ["move_id"])
    other_move_ids = list({line["move_id"][0] for line in other_moves})
    assert rpc("account.move", "search",
               [("id", "in", other_move_ids)]) == []
    other_partials = admin_rpc("account.partial.reconcile", "search", [
        ("credit_move_id.partner_id", "=", other["partner_id"])])
    assert other_partials
    assert rpc("account.partial.reconcile", "search",
               [("id", "in", other_partials)]) == []
    own_partials = admin_rpc("account.partial.reconcile", "search", [
        ("credit_move_id.partner_id", "=", own["partner_id"])])
    assert rpc("account.partial.reconcile", "search",
               [("id", "in", own_partials)]) == own_partials


def test_collector_opens_own_invoice(odoo_server, page, ledger, output_dir):
    own, other = ledger["own"], ledger["other"]
    web_login(page, odoo_server, own["login"], own["login"])
    page.goto("%s/web#id=%d&model=account.invoice&view_type=form&action=%d"
              % (odoo_server.url, own["invoice_id"], ledger["action"]))
    page.wait_for_selector(".o_form_view .o_form_sheet")
    page.wait_for_load_state("networkidle")
    dialogs = page.locator(".modal:visible")
    assert dialogs.count() == 0, dialogs.first.inner_text()
    # The payment shows (the collectors' payments widget) and the balance.
    widget = page.locator(".o_field_widget[name=cartera_payments_widget]")
    widget.wait_for()
    assert "400" in widget.inner_text()
    assert "600" in page.locator(".o_field_widget[name=residual]").inner_text()
    page.screenshot(path=str(output_dir / "ledger-own-invoice.png"))
    # Another collector's invoice: refused with Odoo's access dialog.
    page.goto("%s/web#id=%d&model=account.invoice&view_type=form&action=%d"
              % (odoo_server.url, other["invoice_id"], ledger["action"]))
    page.wait_for_selector(".modal:visible")
    assert page.locator(".modal:visible").count() >= 1
    page.screenshot(path=str(output_dir / "ledger-other-invoice.png"))
