"""Issue 25's screens on the demo of `make run`, as its manager Luisa: the
collection plan with its four stages (Configuración / Planes de cobro), a
run with its lines, the lines waiting for review and the agenda's stage,
level and next escalation. The pictures are kept in
test-output/demo-dunning_*.png."""
import json
import subprocess

import pytest

from conftest import web_login

LUISA = "luisa"
# cartera_seguimiento/demo/cartera_dunning_demo.xml
LEVELS = ("Recordatorio preventivo", "Primer aviso de cobro",
          "Segundo aviso de cobro", "Aviso previo Ley 1266",
          "Reporte a centrales de riesgo")


@pytest.fixture(scope="module")
def dunning_demo(admin_rpc):
    plan = admin_rpc("ir.model.data", "xmlid_to_res_id",
                     "cartera_seguimiento.demo_dunning_plan")
    if not plan:
        pytest.skip("the test database has no demo portfolio")
    # The run of 30 days ago: four items at three levels.
    run = admin_rpc("ir.model.data", "xmlid_to_res_id",
                    "cartera_seguimiento.demo_dunning_run_2")
    return {"plan": plan, "run": admin_rpc(
        "cartera.dunning.run", "read", [run], ["name", "line_ids"])[0]}


def open_menu(page, xmlid, section=None):
    """Click a menu of Procesos' side menu; ``section``: the collapsible
    entry holding it (Odoo opens only the current one)."""
    def link(name):
        return page.locator(
            ".o_sub_menu:visible a[data-menu-xmlid='cartera_seguimiento.%s']"
            % name)
    if not link(xmlid).count():
        page.click("#oe_main_menu_navbar a[data-menu-xmlid="
                   "'cartera_seguimiento.cartera_menu_root']")
        page.wait_for_load_state("networkidle")
    if section and not link(xmlid).is_visible():
        link(section).click()
    link(xmlid).click()
    page.wait_for_load_state("networkidle")


def settle(page):
    """Nothing loading any more (Odoo's "Cargando" badge)."""
    page.wait_for_load_state("networkidle")
    page.locator(".o_loading").wait_for(state="hidden")


def test_plan_and_run_on_the_demo(odoo_server, page, dunning_demo,
                                  output_dir):
    web_login(page, odoo_server, LUISA, LUISA)
    page.locator(".o_data_row").first.wait_for()

    # Configuración / Planes de cobro: the plan and its ladder.
    open_menu(page, "cartera_dunning_plan_menu", "cartera_menu_config")
    page.locator(".o_data_row", has_text="Cobro por etapas").click()
    levels = page.locator(".o_form_view .o_field_one2many .o_data_row")
    levels.first.wait_for()
    assert levels.count() == len(LEVELS)
    text = page.locator(".o_form_view").inner_text()
    for name in LEVELS:
        assert name in text, name
    settle(page)
    page.screenshot(path=str(output_dir / "demo-dunning_plan.png"),
                    full_page=True)

    # Gestión de cobro / Runs: the run of 30 days ago and its lines.
    open_menu(page, "cartera_dunning_run_menu", "cartera_menu_dunning")
    page.locator(".o_data_row", has_text=dunning_demo["run"]["name"]).click()
    lines = page.locator(".o_form_view .o_field_one2many .o_data_row")
    lines.first.wait_for()
    assert lines.count() == len(dunning_demo["run"]["line_ids"]) == 4
    text = page.locator(".o_form_view").inner_text()
    for customer in ("Constructora Andina S.A.",
                     "Distribuciones del Caribe Ltda.",
                     "Ferretería Los Alpes S.A.S."):
        assert customer in text, customer
    assert "Reporte a centrales de riesgo" in text
    settle(page)
    page.screenshot(path=str(output_dir / "demo-dunning_run.png"),
                    full_page=True)

    # Lines to review, grouped by level: today's notice to Caribe, with
    # the manager's buttons.
    open_menu(page, "cartera_dunning_line_review_menu",
              "cartera_menu_dunning")
    group = page.locator(".o_group_header", has_text="Aviso previo Ley 1266")
    group.first.click()
    row = page.locator(".o_data_row", has_text="Distribuciones del Caribe")
    row.first.wait_for()
    # Validate and Cancel (Odoo's list renders them as icons).
    assert row.locator("button:visible .fa-check").count() == 1
    assert row.locator("button:visible .fa-times").count() == 1
    settle(page)
    page.screenshot(path=str(output_dir / "demo-dunning_review.png"),
                    full_page=True)

    # The agenda: each customer's stage, level and next escalation.
    open_menu(page, "cartera_agenda_menu", "cartera_menu_followup")
    row = page.locator(".o_data_row", has_text="Constructora Andina")
    row.first.wait_for()
    assert "Reporte a centrales de riesgo" in row.first.inner_text()
    settle(page)
    page.screenshot(path=str(output_dir / "demo-dunning_agenda.png"),
                    full_page=True)


def test_demo_letter_says_how_to_pay(odoo_server, dunning_demo, output_dir):
    """A demo customer's collection letter (the lines of the run of 30
    days ago, as the run prints them), fetched as Luisa: under "How to
    pay", the demo company's bank account (demo_company_bank_account)."""
    rpc = odoo_server.rpc(LUISA, LUISA)
    http = odoo_server.session(LUISA, LUISA)
    lines = rpc("cartera.dunning.line", "read",
                dunning_demo["run"]["line_ids"], ["partner_id"])
    partner = lines[0]["partner_id"][0]
    ids = [line["id"] for line in lines
           if line["partner_id"][0] == partner]
    resp = http.get("%s/report/pdf/cartera_seguimiento.report_dunning_letter"
                    "/%d" % (odoo_server.url, partner), params={
                        "options": json.dumps({"line_ids": ids})},
                    timeout=300)
    assert resp.status_code == 200, resp.text[:500]
    assert resp.content.startswith(b"%PDF")
    pdf = output_dir / "demo-dunning_letter.pdf"
    pdf.write_bytes(resp.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"],
                          check=True, stdout=subprocess.PIPE).stdout.decode(
        "utf-8")
    assert "Bancolombia S.A. 031-482916-57" in " ".join(text.split())
