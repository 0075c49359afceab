"""Closings against a real server: the history refuses every change over
XML-RPC, two closings at once never duplicate or lose a follow-up, and a
manager closes from Procesos / Cartera / Seguimiento / Cierres in Spanish and
then finds the follow-ups closed in Seguimiento."""
import shutil
import threading
import uuid
import xmlrpc.client

import pytest

from conftest import ROOT, seed_followups, web_login

HISTORY = "cartera.followup.history"
ENGLISH = {"lang": "en_US"}


def xmlid(admin_rpc, name):
    return admin_rpc("ir.model.data", "xmlid_to_res_id",
                     "cartera_seguimiento.%s" % name)


@pytest.fixture(scope="module")
def world(admin_rpc):
    """A manager and a customer of
    their own, so that closings filtered on it touch nothing else."""
    suffix = uuid.uuid4().hex[:8]
    login = "jefe_cierre_%s" % suffix
    manager_id = admin_rpc("res.users", "create", {
        "name": "Jefe Cierre %s" % suffix, "login": login, "password": login,
        "tz": "UTC",
        "groups_id": [(6, 0, [xmlid(admin_rpc, "group_cartera_manager")])]})
    partner_id = admin_rpc("res.partner", "create", {
        "name": "Cliente Cierre %s" % suffix, "customer": True,
        "is_company": True, "user_id": manager_id})
    company_id = admin_rpc("res.users", "read", [manager_id],
                           ["company_id"])[0]["company_id"][0]
    return {"suffix": suffix, "login": login, "manager_id": manager_id,
            "partner_id": partner_id, "company_id": company_id,
            "type_id": xmlid(admin_rpc, "followup_type_call")}


def bulk_followups(db, world, count, first_day, days):
    return seed_followups(
        db, "LIVE/%s" % world["suffix"], world["partner_id"],
        world["manager_id"], world["type_id"], world["company_id"], count,
        first_day, days)


def close(rpc, world, date_from, date_to):
    # English messages whatever the user's language, to check them.
    wizard_id = rpc("cartera.closing.wizard", "create", {
        "date_from": date_from, "date_to": date_to,
        "partner_id": world["partner_id"]}, context=ENGLISH)
    return rpc("cartera.closing.wizard", "action_close", [wizard_id],
               context=ENGLISH)


def where_are(db, ids):
    with db.cursor() as cr:
        cr.execute("SELECT id FROM cartera_followup WHERE id = ANY(%s)",
                   (ids,))
        current = [row[0] for row in cr.fetchall()]
        cr.execute("SELECT id, closing_id FROM cartera_followup_history "
                   "WHERE id = ANY(%s)", (ids,))
        history = cr.fetchall()
    return current, history


def test_history_refuses_changes_over_xmlrpc(odoo_server, admin_rpc, db,
                                             world):
    ids = bulk_followups(db, world, 3, "2002-02-01", 1)
    manager = odoo_server.rpc(world["login"], world["login"])
    action = close(manager, world, "2002-02-01", "2002-02-01")
    closing_id = action["res_id"]
    before = admin_rpc(HISTORY, "read", ids, ["name", "notes", "closing_id"])
    assert [row["closing_id"][0] for row in before] == [closing_id] * 3
    for rpc in (manager, admin_rpc):
        for method, args in (
                ("create", [{"name": "Falso", "partner_id": world["partner_id"],
                             "type_id": world["type_id"]}]),
                ("write", [ids[:1], {"notes": "Cambiado"}]),
                ("unlink", [ids[:1]]),
                ("copy", [ids[0]])):
            with pytest.raises(xmlrpc.client.Fault):
                rpc(HISTORY, method, *args)
            # A context flag is no way in either.
            with pytest.raises(xmlrpc.client.Fault):
                rpc(HISTORY, method, *args,
                    context={"force": True, "cartera_closing": True,
                             "install_mode": True})
        for method, args in (("write", [[closing_id], {"followup_count": 0}]),
                             ("unlink", [[closing_id]])):
            with pytest.raises(xmlrpc.client.Fault):
                rpc("cartera.closing", method, *args)
    with pytest.raises(xmlrpc.client.Fault) as refused:
        admin_rpc(HISTORY, "unlink", ids[:1], context=ENGLISH)
    assert "cannot be deleted" in refused.value.faultString
    assert admin_rpc(HISTORY, "read", ids, ["name", "notes", "closing_id"]) \
        == before
    assert admin_rpc("cartera.closing", "read", [closing_id],
                     ["followup_count"])[0]["followup_count"] == 3


