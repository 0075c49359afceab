"""Closings against a real server: a closed follow-up refuses every change
over XML-RPC, the superuser included (fields, status, deletion, messages,
followers, attachments), deleting what follow-ups refer to gets our
message, two closings at once never half-close or close a follow-up twice,
and a manager closes from Procesos / Cartera / Seguimiento / Cierres in
Spanish, then finds the follow-ups closed in Seguimiento and reads their
conversation there, without the buttons that would extend it."""
import base64
import threading
import uuid
import xmlrpc.client

import pytest

from conftest import seed_followups, web_login

FOLLOWUP = "cartera.followup"
ENGLISH = {"lang": "en_US"}
SPANISH = {"lang": "es_CO"}
# Context flags that open nothing.
FLAGS = {"force": True, "cartera_closing": True, "install_mode": True,
         "tracking_disable": True, "mail_notrack": True}


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
    """{id: (state, closing_id)} of the follow-ups, read from the table."""
    with db.cursor() as cr:
        cr.execute("SELECT id, state, closing_id FROM cartera_followup "
                   "WHERE id = ANY(%s)", (ids,))
        return {row[0]: row[1:] for row in cr.fetchall()}


def check_consistent(db, ids, closings):
    """Every follow-up is where it was (no row lost or added), either open
    and in no closing or closed by one of ``closings``, and each closing
    counts exactly the follow-ups that name it. Returns the closed ids."""
    rows = where_are(db, ids)
    assert sorted(rows) == sorted(ids)
    closed = {fid for fid, (state, closing) in rows.items()
              if state == "closed"}
    for fid, (state, closing) in rows.items():
        assert state in ("open", "closed"), (fid, state)
        assert (state == "closed") == (closing is not None), \
            (fid, state, closing)
        assert closing is None or closing in closings, (fid, closing)
    with db.cursor() as cr:
        cr.execute("""SELECT c.id, c.followup_count,
                             (SELECT count(*) FROM cartera_followup f
                               WHERE f.closing_id = c.id)
                        FROM cartera_closing c WHERE c.id = ANY(%s)""",
                   (list(closings),))
        for closing_id, logged, sealed in cr.fetchall():
            assert logged == sealed, (closing_id, logged, sealed)
    return closed


def refused(rpc, model, method, *args, **kwargs):
    """The fault string of a call that must fail."""
    with pytest.raises(xmlrpc.client.Fault) as caught:
        rpc(model, method, *args, **kwargs)
    return caught.value.faultString


