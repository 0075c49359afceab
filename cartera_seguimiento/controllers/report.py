# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from werkzeug.exceptions import BadRequest, Forbidden, NotFound

from odoo.addons.report_xlsx.controllers.main import ReportController
from odoo.exceptions import AccessError, MissingError, UserError, \
    ValidationError
from odoo.http import request, route

REPORT_PREFIX = "cartera_seguimiento."


class CarteraReportController(ReportController):
    """A report of this addon opened by its URL (a bookmark, a link in a
    mail) by someone without the right, or with filters that no longer
    hold, answers 403, 404 or 400 with the reason, not Odoo's "500 Internal
    Server Error" page. The web client's own path (/report/download) keeps
    Odoo's errors, which it shows in a dialog."""

    @route()
    def report_routes(self, reportname, docids=None, converter=None, **data):
        call = super(CarteraReportController, self).report_routes
        if not reportname.startswith(REPORT_PREFIX) or \
                request.httprequest.path.startswith("/report/download"):
            return call(reportname, docids=docids, converter=converter,
                        **data)
        try:
            return call(reportname, docids=docids, converter=converter,
                        **data)
        except MissingError as error:
            raise NotFound(error.name)
        except AccessError as error:
            raise Forbidden(error.name)
        except (UserError, ValidationError) as error:
            raise BadRequest(error.name)
