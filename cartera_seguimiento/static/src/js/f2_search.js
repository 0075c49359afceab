odoo.define('cartera_seguimiento.f2_search', function (require) {
"use strict";

/**
 * Collectors come from an ERP where F2 in a reference field opens its search.
 * In the capture screens, F2 in a many2one field opens Odoo's "Search More"
 * dialog, pre-filtered with what was typed and the field's own domain.
 */
var relational_fields = require('web.relational_fields');

var F2 = 113;
var CAPTURE_MODELS = [
    'cartera.followup',
];

relational_fields.FieldMany2One.include({
    /**
     * @override
     */
    _onKeydown: function (ev) {
        if (ev.which === F2 && _.contains(CAPTURE_MODELS, this.model) &&
                this.mode === 'edit') {
            ev.preventDefault();
            ev.stopPropagation();
            this._openF2Search();
            return;
        }
        this._super.apply(this, arguments);
    },
    /**
     * @private
     * @returns {Deferred}
     */
    _openF2Search: function () {
        var self = this;
        if (this.$input.autocomplete('instance')) {
            this.$input.autocomplete('close');
        }
        return this._rpc({
            model: this.field.relation,
            method: 'name_search',
            kwargs: {
                name: this.$input.val() || '',
                args: this.record.getDomain({fieldName: this.name}),
                operator: 'ilike',
                limit: 160,
                context: this.record.getContext(this.recordParams),
            },
        }).then(function (result) {
            return self._searchCreatePopup('search', result);
        });
    },
});

return {CAPTURE_MODELS: CAPTURE_MODELS};
});
