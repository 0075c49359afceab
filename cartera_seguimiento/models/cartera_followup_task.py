# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A follow-up's next task, carried by a ``mail.activity``: created, moved
or dropped with the follow-up's next date, type, note and contact, and done
when a later follow-up of the same customer and document is recorded."""
from odoo import _, api, fields, models
from odoo.osv import expression

from ..tools import mail as mail_values


class CarteraFollowupTask(models.Model):
    _inherit = "cartera.followup"

    @api.multi
    def _prepare_task_activity(self):
        self.ensure_one()
        activity_type = self.next_type_id.activity_type_id or self.env.ref(
            "mail.mail_activity_data_todo", raise_if_not_found=False)
        return {
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "activity_type_id": activity_type.id,
            # The responsible user reads the summary: in their language.
            "summary": self.next_type_id.with_context(
                lang=self.responsible_id.lang or "en_US").name,
            "note": self.next_note and "<p>%s</p>" % (
                self.next_note.replace("&", "&amp;").replace(
                    "<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")),
            "date_deadline": self.next_date,
            "user_id": self.responsible_id.id,
        }

    @api.multi
    def _sync_next_task(self):
        """Create, move or drop the activity that carries the next task."""
        for rec in self:
            if rec.task_state == "done":
                continue
            if rec.next_date:
                activity_vals = rec._prepare_task_activity()
                if rec.task_activity_id:
                    rec.task_activity_id.write(activity_vals)
                    state_vals = {}
                else:
                    activity = self.env["mail.activity"].create(activity_vals)
                    state_vals = {"task_activity_id": activity.id}
                if rec.task_state != "pending":
                    state_vals["task_state"] = "pending"
                if state_vals:
                    rec._write_derived(state_vals)
            elif rec.task_state == "pending" or rec.task_activity_id:
                rec.task_activity_id.unlink()
                rec._write_derived({"task_state": "none"})

    @api.multi
    def _complete_previous_tasks(self):
        """A new follow-up of the same customer and document completes the
        tasks left by earlier ones that its recorder may see: their own,
        those of their customers (as salesperson), all as a manager. Asked
        as the recording user, never as superuser on their behalf: the
        record rules decide, for reading (the search) and for writing (the
        state of the task, and the activity, whose feedback and deletion
        Odoo allows to whoever may write its document). A follow-up dated
        in the future completes nothing: its date would reach tasks not
        yet due."""
        now = fields.Datetime.now()
        if not self.check_access_rights("write", raise_exception=False):
            return
        writable = self.env["ir.rule"]._compute_domain(self._name, "write")
        for rec in self:
            if rec.date > now:
                continue
            previous = self.search(expression.AND([[
                ("id", "!=", rec.id),
                ("state", "=", "open"),
                ("company_id", "=", rec.company_id.id),
                ("partner_id", "=", rec.partner_id.id),
                ("invoice_id", "=", rec.invoice_id.id),
                ("task_state", "=", "pending"),
                ("date", "<=", rec.date),
            ], writable or []]))
            if previous:
                previous._mark_task_done(_("Completed by follow-up %s.") % rec.name)

    @api.multi
    def _mark_task_done(self, feedback=False):
        activities = self.mapped("task_activity_id")
        self._write_derived({"task_state": "done"})
        if activities:
            activities.with_context(
                cartera_skip_task_done=True).action_feedback(feedback=feedback)

    @api.multi
    def _mark_task_done_from_activity(self):
        self._write_derived({"task_state": "done"})

    @api.multi
    def action_mark_task_done(self):
        self.filtered(lambda r: r.task_state == "pending")._mark_task_done()
        return True

    @api.multi
    def message_post_with_template(self, template_id, **kwargs):
        # Marking a task done (action_feedback) posts through the mail
        # composer, which refuses users without an e-mail address: the
        # follow-up that completes an earlier task would fail.
        if not kwargs.get("email_from") and not self.env.user.email:
            kwargs["email_from"] = mail_values.default_sender(self.env)
        return super(CarteraFollowupTask, self).message_post_with_template(
            template_id, **kwargs)
