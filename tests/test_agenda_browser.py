"""A Spanish collector opens Procesos and lands on the Agenda de cobro: their
customers only, whom to call first on top, a broken promise and an overdue
task in red; a row's Registrar seguimiento opens the capture form for that
customer. Real Chromium against a real server."""
import datetime
import uuid

import pytest
from playwright.sync_api import expect

from conftest import web_login


@pytest.fixture(scope="module")
def agenda_collector(admin_rpc):
    """A collector with two customers: one followed up long ago, with a
    promise broken since and a task due yesterday; one followed up today
    with a task in five days. And a customer of someone else."""
    suffix = uuid.uuid4().hex[:6]
    group_id = admin_rpc("ir.model.data", "xmlid_to_res_id",
                         "cartera_seguimiento.group_cartera_user")
    login = "agenda_%s" % suffix
    user_id = admin_rpc("res.users", "create", {
        "name": "Cobradora Agenda %s" % suffix, "login": login,
        "password": login, "lang": "es_CO", "tz": "America/Bogota",
        "groups_id": [(6, 0, [group_id])]})
    call = admin_rpc("ir.model.data", "xmlid_to_res_id",
                     "cartera_seguimiento.followup_type_call")
    names = {key: "Agenda %s %s" % (key, suffix)
             for key in ("Incumplido", "Al día", "Ajeno")}
    partners = {}
    for key, name in names.items():
        partners[key] = admin_rpc("res.partner", "create", {
            "name": name, "customer": True, "is_company": True,
            "user_id": user_id if key != "Ajeno" else False})
    # The server's day; the agenda counts from the database's, the same
    # here but for the minutes around midnight.
    day = datetime.date.today()
    admin_rpc("cartera.followup", "create", {
        "partner_id": partners["Incumplido"], "type_id": call,
        "date": "2003-08-01 15:00:00", "notes": "Promete pagar",
        "next_date": str(day - datetime.timedelta(days=1)),
        "next_type_id": call,
        "promise_ids": [(0, 0, {"amount": 150000.0, "date": "2003-08-05"})]})
    admin_rpc("cartera.followup", "create", {
        "partner_id": partners["Al día"], "type_id": call,
        "notes": "Llamada", "next_date": str(day + datetime.timedelta(days=5)),
        "next_type_id": call})
    admin_rpc("cartera.followup", "create", {
        "partner_id": partners["Ajeno"], "type_id": call,
        "notes": "Llamada", "next_date": str(day), "next_type_id": call})
    admin_rpc("cartera.promise", "evaluate")
    return {"login": login, "names": names, "partners": partners}


def test_agenda_as_spanish_collector(odoo_server, page, agenda_collector,
                                     output_dir):
    names = agenda_collector["names"]
    web_login(page, odoo_server, agenda_collector["login"],
              agenda_collector["login"])
    # Procesos opens on its first entry: the agenda.
    page.click("#oe_main_menu_navbar a[data-menu-xmlid="
               "'cartera_seguimiento.cartera_menu_root']")
    page.locator(".o_control_panel .breadcrumb", has_text="Agenda").wait_for()
    page.wait_for_load_state("networkidle")
    side = page.locator(".o_sub_menu:visible")
    entries = side.locator("a[data-menu-xmlid]").all_inner_texts()
    seguimiento = [text.strip() for text in entries]
    assert seguimiento.index("Agenda") < seguimiento.index("Captura")
    headers = page.locator("table.o_list_view thead").inner_text()
    for label in ("Cliente", "Vendedor", "Saldo", "Vencida", "Días vencidos",
                  "Vence en 7 días", "Último seguimiento", "Próxima tarea",
                  "Prometido sin pagar", "Compromisos", "Prioridad"):
        assert label in headers, label
    rows = page.locator(".o_data_row")
    text = page.locator(".o_list_view").inner_text()
    # Their customers only.
    assert names["Incumplido"] in text and names["Al día"] in text
    assert names["Ajeno"] not in text
    assert rows.count() == 2
    broken = page.locator(".o_data_row", has_text=names["Incumplido"])
    assert "Incumplido" in broken.inner_text()
    assert "text-danger" in broken.get_attribute("class")
    fine = page.locator(".o_data_row", has_text=names["Al día"])
    assert "text-danger" not in (fine.get_attribute("class") or "")
    # The broken promise ranks first (nothing is overdue on either).
    assert names["Incumplido"] in rows.first.inner_text()
    page.screenshot(path=str(output_dir / "agenda.png"))
    # The search filters, in Spanish.
    toggler = page.locator(".o_search_options .o_dropdown:has(.o_filters_menu)"
                           " .o_dropdown_toggler_btn")
    if not toggler.is_visible():
        page.click(".o_control_panel .o_searchview_more")
    toggler.click()
    filters = page.locator(".o_filters_menu").inner_text()
    for label in ("Mis clientes", "Tareas para hoy o vencidas",
                  "Compromisos incumplidos", "Sin contacto en 30 días",
                  "Vencidos a más de 90 días"):
        assert label in filters, label
    page.locator(".o_filters_menu a",
                 has_text="Compromisos incumplidos").click()
    page.locator(".o_searchview_facet",
                 has_text="Compromisos incumplidos").wait_for()
    expect(page.locator(".o_data_row")).to_have_count(1)
    page.screenshot(path=str(output_dir / "agenda-filtros.png"))
    # Registrar seguimiento opens the capture, prefilled.
    page.locator(".o_data_row", has_text=names["Incumplido"]).locator(
        "button[title='Registrar seguimiento']").click()
    page.locator(".o_form_view .o_field_widget[name=partner_id]").wait_for()
    page.wait_for_load_state("networkidle")
    partner = page.locator(".o_form_view .o_field_widget[name=partner_id] "
                           "input").input_value()
    assert partner == names["Incumplido"]
