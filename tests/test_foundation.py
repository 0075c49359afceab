"""The ground: a real server serves the web client in Spanish and real PDFs."""
import subprocess

from conftest import web_login


def test_login_page_and_web_client(odoo_server, page, output_dir):
    web_login(page, odoo_server, "admin", "admin")
    assert page.locator("#oe_main_menu_navbar a[data-menu-xmlid="
                        "'cartera_seguimiento.cartera_menu_root']").inner_text(
                        ).strip() == "Procesos"
    shot = output_dir / "web-client-admin.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10000
    # Spanish for the admin: the user menu says "Cerrar sesión".
    page.click(".o_user_menu > a")
    assert page.locator("a[data-menu=logout]").inner_text().strip() == "Cerrar sesión"


def test_menu_records_in_spanish(admin_rpc):
    xmlids = ["cartera_menu_root", "cartera_menu_receivables", "cartera_menu_followup"]
    names = []
    for xmlid in xmlids:
        res_id = admin_rpc("ir.model.data", "xmlid_to_res_id",
                           "cartera_seguimiento.%s" % xmlid)
        names.append(admin_rpc("ir.ui.menu", "read", [res_id], ["name"],
                               context={"lang": "es_CO"})[0]["name"])
    assert names == ["Procesos", "Cartera", "Seguimiento"]


def test_pdf_over_http_is_real(odoo_server, admin_rpc, output_dir):
    partner_ids = admin_rpc("res.partner", "search", [], limit=1)
    http = odoo_server.session()
    # The company's own external layout, rendered by wkhtmltopdf.
    resp = http.get("%s/report/pdf/base.report_irmodulereference/%d"
                    % (odoo_server.url, admin_rpc(
                        "ir.module.module", "search",
                        [("name", "=", "cartera_seguimiento")])[0]), timeout=120)
    assert resp.status_code == 200, resp.text[:500]
    assert resp.content[:5] == b"%PDF-"
    pdf = output_dir / "module-reference.pdf"
    pdf.write_bytes(resp.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "cartera_seguimiento" in text
    assert partner_ids


def test_database_is_colombian(admin_rpc):
    """The fixture database of `make run` and of these live tests (the
    addon's own tests run on any database): a Colombian company in COP with
    a chart of accounts loaded, Spanish for the administrator."""
    company_id = admin_rpc("ir.model.data", "xmlid_to_res_id",
                           "base.main_company")
    company = admin_rpc("res.company", "read", [company_id],
                        ["currency_id", "chart_template_id", "country_id"])[0]
    assert company["currency_id"][1] == "COP"
    assert company["chart_template_id"]
    assert company["country_id"][0] == admin_rpc(
        "ir.model.data", "xmlid_to_res_id", "base.co")
    assert admin_rpc("res.users", "read", [admin_rpc.uid],
                     ["lang"])[0]["lang"] == "es_CO"
