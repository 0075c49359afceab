# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The follow-up and task listings (of the follow-up and task reports and
of RPC clients). They read follow-ups through the ORM, so that the
follow-ups' record rules (``cartera.scope``) decide what each user gets,
exactly as in the lists."""
from collections import defaultdict

from odoo import _, api, fields, models

from ..tools import dates, ids as id_checks


def _given(*terms):
    """The domain terms whose value is given (a filter left empty is no
    condition)."""
    return [term for term in terms if term[2]]


class CarteraFollowup(models.Model):
    _inherit = "cartera.followup"

    @api.model
    def _listing_domain(self, partner_ids=None, salesperson_ids=None,
                        responsible_ids=None):
        """The follow-ups of the user's company, of the customers,
        salespeople and contacts asked for (checked), as a domain."""
        self.env["cartera.scope"]._check_access()
        domain = [("company_id", "=", self.env.user.company_id.id)]
        partners = id_checks.commercial_partners(self.env, partner_ids)
        salesperson_ids = id_checks.check_ids(
            self.env, salesperson_ids, _("Salespeople"))
        responsible_ids = id_checks.check_ids(
            self.env, responsible_ids, _("Contacts"))
        return domain + _given(("partner_id", "in", partners),
                               ("user_id", "in", salesperson_ids),
                               ("responsible_id", "in", responsible_ids))

    @api.multi
    def _listing_values(self):
        """One plain dict per follow-up, its date in the user's time zone
        (``date``, ``day``)."""
        values = []
        for rec in self:
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
    def listing(self, date_from=None, date_to=None, partner_ids=None,
                salesperson_ids=None, responsible_ids=None, type_ids=None,
                include_closed=False):
        """Follow-ups of a day or a range (local days), optionally closed
        ones too, as plain dicts (``_listing_values``)."""
        date_from, date_to = dates.check_range(self.env, date_from, date_to)
        domain = self._listing_domain(partner_ids, salesperson_ids,
                                      responsible_ids)
        type_ids = id_checks.check_ids(self.env, type_ids, _("Types"))
        start, end = dates.local_day_bounds(self.env, date_from, date_to)
        if not include_closed:
            domain.append(("state", "=", "open"))
        domain += _given(("date", ">=", start), ("date", "<", end),
                         ("type_id", "in", type_ids))
        return self.search(domain, order="date, id")._listing_values()

    @api.model
    def listing_counts(self, rows):
        """Counts per type of ``listing`` rows, by type name."""
        counts = defaultdict(int)
        for row in rows:
            counts[row["type_name"]] += 1
        return [{"type_name": name, "count": count}
                for name, count in sorted(counts.items())]

    @api.model
    def task_listing(self, date_from=None, date_to=None, responsible_ids=None,
                     partner_ids=None, salesperson_ids=None):
        """Pending next tasks of open follow-ups due in the range (all
        overdue ones when no start date), the overdue ones marked."""
        date_from, date_to = dates.check_range(self.env, date_from, date_to)
        domain = self._listing_domain(partner_ids, salesperson_ids,
                                      responsible_ids)
        domain += [("state", "=", "open"), ("task_state", "=", "pending")]
        domain += _given(("next_date", ">=", date_from),
                         ("next_date", "<=", date_to))
        records = self.search(domain, order="next_date, id")
        today = fields.Date.context_today(self)
        rows = []
        for value in records._listing_values():
            overdue = value["next_date"] < today
            value["overdue"] = overdue
            value["days_overdue"] = (
                fields.Date.from_string(today)
                - fields.Date.from_string(value["next_date"])).days \
                if overdue else 0
            rows.append(value)
        return rows
