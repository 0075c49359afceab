#!/usr/bin/env bash
# Regenerate i18n/cartera_seguimiento.pot from a database with the addon
# installed (cartera_dev, built if missing) and merge it into es.po.
set -euo pipefail
source "$(dirname "$0")/env.sh"
# A fresh database: the xml ids of fields are those of a new install.
DB=${POT_DB:-cartera_pot}
"$ROOT/scripts/db_ensure.sh" "$DB" --fresh --without-demo
I18N=$ROOT/cartera_seguimiento/i18n
$ODOO $ODOO_DB_ARGS -d "$DB" --i18n-export="$I18N/cartera_seguimiento.po" \
    --modules=cartera_seguimiento --stop-after-init --log-level=warn
mv "$I18N/cartera_seguimiento.po" "$I18N/cartera_seguimiento.pot"
if [ -f "$I18N/es.po" ]; then
    msgmerge --quiet --no-fuzzy-matching --update --backup=none \
        "$I18N/es.po" "$I18N/cartera_seguimiento.pot"
else
    msginit --no-translator --locale=es --input="$I18N/cartera_seguimiento.pot" \
        --output-file="$I18N/es.po"
fi
echo "untranslated: $(msgattrib --untranslated "$I18N/es.po" | grep -c '^msgid' || true)"