def test_concurrent_overlapping_closings(odoo_server, db, world):
    # 4,000 follow-ups over January 2001; the two closings overlap on
    # 10-20 January.
    ids = bulk_followups(db, world, 4000, "2001-01-01", 30)
    ranges = [("2001-01-01", "2001-01-20"), ("2001-01-10", "2001-01-30")]
    clients = [odoo_server.rpc(world["login"], world["login"])
               for _range in ranges]
    barrier = threading.Barrier(len(ranges))
    outcomes = [None] * len(ranges)

    def run(index):
        barrier.wait()
        try:
            outcomes[index] = ("ok", close(clients[index], world,
                                           *ranges[index])["res_id"])
        except xmlrpc.client.Fault as fault:
            outcomes[index] = ("refused", fault.faultString)

    threads = [threading.Thread(target=run, args=(index,))
               for index in range(len(ranges))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert all(outcomes), outcomes
    print("concurrent closings:", outcomes)
    for outcome in outcomes:
        if outcome[0] == "refused":
            # The second one stops with a clear message, having done nothing.
            assert "another user right now" in outcome[1], outcome[1]
    assert any(outcome[0] == "ok" for outcome in outcomes), outcomes

    # No follow-up is lost or duplicated, whatever the interleaving.
    current, history = where_are(db, ids)
    assert len(current) + len(history) == len(ids)
    assert set(current) | {row[0] for row in history} == set(ids)
    assert not set(current) & {row[0] for row in history}
    closings = {outcome[1] for outcome in outcomes if outcome[0] == "ok"}
    with db.cursor() as cr:
        cr.execute("SELECT id, followup_count FROM cartera_closing "
                   "WHERE id = ANY(%s)", (list(closings),))
        counts = dict(cr.fetchall())
    assert sum(counts.values()) == len(history)
    assert {row[1] for row in history} == closings

    # The refused one, run again, closes what is left; nothing remains.
    for index, outcome in enumerate(outcomes):
        if outcome[0] == "refused":
            close(clients[index], world, *ranges[index])
    current, history = where_are(db, ids)
    assert current == []
    assert sorted(row[0] for row in history) == ids


def test_close_from_cierres_and_see_closed_in_seguimiento(
        odoo_server, admin_rpc, page, output_dir, world):
    suffix = uuid.uuid4().hex[:6]
    partner_name = "Cliente Navegador Cierre %s" % suffix
    partner_id = admin_rpc("res.partner", "create", {
        "name": partner_name, "customer": True, "is_company": True})
    notes = ["Llamada de cierre %s %d" % (suffix, n) for n in (1, 2)]
    ids = [admin_rpc("cartera.followup", "create", {
        "partner_id": partner_id, "type_id": world["type_id"],
        "date": "2003-03-%02d 15:00:00" % day, "notes": note})
        for day, note in zip((3, 17), notes)]
    web_login(page, odoo_server, "admin", "admin")
    page.click("#oe_main_menu_navbar a[data-menu-xmlid="
               "'cartera_seguimiento.cartera_menu_root']")
    side = page.locator(".o_sub_menu:visible")
    menu = side.locator("a[data-menu-xmlid="
                        "'cartera_seguimiento.cartera_closing_wizard_menu']")
    assert menu.inner_text().strip() == "Cierres"
    menu.click()
    dialog = page.locator(".modal-dialog:visible")
    dialog.wait_for()
    assert "Cierres" in dialog.locator(".modal-title").inner_text()
    for name, value in (("date_from", "01-03-2003"), ("date_to", "31-03-2003")):
        field = dialog.locator("input.o_datepicker_input[name=%s]" % name)
        field.fill(value)
        field.press("Tab")
    partner = dialog.locator(".o_field_widget[name=partner_id] input")
    partner.fill(partner_name)
    page.locator("ul.ui-autocomplete:visible li a",
                 has_text=partner_name).first.click()
    count = dialog.locator(".o_field_widget[name=followup_count]")
    page.wait_for_function(
        "el => el.innerText.trim() === '2'", arg=count.element_handle())
    page.screenshot(path=str(output_dir / "cierre-asistente.png"))
    dialog.locator("button[name=action_close]").click()
    # The confirmation, then the closing record.
    page.locator(".modal-dialog:visible .modal-footer .btn-primary").last.click()
    page.wait_for_selector(".o_form_view .o_field_widget[name=followup_count]")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(output_dir / "cierre-resultado.png"))
    shutil.copy(str(output_dir / "cierre-resultado.png"),
                str(ROOT / "cartera_seguimiento/static/description/cierre.png"))
    assert admin_rpc("cartera.followup", "search_count",
                     [("id", "in", ids)]) == 0

    # Seguimiento: both follow-ups are there, closed.
    page.click("#oe_main_menu_navbar a[data-menu-xmlid="
               "'cartera_seguimiento.cartera_menu_root']")
    file_menu = page.locator(
        ".o_sub_menu:visible a[data-menu-xmlid="
        "'cartera_seguimiento.cartera_followup_file_menu']")
    assert file_menu.inner_text().strip() == "Seguimiento"
    file_menu.click()
    page.wait_for_selector(".o_list_view")
    page.wait_for_load_state("networkidle")
    # Grouped by customer by default: open the customer's group.
    page.locator(".o_group_header", has_text=partner_name).first.click()
    rows = page.locator(".o_data_row")
    rows.first.wait_for()
    page.wait_for_load_state("networkidle")
    assert rows.count() == 2
    for index in range(2):
        text = rows.nth(index).inner_text()
        assert "Cerrado" in text, text
        assert "CIE/" in text, text
    assert "text-muted" in (rows.first.get_attribute("class") or "")
    page.wait_for_load_state("networkidle")
    page.wait_for_selector(".o_loading", state="hidden")
    page.screenshot(path=str(output_dir / "seguimiento-cerrados.png"))
    shutil.copy(str(output_dir / "seguimiento-cerrados.png"), str(
        ROOT / "cartera_seguimiento/static/description/seguimiento.png"))
    lines = admin_rpc("cartera.followup.file", "search_read",
                      [("id", "in", ids)], ["state", "notes"])
    assert sorted((line["state"], line["notes"]) for line in lines) == \
        sorted(("closed", note) for note in notes)

    # A closed follow-up opens with its conversation, sealed: the messages
    # are there, the buttons to add messages or followers are not.
    rows.first.click()
    page.locator(".o_form_statusbar button",
                 has_text="Abrir con mensajes").click()
    sealed = page.locator(".o_form_view.o_cartera_sealed")
    sealed.wait_for()
    messages = sealed.locator(".o_thread_message")
    messages.first.wait_for()
    assert messages.count() >= 1
    assert not sealed.locator(".o_chatter_button_new_message").is_visible()
    assert not sealed.locator(".o_followers_follow_button").is_visible()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(output_dir / "historico-conversacion.png"))
