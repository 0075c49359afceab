# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The statements' cron (see cartera_statement_run.py): a run's pending
customers rendered in batches, as the run's user, the customers of one
language printed by one wkhtmltopdf call and split by its outline, else one
by one; each statement then goes to Odoo's mail queue
(cartera_statement_send.py)."""
import logging
import threading
import time

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.sql_db import TestCursor
from odoo.tools import config

from ..reports.pdf_split import split_by_outline
from . import locks
from .cartera_statement_run import MAIL_QUEUE_CRON_XMLID
from .cartera_statement_run_line import MAX_ATTEMPTS
from .system_parameters import int_parameter

_logger = logging.getLogger(__name__)

# Statements rendered per transaction; a system parameter overrides it.
BATCH_SIZE_KEY = "cartera_seguimiento.statement_batch_size"
DEFAULT_BATCH_SIZE = 20
# A cron call stops starting batches after this many seconds, well inside
# Odoo's default limit_time_real (120 s); the next call goes on.
TIME_BUDGET = 60
REPORT_XMLID = "cartera_seguimiento.cartera_statement_report"


class CarteraStatementRun(models.Model):
    _inherit = "cartera.statement.run"

    @api.model
    def _cron_process(self, time_budget=TIME_BUDGET):
        """Render and queue the pending statements of every open run, then
        follow the mails' outcome. Called by the cron every minute."""
        deadline = time.time() + time_budget
        runs = self.sudo().search(
            [("state", "in", ("queued", "running", "sending"))],
            order="id")
        for run in runs:
            run._process(deadline)
        return True

    @api.multi
    def _lock(self):
        """Whether this transaction holds the run: another worker (or a
        "Run Manually") processing it keeps it, without waiting."""
        self.ensure_one()
        with locks.claim(self.env.cr, "SELECT id FROM cartera_statement_run "
                         "WHERE id = %s FOR UPDATE NOWAIT",
                         (self.id,)) as rows:
            return rows is not None

    @api.multi
    def _process(self, deadline):
        self.ensure_one()
        # Commit after each batch, as Odoo's mail queue commits after each
        # mail (and not in tests, as it does not): a batch's mails and its
        # lines' states are durable together, and a worker stopped later
        # loses only the batch under way, which the next call renders.
        auto_commit = not getattr(threading.currentThread(), "testing",
                                  False)
        batch_size = self._batch_size()
        while self._lock():
            lines = self._next_batch(batch_size)
            if not lines:
                break
            if self.state == "queued":
                self.state = "running"
            # The attempt is counted and committed before the rendering: a
            # worker killed while rendering (its time or memory limit)
            # leaves its lines pending with one attempt spent, and a batch
            # that kills every worker gives up instead of coming back
            # forever.
            lines._count_attempt()
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
                # The commit let the run go: another worker may have taken
                # it, and these lines, since.
                if not self._lock():
                    break
                lines = lines._still_pending()
                if not lines:
                    continue
            rendered = lines._render_batch(auto_commit)
            self._wake_cron(MAIL_QUEUE_CRON_XMLID)
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            # The batch's records (PDFs, mails) leave the cache: memory is
            # bounded by the batch, not by the customers of the run.
            self.invalidate_cache()
            # A batch that failed is tried again at the cron's next call,
            # not at once: other runs go on meanwhile.
            if not rendered or time.time() > deadline:
                break
        if self._lock():
            self._sync_mail_states()

    @api.multi
    def _next_batch(self, batch_size):
        """The next pending lines of this run to render. Those tried
        ``MAX_ATTEMPTS`` times already fail first, with their error; a
        line tried before (its batch failed, or its worker was killed) is
        tried alone, so that one customer who cannot be printed does not
        take the others of his batch with him."""
        self.ensure_one()
        Line = self.env["cartera.statement.run.line"]
        pending = [("run_id", "=", self.id), ("state", "=", "pending")]
        Line.search(pending + [("attempts", ">=", MAX_ATTEMPTS)])._give_up()
        lines = Line.search(pending, order="attempts desc, id",
                            limit=batch_size)
        return lines[:1] if lines[:1].attempts else lines

    @api.model
    def _batch_size(self):
        return int_parameter(self.env, BATCH_SIZE_KEY, DEFAULT_BATCH_SIZE,
                             minimum=1)


