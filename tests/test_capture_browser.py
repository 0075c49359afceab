"""A collector types a follow-up at the bottom of the capture list, in
Spanish, in a real Chromium against a real server; F2 opens the search."""
import uuid

import pytest
from playwright.sync_api import expect

from conftest import web_login


@pytest.fixture(scope="module")
def collector(admin_rpc):
    """A collector with only the collector group, and a customer of theirs."""
    suffix = uuid.uuid4().hex[:6]
    group_id = admin_rpc("ir.model.data", "xmlid_to_res_id",
                         "cartera_seguimiento.group_cartera_user")
    login = "cobrador_%s" % suffix
    user_id = admin_rpc("res.users", "create", {
        "name": "Cobradora %s" % suffix, "login": login, "password": login,
        "lang": "es_CO", "tz": "America/Bogota",
        "groups_id": [(6, 0, [group_id])]})
    partner_id = admin_rpc("res.partner", "create", {
        "name": "Cliente Navegador %s" % suffix, "customer": True,
        "is_company": True, "user_id": user_id})
    return {"login": login, "user_id": user_id, "partner_id": partner_id,
            "partner_name": "Cliente Navegador %s" % suffix, "suffix": suffix}


def open_capture(page, server):
    # Procesos (top bar) / Cartera / Seguimiento / Captura (side menu).
    page.click("#oe_main_menu_navbar a[data-menu-xmlid="
               "'cartera_seguimiento.cartera_menu_root']")
    page.wait_for_load_state("networkidle")
    dialogs = page.locator(".modal:visible")
    assert dialogs.count() == 0, dialogs.first.inner_text()
    side = page.locator(".o_sub_menu:visible")
    assert "Cartera" in side.inner_text()
    assert "Seguimiento" in side.inner_text()
    side.locator("a[data-menu-xmlid="
                 "'cartera_seguimiento.cartera_followup_menu_capture']").click()
    page.locator(".o_control_panel .breadcrumb", has_text="Captura").wait_for()
    page.wait_for_load_state("networkidle")


def pick_many2one(page, field, text):
    cell = page.locator(".o_selected_row .o_field_widget[name=%s] input" % field)
    cell.fill(text)
    item = page.locator("ul.ui-autocomplete:visible li a", has_text=text).first
    item.wait_for()
    item.click()


def test_capture_at_bottom_of_list(odoo_server, page, collector, admin_rpc,
                                   output_dir):
    web_login(page, odoo_server, collector["login"], collector["login"])
    open_capture(page, odoo_server)
    # Spanish breadcrumb and column titles.
    breadcrumb = page.locator(".o_control_panel .breadcrumb")
    assert breadcrumb.inner_text().strip() == "Captura"
    page.click(".o_list_button_add")
    page.wait_for_selector(".o_selected_row")
    headers = page.locator("table.o_list_view thead").inner_text()
    for label in ("Cliente", "Vendedor", "Fecha", "Tipo", "Contacto", "Documento",
                  "Notas", "Fecha próxima tarea"):
        assert label in headers
    # The new row is typed in at the bottom of the list.
    assert page.locator(".o_data_row").last.get_attribute("class").count(
        "o_selected_row") == 1
    pick_many2one(page, "partner_id", collector["partner_name"])
    pick_many2one(page, "type_id", "Llamada")
    note = "Llamada para cobro de factura %s" % collector["suffix"]
    page.fill(".o_selected_row .o_field_widget[name=notes]", note)
    page.wait_for_timeout(300)
    page.screenshot(path=str(output_dir / "captura-editando.png"))
    page.click(".o_list_button_save")
    page.wait_for_selector(".o_selected_row", state="detached")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(output_dir / "captura.png"))
    rows = admin_rpc("cartera.followup", "search_read",
                     [("notes", "=", note)],
                     ["partner_id", "user_id", "responsible_id", "type_id", "name"])
    assert len(rows) == 1
    row = rows[0]
    assert row["partner_id"][0] == collector["partner_id"]
    # Defaults held: salesperson from the customer, contact is the collector.
    assert row["user_id"][0] == collector["user_id"]
    assert row["responsible_id"][0] == collector["user_id"]
    assert row["name"].startswith("SEG/")
    assert row["name"] in page.locator(".o_list_view").inner_text()


def test_f2_opens_search_more(odoo_server, page, collector, admin_rpc, output_dir):
    web_login(page, odoo_server, collector["login"], collector["login"])
    open_capture(page, odoo_server)
    page.click(".o_list_button_add")
    page.wait_for_selector(".o_selected_row")
    partner_input = page.locator(
        ".o_selected_row .o_field_widget[name=partner_id] input")
    partner_input.click()
    partner_input.type("Navegador %s" % collector["suffix"])
    partner_input.press("F2")
    dialog = page.locator(".modal-dialog:visible")
    dialog.wait_for()
    title = dialog.locator(".modal-title").inner_text()
    assert title.startswith("Buscar") and title.endswith("Cliente"), title
    dialog.locator(".o_data_row").first.wait_for()
    # Pre-filtered with what was typed.
    assert dialog.locator(".o_data_row").count() == 1
    page.screenshot(path=str(output_dir / "captura-f2.png"))
    dialog.locator(".o_data_row td", has_text=collector["partner_name"]).first.click()
    dialog.wait_for(state="detached")
    expect(partner_input).to_have_value(collector["partner_name"])
    # F2 in the salesperson field too.
    user_input = page.locator(".o_selected_row .o_field_widget[name=user_id] input")
    user_input.click()
    user_input.press("F2")
    page.locator(".modal-dialog:visible .modal-title", has_text="Vendedor").wait_for()


def test_capture_lists_open_followups_only(odoo_server, page, collector,
                                           admin_rpc, output_dir):
    """A closed follow-up leaves Captura (it stays in Seguimiento)."""
    notes = {state: "Captura %s %s" % (state, collector["suffix"])
             for state in ("abierto", "cerrado")}
    for state, day in (("abierto", "2003-07-08"), ("cerrado", "2003-07-07")):
        admin_rpc("cartera.followup", "create", {
            "partner_id": collector["partner_id"],
            "type_id": admin_rpc("ir.model.data", "xmlid_to_res_id",
                                 "cartera_seguimiento.followup_type_call"),
            "date": day + " 15:00:00", "notes": notes[state]})
    wizard = admin_rpc("cartera.closing.wizard", "create", {
        "date_from": "2003-07-07", "date_to": "2003-07-07",
        "partner_id": collector["partner_id"]})
    admin_rpc("cartera.closing.wizard", "action_close", [wizard])
    web_login(page, odoo_server, collector["login"], collector["login"])
    open_capture(page, odoo_server)
    page.locator(".o_data_row", has_text=notes["abierto"]).wait_for()
    assert not page.locator(".o_data_row", has_text=notes["cerrado"]).count()
    # Seguimiento lists both, the closed one closed.
    page.locator(".o_sub_menu:visible a[data-menu-xmlid="
                 "'cartera_seguimiento.cartera_followup_file_menu']").click()
    page.locator(".o_control_panel .breadcrumb",
                 has_text="Seguimiento").wait_for()
    page.locator(".o_group_header", has_text=collector["partner_name"]) \
        .first.click()
    closed = page.locator(".o_data_row", has_text=notes["cerrado"])
    closed.wait_for()
    assert "Cerrado" in closed.inner_text()
    assert "Abierto" in page.locator(
        ".o_data_row", has_text=notes["abierto"]).inner_text()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(output_dir / "captura-solo-abiertos.png"))
