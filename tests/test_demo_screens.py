"""What a newcomer sees on the demo of `make run`, as its own users: the
collector Camila lands on her agenda (the demo portfolio, real balances and
names), captures and files follow-ups, prints the aging and a statement. The
pictures are the README's (`make screenshots` copies them from
test-output/demo-*.png); the test database is built with the same demo
portfolio as `make run`'s."""
import subprocess

import pytest

from conftest import web_login

CAMILA = "camila"
# Camila's demo customers (cartera_seguimiento/demo/cartera_demo.xml).
CAMILA_CUSTOMERS = ("Ferretería Los Alpes S.A.S.",
                    "Distribuciones del Caribe Ltda.")


@pytest.fixture(scope="module")
def demo(admin_rpc):
    users = admin_rpc("res.users", "search_read", [("login", "=", CAMILA)],
                      ["id", "action_id"])
    if not users:
        pytest.skip("the test database has no demo portfolio")
    partners = admin_rpc("res.partner", "search_read",
                         [("name", "in", list(CAMILA_CUSTOMERS))], ["name"])
    return {"camila": users[0],
            "partners": {p["name"]: p["id"] for p in partners}}


def menu(page, xmlid):
    link = page.locator(".o_sub_menu:visible a[data-menu-xmlid='%s']" % xmlid)
    if not link.count():
        # Procesos (top bar): its side menu holds Cartera / Seguimiento.
        page.click("#oe_main_menu_navbar a[data-menu-xmlid="
                   "'cartera_seguimiento.cartera_menu_root']")
        page.wait_for_load_state("networkidle")
    link.click()
    page.wait_for_load_state("networkidle")


def pdf_page(http, url, output_dir, name):
    resp = http.get(url, timeout=300)
    assert resp.status_code == 200, resp.text[:500]
    assert resp.content.startswith(b"%PDF")
    pdf = output_dir / ("%s.pdf" % name)
    pdf.write_bytes(resp.content)
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1",
                    "-singlefile", str(pdf), str(output_dir / name)],
                   check=True)
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
    page.screenshot(path=str(output_dir / "demo-agenda.png"))

    menu(page, "cartera_seguimiento.cartera_followup_menu_capture")
    page.locator(".o_control_panel .breadcrumb", has_text="Captura").wait_for()
    page.locator(".o_data_row").first.wait_for()
    page.screenshot(path=str(output_dir / "demo-captura.png"))

    menu(page, "cartera_seguimiento.cartera_followup_file_menu")
    page.locator(".o_control_panel .breadcrumb",
                 has_text="Seguimiento").wait_for()
    page.locator(".o_group_header", has_text=CAMILA_CUSTOMERS[0]).first.click()
    page.locator(".o_data_row").first.wait_for()
    page.wait_for_load_state("networkidle")
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
