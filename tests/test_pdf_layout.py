"""Odoo's own PDF layout on a live server: a report of several pages printed
by the patched-Qt wkhtmltopdf of the set-up carries web.external_layout's
header (logo, company name and address) on every page and its footer with
the page numbers in Spanish. Each page's header and footer strips are read
with pdftotext; the first two pages are kept as PNG in test-output/."""
import base64
import re
import subprocess

import pytest

from conftest import ROOT, seed_followups

# Letter landscape in PostScript points, and the paper format's margins
# (cartera_paperformat_landscape: 40 mm top, 25 mm bottom).
WIDTH, HEIGHT = 792, 612
TOP = int(40 / 25.4 * 72)
BOTTOM = int(25 / 25.4 * 72)
FIRST_DAY = "2001-03-01"
ICON = ROOT / "cartera_seguimiento" / "static" / "description" / "icon.png"
# The footer's page numbers, as Odoo's web module translates each layout.
PAGE_LABEL = {"standard": r"Página:\s*%d\s*/\s*%d",
              "background": r"Página:\s*%d\s+de\s+%d"}


def pdftotext(pdf, page, y=0, height=HEIGHT):
    return subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page),
         "-x", "0", "-y", str(y), "-W", str(WIDTH), "-H", str(height),
         str(pdf), "-"], check=True, stdout=subprocess.PIPE).stdout.decode()


def page_count(pdf):
    info = subprocess.run(["pdfinfo", str(pdf)], check=True,
                          stdout=subprocess.PIPE).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def images_on(pdf, page):
    listing = subprocess.run(
        ["pdfimages", "-list", "-f", str(page), "-l", str(page), str(pdf)],
        check=True, stdout=subprocess.PIPE).stdout.decode().splitlines()
    return len(listing) - 2  # two heading lines


@pytest.fixture(scope="module")
def company(admin_rpc):
    user = admin_rpc("res.users", "read", [admin_rpc.uid], ["company_id"])[0]
    return admin_rpc("res.company", "read", [user["company_id"][0]], [
        "name", "logo", "city", "street", "external_report_layout"])[0]


@pytest.fixture(scope="module")
def many_followups(admin_rpc, db, company):
    """150 follow-ups of one customer of our own in March 2001 (out of the
    way of the other tests' date ranges), removed afterwards."""
    partner = admin_rpc("res.partner", "create", {
        "name": "Cliente Varias Páginas", "customer": True,
        "is_company": True, "user_id": admin_rpc.uid})
    call = admin_rpc("ir.model.data", "xmlid_to_res_id",
                     "cartera_seguimiento.followup_type_call")
    ids = seed_followups(db, "LAYOUT", partner, admin_rpc.uid, call,
                         company["id"], 150, FIRST_DAY, 28)
    yield partner
    with db.cursor() as cr:
        cr.execute("DELETE FROM cartera_followup WHERE id = ANY(%s)", (ids,))
    admin_rpc("res.partner", "unlink", [partner])


@pytest.fixture
def layout(request, admin_rpc, company):
    """The company's document template for one test, and a logo if it has
    none (the addon's icon), then both back as they were."""
    values = {"external_report_layout": request.param}
    if not company["logo"]:
        values["logo"] = base64.b64encode(ICON.read_bytes()).decode()
    admin_rpc("res.company", "write", [company["id"]], values)
    yield request.param
    admin_rpc("res.company", "write", [company["id"]], {
        "external_report_layout": company["external_report_layout"] or False,
        "logo": company["logo"] or False})


def test_server_uses_patched_wkhtmltopdf(odoo_server):
    version = subprocess.run(
        [str(ROOT / ".venv/bin/wkhtmltopdf"), "--version"], check=True,
        stdout=subprocess.PIPE).stdout.decode()
    assert "0.12.4 (with patched qt)" in version
    log = odoo_server.log_path.read_text(errors="replace")
    assert "Will use the Wkhtmltopdf binary at %s" % (
        ROOT / ".venv/bin/wkhtmltopdf") in log


@pytest.mark.parametrize("layout", ["standard", "background"],
                         indirect=True)
def test_layout_header_and_page_numbers(odoo_server, admin_rpc, company,
                                        many_followups, layout, output_dir):
    wizard = admin_rpc("cartera.followup.report.wizard", "create", {
        "date_from": FIRST_DAY, "date_to": "2001-03-31",
        "partner_ids": [(6, 0, [many_followups])]})
    http = odoo_server.session("admin", "admin")
    resp = http.get("%s/report/pdf/cartera_seguimiento.report_followup/%d"
                    % (odoo_server.url, wizard), timeout=300)
    assert resp.status_code == 200, resp.text[:2000]
    assert resp.content.startswith(b"%PDF")
    pdf = output_dir / ("layout-%s.pdf" % layout)
    pdf.write_bytes(resp.content)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2",
                    str(pdf), str(output_dir / ("layout-%s" % layout))],
                   check=True)
    pages = page_count(pdf)
    assert pages >= 3, pages
    for number in range(1, pages + 1):
        header = pdftotext(pdf, number, 0, TOP)
        footer = pdftotext(pdf, number, HEIGHT - BOTTOM, BOTTOM)
        body = pdftotext(pdf, number, TOP, HEIGHT - TOP - BOTTOM)
        # The layout's header: the company and its address, above the body.
        assert company["name"] in header, (number, header)
        for line in (company["street"], company["city"]):
            if line:
                assert line in header, (number, line, header)
        assert images_on(pdf, number) >= 1, number  # the logo
        # The body no longer repeats the company.
        assert company["name"] not in body, (number, body[:500])
        # The footer: "Página N ... M" in Spanish, as the layout says it.
        assert re.search(PAGE_LABEL[layout] % (number, pages), footer), \
            (number, footer)
    # The second page, as the issue asks: "Página 2 de N" (or "2/N").
    second = pdftotext(pdf, 2, HEIGHT - BOTTOM, BOTTOM)
    assert re.search(PAGE_LABEL[layout] % (2, pages), second), second
    # The report's own content flows over the pages.
    first = pdftotext(pdf, 1)
    assert "Informe de seguimientos" in first
    assert "Cliente Varias Páginas" in first
    assert "Impreso el" in first
