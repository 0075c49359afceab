# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The follow-up and task listings. They read follow-ups through the ORM,
so that the follow-ups' record rules (``cartera.scope``) decide what each
user gets, exactly as in the lists."""
from collections import defaultdict

from odoo import _, api, fields, models

from ..tools import dates


class CarteraArReport(models.AbstractModel):
    _inherit = "cartera.ar.report"

    @api.model
    def _utc_bounds(self, date_from, date_to):
        """UTC datetimes bounding the user's local days."""
        return dates.local_day_bounds(self.env, date_from, date_to)

    @api.model
    def _followup_records(self, date_from=None, date_to=None, partner_ids=None,
                          salesperson_ids=None, responsible_ids=None,
                          type_ids=None, include_closed=False):
        salesperson_ids = self._check_ids(salesperson_ids, _("Salespeople"))
        responsible_ids = self._check_ids(responsible_ids, _("Contacts"))
        type_ids = self._check_ids(type_ids, _("Types"))
        start, end = self._utc_bounds(date_from, date_to)
        domain = [("company_id", "=", self.env.user.company_id.id)]
        if not include_closed:
            domain.append(("state", "=", "open"))
        if start:
            domain.append(("date", ">=", start))
        if end:
            domain.append(("date", "<", end))
        if partner_ids:
            domain.append(("partner_id", "in", list(partner_ids)))
        if salesperson_ids:
            domain.append(("user_id", "in", list(salesperson_ids)))
        if responsible_ids:
            domain.append(("responsible_id", "in", list(responsible_ids)))
        if type_ids:
            domain.append(("type_id", "in", list(type_ids)))
        records = self.env["cartera.followup"].search(
            domain, order="date, id")
        return self._followup_values(records)

    @api.model
    def _followup_values(self, records):
        values = []
        for rec in records:
            moment = fields.Datetime.context_timestamp(
                rec, fields.Datetime.from_string(rec.date))
            values.append({
                "id": rec.id,
                "model": rec._name,
                "closed": rec.state == "closed",
                "name": rec.name or "",
                "date": fields.Datetime.to_string(moment),
                "day": fields.Date.to_string(moment),
                "partner_id": rec.partner_id.id,
                "partner_name": rec.partner_id.name,
                "salesperson_name": rec.user_id.name or "",
                "type_id": rec.type_id.id,
                "type_name": rec.type_id.name,
                "responsible_id": rec.responsible_id.id,
                "responsible_name": rec.responsible_id.name,
                "document": rec.invoice_number or "",
                "amount_due": rec.amount_due,
                "date_due": rec.date_due or False,
                "notes": rec.notes or "",
                "next_date": rec.next_date or False,
                "next_type_name": rec.next_type_id.name or "",
                "next_note": rec.next_note or "",
                "task_state": rec.task_state,
            })
        return values

    @api.model
    def followups(self, date_from=None, date_to=None, partner_ids=None,
                  salesperson_ids=None, responsible_ids=None, type_ids=None,
                  include_closed=False):
        """Follow-ups of a day or a range (local days), optionally closed
        ones too."""
        date_from, date_to = self._check_range(date_from, date_to)
        self._check_access()
        partners = self._commercial_partners(partner_ids)
        return self._followup_records(
            date_from, date_to, partners or None, salesperson_ids,
            responsible_ids, type_ids, include_closed)

    @api.model
    def followup_counts(self, rows):
        """Counts per type of ``followups`` rows, by type name."""
        counts = defaultdict(int)
        for row in rows:
            counts[row["type_name"]] += 1
        return [{"type_name": name, "count": count}
                for name, count in sorted(counts.items())]

    @api.model
    def tasks(self, date_from=None, date_to=None, responsible_ids=None,
              partner_ids=None, salesperson_ids=None):
        """Pending next tasks of open follow-ups due in the range (all
        overdue ones when no start date), the overdue ones marked."""
        date_from, date_to = self._check_range(date_from, date_to)
        self._check_access()
        domain = [("company_id", "=", self.env.user.company_id.id),
                  ("state", "=", "open"), ("task_state", "=", "pending")]
        if date_from:
            domain.append(("next_date", ">=", date_from))
        if date_to:
            domain.append(("next_date", "<=", date_to))
        responsible_ids = self._check_ids(responsible_ids, _("Contacts"))
        salesperson_ids = self._check_ids(salesperson_ids, _("Salespeople"))
        if responsible_ids:
            domain.append(("responsible_id", "in", list(responsible_ids)))
        partners = self._commercial_partners(partner_ids)
        if partners:
            domain.append(("partner_id", "in", partners))
        if salesperson_ids:
            domain.append(("user_id", "in", list(salesperson_ids)))
        records = self.env["cartera.followup"].search(
            domain, order="next_date, id")
        today = fields.Date.context_today(self)
        rows = []
        for value in self._followup_values(records):
            overdue = value["next_date"] < today
            value["overdue"] = overdue
            value["days_overdue"] = (
                fields.Date.from_string(today)
                - fields.Date.from_string(value["next_date"])).days \
                if overdue else 0
            rows.append(value)
        return rows