class CarteraStatementRunLine(models.Model):
    _inherit = "cartera.statement.run.line"

    @api.multi
    def _render_batch(self, auto_commit):
        """Render and queue these lines; whether it went through. An
        error no line caught (a statement timeout, a bug, a customer whose
        rendering breaks the transaction) undoes the batch's work and is
        written on its lines, which fail once they have been tried
        ``MAX_ATTEMPTS`` times. Outside tests the batch's work is undone
        by a rollback to the commit of its attempts, not by a savepoint:
        the first print after an update commits the report's assets
        (commit_assetsbundle), which ends any savepoint; in tests nothing
        commits and a savepoint stands in for it."""
        try:
            if auto_commit:
                self._render_and_queue()
            else:
                with self.env.cr.savepoint():
                    self._render_and_queue()
        except Exception as error:  # pylint: disable=broad-except
            if auto_commit:
                self.env.cr.rollback()
                self.env.clear()
            _logger.exception("Statements of partners %s of run %s could "
                              "not be rendered",
                              self.mapped("partner_id").ids,
                              self.mapped("run_id").ids)
            self._attempt_failed(error)
            return False
        return True

    @api.multi
    def _render_and_queue(self):
        """Render the statements of these pending lines (one run) as the
        run's user and put their mails into Odoo's queue, each to its
        customer's statement addresses alone (skipped when it has none
        any more)."""
        run = self.mapped("run_id")
        run.ensure_one()
        env_user = self.with_env(self.env(user=run.user_id.id))
        recipients = env_user.mapped(
            "partner_id")._cartera_statement_recipients()
        nobody = self.filtered(lambda l: not recipients[l.partner_id.id])
        if nobody:
            nobody.sudo().write({"state": "skipped", "email": False})
        self -= nobody
        env_user -= nobody
        if not self:
            return
        try:
            with self.env.cr.savepoint():
                totals = {row["partner_id"]: row["total"] for row in
                          env_user.env["cartera.ar.report"].aging(
                              run.date_at, 30, self.mapped("partner_id").ids)}
        except (AccessError, UserError) as error:
            # The sender lost their rights since: the batch fails, said
            # why, instead of the cron failing on it every minute.
            self._fail(error)
            return
        # The rendering is outside any savepoint: the first print after
        # an update builds Odoo's report asset bundles and commits them
        # (commit_assetsbundle), which ends any savepoint.
        pdfs = env_user._render_pdfs()
        for line in env_user:
            # One customer's failure (no access any more, a template
            # error) must not stop the others: the line says why.
            pdf = pdfs[line.id]
            if isinstance(pdf, Exception):
                line._fail(pdf)
                continue
            try:
                with self.env.cr.savepoint():
                    line._queue_mail(pdf, totals.get(line.partner_id.id, 0.0),
                                     recipients[line.partner_id.id])
            except Exception as error:  # pylint: disable=broad-except
                line._fail(error)

    @api.multi
    def _render_pdfs(self):
        """{line id: its statement, or the exception that stopped it}, as
        the current (the run's) user. The lines of one language are
        printed by one wkhtmltopdf call, whose start-up (about half a
        second) otherwise dominates a one-page statement; when that call
        fails or cannot be split, each line is printed alone, so that a
        customer who cannot be printed fails on its own."""
        pdfs = {}
        by_lang = {}
        for line in self:
            by_lang.setdefault(line._lang(), []).append(line.id)
        for lang, ids in sorted(by_lang.items()):
            lines = self.browse(ids)
            batch = lines._render_pdf_batch(lang) if len(lines) > 1 \
                else None
            if batch:
                pdfs.update(zip(lines.ids, batch))
                continue
            for line in lines:
                try:
                    pdfs[line.id] = line._render_pdf()
                except Exception as error:  # pylint: disable=broad-except
                    pdfs[line.id] = error
        return pdfs

    @api.multi
    def _render_pdf_batch(self, lang):
        """The statements of these lines (one run, customers printed in
        ``lang``), in their order, from one wkhtmltopdf call split by its
        outline; None when they cannot be printed together. Where Odoo
        renders HTML instead of PDFs (tests, no wkhtmltopdf), they are
        printed one by one, as ``render_qweb_pdf`` prints them."""
        if config["test_enable"] or isinstance(self.env.cr, TestCursor):
            return None
        report = self.env.ref(REPORT_XMLID).with_context(lang=lang)
        if report.get_wkhtmltopdf_state() == "install":
            return None
        partners = self.mapped("partner_id")
        if len(partners) != len(self):
            return None
        try:
            pdf = self._print_in_one_call(
                report, partners.ids, self.mapped("run_id")._report_data())
        except Exception as error:  # pylint: disable=broad-except
            _logger.info("Statements of partners %s printed one by one: %s",
                         partners.ids, error)
            return None
        documents = split_by_outline(pdf, len(self)) if pdf else None
        if pdf and documents is None:
            _logger.warning(
                "The statements of partners %s could not be split by their "
                "outline (a layout with headings of its own?): printed one "
                "by one.", partners.ids)
        return documents

    @api.model
    def _print_in_one_call(self, report, res_ids, data):
        """The PDF of ``report`` for ``res_ids``, printed by one
        wkhtmltopdf call with its outline (one entry per record); None
        when the report's HTML does not hold one body per record.

        The addon's only use of Odoo's private report steps. It mirrors
        ``ir.actions.report.render_qweb_pdf``
        (odoo/addons/base/ir/ir_actions_report.py) from its HTML to its
        wkhtmltopdf call, with the context it gives them. That method is
        not called itself: it rebuilds the PDF page by page
        (``_post_pdf``), without the outline that tells where each
        customer starts, which the split needs."""
        report = report.with_context(debug=False, commit_assetsbundle=True)
        html = report.render_qweb_html(res_ids, data=data)[0]
        bodies, _ids, header, footer, paper_args = report._prepare_html(
            html.decode("utf-8"))
        if len(bodies) != len(res_ids):
            return None
        return report._run_wkhtmltopdf(
            bodies, header=header, footer=footer,
            specific_paperformat_args=paper_args)

    @api.multi
    def _render_pdf(self):
        """This line's statement, as the current (the run's) user."""
        self.ensure_one()
        report = self.env.ref(REPORT_XMLID)
        pdf = report.with_context(lang=self._lang()).render_qweb_pdf(
            self.partner_id.ids, data=self.run_id._report_data())
        # (content, format); in tests the HTML, alone under a TestCursor.
        return pdf[0] if isinstance(pdf, tuple) else pdf