def test_closed_followup_refuses_changes_over_xmlrpc(odoo_server, admin_rpc,
                                                     db, world):
    ids = bulk_followups(db, world, 3, "2002-02-01", 1)
    # A conversation and an attachment from before the closing.
    admin_rpc(FOLLOWUP, "message_post", ids[:1], body="Antes del cierre",
              message_type="comment", subtype="mail.mt_note")
    attachment = admin_rpc("ir.attachment", "create", {
        "name": "acta.txt", "datas_fname": "acta.txt",
        "datas": base64.b64encode(b"acta").decode(),
        "res_model": FOLLOWUP, "res_id": ids[0]})
    manager = odoo_server.rpc(world["login"], world["login"])
    action = close(manager, world, "2002-02-01", "2002-02-01")
    closing_id = action["res_id"]
    fields = ["name", "notes", "state", "closing_id", "closed_by",
              "message_ids", "message_follower_ids", "task_state"]

    def snapshot():
        return (admin_rpc(FOLLOWUP, "read", ids, fields),
                admin_rpc("ir.attachment", "search",
                          [("res_model", "=", FOLLOWUP),
                           ("res_id", "in", ids)]))
    before = snapshot()
    assert [row["state"] for row in before[0]] == ["closed"] * 3
    assert [row["closing_id"][0] for row in before[0]] == [closing_id] * 3
    assert before[1] == [attachment]
    # The conversation stays filed under the follow-up, untouched.
    assert len(before[0][0]["message_ids"]) >= 1
    partner = admin_rpc("res.users", "read", [world["manager_id"]],
                        ["partner_id"])[0]["partner_id"][0]
    spare = admin_rpc("ir.attachment", "create", {
        "name": "otro.txt", "datas_fname": "otro.txt",
        "datas": base64.b64encode(b"otro").decode()})
    attempts = [
        ("write", [ids[:1], {"notes": "Cambiado"}], {}, "modified"),
        ("write", [ids[:1], {"state": "open"}], {}, "closings only"),
        ("write", [ids[:1], {"closing_id": False}], {}, "closings only"),
        ("unlink", [ids[:1]], {}, "deleted"),
        ("message_post", [ids[:1]], {
            "body": "Después del cierre", "message_type": "comment",
            "subtype": "mail.mt_note"}, "no message"),
        ("message_subscribe", [ids[:1]], {"partner_ids": [partner]},
         "followers"),
        ("message_unsubscribe", [ids[:1]], {"partner_ids": [partner]},
         "followers"),
    ]
    for rpc in (manager, admin_rpc):
        for method, args, kwargs, message in attempts:
            for context in (ENGLISH, dict(FLAGS, **ENGLISH)):
                fault = refused(rpc, FOLLOWUP, method, *args,
                                context=context, **kwargs)
                assert message in fault, (method, fault[-300:])
        # No new attachment on it, nor an old one moved onto it.
        for context in (ENGLISH, dict(FLAGS, **ENGLISH)):
            fault = refused(rpc, "ir.attachment", "create", {
                "name": "nuevo.txt", "datas_fname": "nuevo.txt",
                "datas": base64.b64encode(b"nuevo").decode(),
                "res_model": FOLLOWUP, "res_id": ids[1]}, context=context)
            assert "is closed" in fault, fault[-300:]
            fault = refused(rpc, "ir.attachment", "write", [spare], {
                "res_model": FOLLOWUP, "res_id": ids[1]}, context=context)
            assert "is closed" in fault, fault[-300:]
        # Nor one of its attachments changed or deleted.
        for method, args in (("write", [[attachment], {"name": "x.txt"}]),
                             ("unlink", [[attachment]])):
            fault = refused(rpc, "ir.attachment", method, *args,
                            context=ENGLISH)
            assert "is closed" in fault, (method, fault[-300:])
        for method, args in (("write", [[closing_id], {"followup_count": 0}]),
                             ("unlink", [[closing_id]])):
            refused(rpc, "cartera.closing", method, *args)
    # In the users' language.
    fault = refused(admin_rpc, FOLLOWUP, "write", ids[:1], {"notes": "x"},
                    context=SPANISH)
    assert "está cerrado" in fault, fault[-300:]
    assert snapshot() == before
    assert admin_rpc("cartera.closing", "read", [closing_id],
                     ["followup_count"])[0]["followup_count"] == 3
    # The closing's follow-ups are its one2many.
    assert sorted(admin_rpc("cartera.closing", "read", [closing_id],
                            ["followup_ids"])[0]["followup_ids"]) == ids


def test_status_is_set_by_closings_only(admin_rpc, world):
    """A follow-up is born open whatever the caller sends, and nobody
    writes its status or closing."""
    closing_id = admin_rpc("cartera.closing", "search", [], limit=1)
    followup_id = admin_rpc(FOLLOWUP, "create", {
        "partner_id": world["partner_id"], "type_id": world["type_id"],
        "date": "2002-06-01 12:00:00", "state": "closed",
        "closing_id": closing_id and closing_id[0]})
    row = admin_rpc(FOLLOWUP, "read", [followup_id],
                    ["state", "closing_id"])[0]
    assert row["state"] == "open" and not row["closing_id"], row
    for values in ({"state": "closed"}, {"closing_id": closing_id[0]},
                   {"state": "open", "notes": "x"}):
        fault = refused(admin_rpc, FOLLOWUP, "write", [followup_id], values,
                        context=ENGLISH)
        assert "changed by closings only" in fault, fault[-300:]
    assert admin_rpc(FOLLOWUP, "read", [followup_id],
                     ["state", "closing_id"])[0] == row
    admin_rpc(FOLLOWUP, "unlink", [followup_id])


