"""Mark the addon (and the dependencies it still needs) to be installed
without its demo data, in a database whose other modules have Odoo's.

Odoo 11 installs a module with demo data whenever one of its installed
dependencies has it (`ir.module.module._state_update`), whatever
`--without-demo` says; its row's `demo` flag is what the loader reads. Run
`odoo -i cartera_seguimiento --without-demo=all` afterwards: the row is
already "to install", so Odoo loads it as marked here."""
import sys

import odoo
from odoo import SUPERUSER_ID, api


def main(dbname, addons_path):
    odoo.tools.config.parse_config([
        "--addons-path=%s" % addons_path, "--db_host=/var/run/postgresql",
        "-d", dbname, "--log-level=warn"])
    with api.Environment.manage():
        with odoo.registry(dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            Module = env["ir.module.module"]
            Module.update_list()
            module = Module.search([("name", "=", "cartera_seguimiento")])
            module.button_install()
            cr.execute("UPDATE ir_module_module SET demo = false "
                       "WHERE state = 'to install'")
            print("plain_nodemo: to install without demo data: %s" % ", ".join(
                Module.search([("state", "=", "to install")]).mapped("name")))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
