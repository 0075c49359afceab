# Copyright 2026 Cartera Seguimiento contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, models
from odoo.exceptions import MissingError
from odoo.osv.query import Query

# Column types whose stored value is the value read: a page of a list reads
# them with one query.
PLAIN_TYPES = ("char", "text", "selection", "integer", "float", "monetary",
               "boolean", "date", "datetime", "many2one")


class CarteraBatchReadMixin(models.AbstractModel):
    """Lists of follow-ups read a page in a few queries and little Python.

    Odoo 11's ``read`` goes through the record cache cell by cell and names
    each many2one value on its own (a ``sudo()`` and a ``display_name`` per
    cell): on an 80-row page of the capture list that was some 1,100 cells
    and 560 names, nearly all of the page's time. Here the plain stored
    columns of the page come from one query, with the same record rules and
    access errors as Odoo's, and the references are named once per model.
    Other fields (computed, translated, x2many) are read by Odoo as usual.
    """
    _name = "cartera.batch.read.mixin"
    _description = "Batched read of list pages"

    @api.multi
    def read(self, fields=None, load="_classic_read"):
        if load != "_classic_read" or not all(
                isinstance(id_, int) for id_ in self._ids):
            return super(CarteraBatchReadMixin, self).read(fields, load=load)
        self.check_access_rights("read")
        fields = self.check_field_access_rights("read", fields)
        plain = [name for name in fields if self._is_plain_column(name)]
        rows = self._read_plain_columns(plain)
        others = [name for name in fields if name not in plain]
        if others and rows:
            present = self.browse([id_ for id_ in self._ids if id_ in rows])
            for values in super(CarteraBatchReadMixin, present).read(
                    others, load=load):
                rows[values["id"]].update(values)
        self._name_references(list(rows.values()), [
            name for name in plain if self._fields[name].type == "many2one"])
        return [rows[id_] for id_ in self._ids if id_ in rows]

    @api.model
    def _is_plain_column(self, name):
        field = self._fields.get(name)
        return bool(
            field and name != "id" and field.store and field.column_type
            and field.type in PLAIN_TYPES and not field.compute
            and not field.translate and not field.inherited)

    @api.multi
    def _read_plain_columns(self, names):
        """{id: {field: value}} of the columns ``names`` of the records the
        user may read; AccessError if a record exists but is not readable
        (as Odoo's read), records that do not exist are left out."""
        param_ids = object()
        query = Query(['"%s"' % self._table],
                      ['"%s".id IN %%s' % self._table], [param_ids])
        self._apply_ir_rules(query, "read")
        from_clause, where_clause, params = query.get_sql()
        # Column names are this model's own fields; values are bound.
        select = "SELECT %s FROM %s WHERE %s" % (
            ", ".join('"%s"."%s"' % (self._table, name)
                      for name in ["id"] + names),
            from_clause, where_clause)
        fields = [self._fields[name] for name in names]
        position = params.index(param_ids)
        rows = {}
        for sub_ids in self.env.cr.split_for_in_conditions(set(self._ids)):
            params[position] = tuple(sub_ids)
            self.env.cr.execute(select, params)  # pylint: disable=sql-injection
            for record in self.env.cr.fetchall():
                values = {"id": record[0]}
                for field, value in zip(fields, record[1:]):
                    if field.type == "many2one":
                        values[field.name] = value or False
                    else:
                        values[field.name] = field.convert_to_read(
                            field.convert_to_cache(value, self,
                                                   validate=False),
                            self, use_name_get=False)
                rows[record[0]] = values
        missing = self.browse(set(self._ids) - set(rows))
        # Raises Odoo's own access error for records hidden by the rules.
        missing.exists().check_access_rule("read")
        return rows

    @api.model
    def _name_references(self, rows, many2ones):
        """Replace the ids of the ``many2ones`` columns of ``rows`` by
        (id, name) pairs, naming the records of each model at once."""
        ids_by_model = defaultdict(set)
        for name in many2ones:
            comodel = self._fields[name].comodel_name
            ids_by_model[comodel].update(row[name] for row in rows
                                         if row[name])
        names = {comodel: self._batch_names(comodel, ids)
                 for comodel, ids in ids_by_model.items()}
        for name in many2ones:
            named = names.get(self._fields[name].comodel_name, {})
            for row in rows:
                value = row[name]
                # A reference to a deleted record reads as empty, as in Odoo.
                row[name] = value and (
                    (value, named[value]) if value in named else False)

    @api.model
    def _batch_names(self, comodel, ids):
        """{id: display name} of the ``comodel`` records ``ids``, as the
        superuser (as Odoo names many2one values) and in this context."""
        # Without prefetching: naming a customer would read all its columns.
        records = self.env[comodel].sudo().with_context(
            prefetch_fields=False).browse(sorted(ids))
        try:
            # display_name, not name_get(): customers store theirs.
            return {record.id: record.display_name for record in records}
        except MissingError:
            # Only the history and the file keep references without a
            # foreign key; name what is left.
            return {record.id: record.display_name
                    for record in records.exists()}
