"""Finish the base of a cartera database: a Colombian company in COP with the
l10n_co chart, its own letterhead (address, tax id, e-mail, web site and
logo, printed by every report), and Spanish (es_CO) for the administrator."""
import base64
import os
import sys

import odoo
from odoo import SUPERUSER_ID, api

LOGO = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                    "demo_logo.png")


def main(dbname):
    odoo.tools.config["db_host"] = "/var/run/postgresql"
    with api.Environment.manage(), odoo.registry(dbname).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company")
        # Colombia's tax id is the NIT; Odoo 11 ships no label for it, so the
        # reports' footers would print "TIN".
        env.ref("base.co").vat_label = "NIT"
        cop = env.ref("base.COP")
        cop.active = True
        with open(LOGO, "rb") as logo:
            company.write({
                "name": "Distribuidora Andina S.A.S.",
                "country_id": env.ref("base.co").id,
                "city": "Bogotá",
                "street": "Carrera 7 # 71-21, oficina 1204",
                "zip": "110231",
                "phone": "+57 601 317 4500",
                "email": "cartera@distribuidoraandina.example.com",
                "website": "https://www.distribuidoraandina.example.com",
                "vat": "900123456-7",
                "logo": base64.b64encode(logo.read()),
            })
        if company.currency_id != cop and not env["account.move.line"].search(
                [("company_id", "=", company.id)], limit=1):
            company.currency_id = cop
        if not company.chart_template_id:
            chart = env.ref("l10n_co.l10n_co_chart_template_generic")
            chart.try_loading_for_current_company()
        # The company's day (the agenda's) is Bogotá's, as its users'.
        company.partner_id.tz = "America/Bogota"
        admin = env.ref("base.user_root")
        admin.write({"lang": "es_CO", "tz": "America/Bogota"})
        admin.partner_id.lang = "es_CO"
        print("db_base: %s, currency %s, chart %s, %d accounts" % (
            company.name, company.currency_id.name,
            company.chart_template_id.name,
            env["account.account"].search_count([])))


if __name__ == "__main__":
    main(sys.argv[1])