def test_deleting_what_followups_refer_to_is_refused(admin_rpc, world):
    """The database's foreign keys refuse; over RPC Odoo answers with the
    addon's message, in the user's language."""
    suffix = uuid.uuid4().hex[:6]
    user_id = admin_rpc("res.users", "create", {
        "name": "Vendedor Borrado %s" % suffix,
        "login": "vendedor_borrado_%s" % suffix})
    partner_id = admin_rpc("res.partner", "create", {
        "name": "Cliente Borrado %s" % suffix, "customer": True,
        "is_company": True, "user_id": user_id})
    type_id = admin_rpc("cartera.followup.type", "create", {
        "name": "Tipo Borrado %s" % suffix, "code": "B%s" % suffix})
    admin_rpc(FOLLOWUP, "create", {
        "partner_id": partner_id, "type_id": type_id,
        "responsible_id": user_id})
    for model, record, english, spanish in (
            ("res.partner", partner_id,
             "This customer has receivable follow-ups and cannot be "
             "deleted. Archive it instead.",
             "Este cliente tiene seguimientos de cartera y no se puede "
             "eliminar. Archívelo en su lugar."),
            ("cartera.followup.type", type_id,
             "This follow-up type is used by follow-ups and cannot be "
             "deleted.", "Este tipo de seguimiento lo usan seguimientos"),
            ("res.users", user_id,
             "of receivable follow-ups and cannot be deleted.",
             "de seguimientos de cartera y no se puede eliminar.")):
        for context, message in ((ENGLISH, english), (SPANISH, spanish)):
            fault = refused(admin_rpc, model, "unlink", [record],
                            context=context)
            assert "ValidationError" in fault and message in fault, \
                (model, fault[-400:])
        assert admin_rpc(model, "search", [("id", "=", record)],
                         context={"active_test": False}) == [record]


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

    # No follow-up is lost, half-closed or closed twice, whatever the
    # interleaving; each closing counts what it sealed.
    closings = {outcome[1] for outcome in outcomes if outcome[0] == "ok"}
    closed = check_consistent(db, ids, closings)
    with db.cursor() as cr:
        cr.execute("SELECT sum(followup_count) FROM cartera_closing "
                   "WHERE id = ANY(%s)", (list(closings),))
        assert cr.fetchone()[0] == len(closed)

    # The refused one, run again, closes what is left; nothing remains.
    for index, outcome in enumerate(outcomes):
        if outcome[0] == "refused":
            closings.add(close(clients[index], world,
                               *ranges[index])["res_id"])
    assert check_consistent(db, ids, closings) == set(ids)


