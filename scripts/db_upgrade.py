"""Upgrade the addon in an existing database, installing the dependencies it
gained since: Odoo's own `-u` path (update the module list, mark the addon to
upgrade, which marks its new dependencies to install), run before any model
of the addon is loaded, so that fields added since (new columns) are created
instead of read."""
import sys

import odoo
from odoo.tools import config


def main(dbname, addons_path):
    config.parse_config([
        "--addons-path=%s" % addons_path, "--db_host=/var/run/postgresql",
        "-d", dbname, "--log-level=warn"])
    config["update"] = {"cartera_seguimiento": 1}
    with odoo.api.Environment.manage():
        odoo.modules.registry.Registry.new(dbname, update_module=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
