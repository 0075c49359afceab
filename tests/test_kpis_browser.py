"""A manager opens Informes / Indicadores de cartera in real Chromium: the
line chart of the last 12 months, then the pivot per collector and month
with the four indicators in Spanish; the month's total in the pivot is the
company's figure of kpis(). Screenshots in test-output/."""
import datetime

from conftest import web_login
from test_kpis_live import json_call


def test_dashboard_as_manager(odoo_server, admin_rpc, page, output_dir):
    # Computed at this opening: other tests of the session may have posted
    # entries since the rows were last computed (they keep 10 minutes).
    admin_rpc("ir.config_parameter", "set_param",
              "cartera_seguimiento.kpi_max_age_minutes", "0")
    try:
        check_dashboard(odoo_server, page, output_dir)
    finally:
        admin_rpc("ir.config_parameter", "set_param",
                  "cartera_seguimiento.kpi_max_age_minutes", "10")


def check_dashboard(odoo_server, page, output_dir):
    web_login(page, odoo_server, "admin", "admin")
    page.click("#oe_main_menu_navbar a[data-menu-xmlid="
               "'cartera_seguimiento.cartera_menu_root']")
    page.wait_for_load_state("networkidle")
    side = page.locator(".o_sub_menu:visible")
    # Informes opens on a click, and shows the dashboard to a manager.
    side.locator("a[data-menu-xmlid="
                 "'cartera_seguimiento.cartera_menu_reports']").click()
    menu = side.locator("a[data-menu-xmlid="
                        "'cartera_seguimiento.cartera_kpi_month_menu']")
    assert menu.inner_text().strip() == "Indicadores de cartera"
    menu.click()
    page.locator(".o_control_panel .breadcrumb",
                 has_text="Indicadores de cartera").wait_for()
    page.locator(".o_graph_svg_container svg, .o_graph svg").first.wait_for()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(output_dir / "indicadores_grafico.png"))
    # The pivot: collectors by month, the four indicators.
    page.click(".o_cp_switch_pivot")
    table = page.locator("table.o_pivot_table, .o_pivot table").first
    table.wait_for()
    page.wait_for_load_state("networkidle")
    text = table.inner_text()
    for label in ("DSO (días)", "CEI (%)", "Vencido +90 días (%)",
                  "Compromisos cumplidos (%)", "Total"):
        assert label in text, (label, text[:1000])
    page.screenshot(path=str(output_dir / "indicadores_pivot.png"),
                    full_page=True)

    # The stored rows, grouped as the views group them, are the engine's.
    # The cut-off is the one the rows were computed to (the server's today
    # at the opening), not this machine's clock, which may pass midnight.
    latest = json_call(odoo_server, "cartera.kpi.month", "search_read",
                       [], ["month", "date_to"], 0, 1, "month desc")
    assert latest, "no indicator rows"
    first, cut_off = latest[0]["month"], latest[0]["date_to"]
    assert abs((datetime.date.today() - datetime.datetime.strptime(
        cut_off, "%Y-%m-%d").date()).days) <= 1, latest
    groups = json_call(odoo_server, "cartera.kpi.month", "read_group",
                       [("month", "=", first)],
                       ["month", "dso", "cei", "overdue_90_pct",
                        "promise_kept_pct"], ["month"])
    assert len(groups) == 1, groups
    figures = json_call(odoo_server, "cartera.ar.report", "kpis", first,
                        cut_off)
    for name in ("dso", "cei", "overdue_90_pct", "promise_kept_pct"):
        assert groups[0][name] == figures[name], (name, groups, figures)