def test_close_from_cierres_and_see_closed_in_seguimiento(
        odoo_server, admin_rpc, page, output_dir, world):
    suffix = uuid.uuid4().hex[:6]
    partner_name = "Cliente Navegador Cierre %s" % suffix
    partner_id = admin_rpc("res.partner", "create", {
        "name": partner_name, "customer": True, "is_company": True})
    notes = ["Llamada de cierre %s %d" % (suffix, n) for n in (1, 2)]
    ids = [admin_rpc(FOLLOWUP, "create", {
        "partner_id": partner_id, "type_id": world["type_id"],
        "date": "2003-03-%02d 15:00:00" % day, "notes": note})
        for day, note in zip((3, 17), notes)]
    # The conversation of the first one (ordered by date, newest first, it
    # is the second row of the list).
    said = "El cliente promete pagar el viernes %s" % suffix
    admin_rpc(FOLLOWUP, "message_post", ids[:1], body=said,
              message_type="comment", subtype="mail.mt_note")
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
    # The confirmation, then the closing record, listing its follow-ups.
    page.locator(".modal-dialog:visible .modal-footer .btn-primary").last.click()
    page.wait_for_selector(".o_form_view .o_field_widget[name=followup_count]")
    page.wait_for_load_state("networkidle")
    closing_form = page.locator(".o_form_view")
    for note in notes:
        closing_form.locator(".o_field_widget[name=followup_ids]",
                             has_text=note).wait_for()
    page.screenshot(path=str(output_dir / "cierre-resultado.png"))
    # Closed where they are: out of Captura (its action lists open ones).
    assert admin_rpc(FOLLOWUP, "search_count", [
        ("id", "in", ids), ("state", "=", "open")]) == 0
    capture = admin_rpc("ir.actions.act_window", "read", [xmlid(
        admin_rpc, "cartera_followup_action")], ["domain"])[0]["domain"]
    assert "state" in capture and "open" in capture, capture

    # Seguimiento: both follow-ups are there, closed.
    page.click("#oe_main_menu_navbar a[data-menu-xmlid="
               "'cartera_seguimiento.cartera_menu_root']")
    file_menu = page.locator(
        ".o_sub_menu:visible a[data-menu-xmlid="
        "'cartera_seguimiento.cartera_followup_file_menu']")
    assert file_menu.inner_text().strip() == "Seguimiento"
    file_menu.click()
    page.locator(".o_control_panel .breadcrumb",
                 has_text="Seguimiento").wait_for()
    page.wait_for_selector(".o_list_view .o_group_header")
    page.wait_for_load_state("networkidle")
    # Read-only: no button to create in this action.
    assert not page.locator(".o_list_button_add").is_visible()
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
    lines = admin_rpc(FOLLOWUP, "search_read", [("id", "in", ids)],
                      ["state", "notes"])
    assert sorted((line["state"], line["notes"]) for line in lines) == \
        sorted(("closed", note) for note in notes)

    # A closed follow-up opens in the file's form with its conversation,
    # read-only: the messages are there, no chatter buttons to add
    # messages or followers, no button to edit or delete.
    rows.filter(has_text=notes[0]).first.click()
    form = page.locator(".o_form_view")
    form.locator(".o_field_widget[name=notes]", has_text=notes[0]).wait_for()
    page.wait_for_load_state("networkidle")
    assert "Conversación" in form.inner_text()
    conversation = form.locator(".o_cartera_conversation")
    conversation.locator(".o_cartera_message", has_text=said).wait_for()
    assert conversation.locator(".o_cartera_message").count() >= 1
    statusbar = form.locator(".o_statusbar_status")
    assert "Cerrado" in statusbar.locator(".btn-primary, .active").first \
        .inner_text()
    for selector in (".o_chatter", ".o_chatter_button_new_message",
                     ".o_chatter_button_log_note",
                     ".o_followers_follow_button", ".o_followers",
                     ".o_form_button_edit", ".o_form_button_create"):
        assert page.locator(selector).count() == 0 or not page.locator(
            selector).first.is_visible(), selector
    for label in ("Enviar mensaje", "Registrar nota", "Seguir"):
        assert not page.locator("button:visible", has_text=label).count(), \
            label
    page.wait_for_selector(".o_loading", state="hidden")
    page.screenshot(path=str(output_dir / "seguimiento-conversacion.png"))
    # Its "Acción" menu prints; it neither duplicates nor deletes.
    page.locator(".o_cp_sidebar .o_dropdown_toggler_btn",
                 has_text="Acción").click()
    items = page.locator(".o_cp_sidebar .dropdown-menu:visible").inner_text()
    for label in ("Eliminar", "Duplicar", "Archivar"):
        assert label not in items, items
