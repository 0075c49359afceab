"""Finish the base of a cartera database: a Colombian company in COP with the
l10n_co chart, and Spanish (es_CO) for the administrator."""
import sys

import odoo
from odoo import SUPERUSER_ID, api


def main(dbname):
    odoo.tools.config["db_host"] = "/var/run/postgresql"
    with api.Environment.manage(), odoo.registry(dbname).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company")
        cop = env.ref("base.COP")
        cop.active = True
        company.write({
            "name": "Distribuidora Andina S.A.S.",
            "country_id": env.ref("base.co").id,
            "city": "Bogotá",
        })
        if company.currency_id != cop and not env["account.move.line"].search(
                [("company_id", "=", company.id)], limit=1):
            company.currency_id = cop
        if not company.chart_template_id:
            chart = env.ref("l10n_co.l10n_co_chart_template_generic")
            chart.try_loading_for_current_company()
        admin = env.ref("base.user_root")
        admin.write({"lang": "es_CO", "tz": "America/Bogota"})
        admin.partner_id.lang = "es_CO"
        print("db_base: %s, currency %s, chart %s, %d accounts" % (
            company.name, company.currency_id.name,
            company.chart_template_id.name,
            env["account.account"].search_count([])))


if __name__ == "__main__":
    main(sys.argv[1])
