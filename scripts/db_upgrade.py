"""Upgrade the addon in an existing database, installing the dependencies it
gained since (`-u` alone neither refreshes the module list nor installs them)."""
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
            env["ir.module.module"].update_list()
            module = env["ir.module.module"].search(
                [("name", "=", "cartera_seguimiento")])
            module.button_upgrade()
        odoo.modules.registry.Registry.new(dbname, update_module=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
