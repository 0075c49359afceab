#!/usr/bin/env bash
# make screenshots: run the live tests that take the README's pictures, then
# copy them from test-output/ into cartera_seguimiento/static/description/.
# The tests themselves write only to test-output/.
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
DESCRIPTION=$ROOT/cartera_seguimiento/static/description
OUT=$ROOT/test-output
# README image <- file the tests write in test-output/
# The everyday screens come from the demo portfolio of `make run` (as its
# collector Camila: tests/test_demo_screens.py); the others from the tests.
IMAGES="captura.png:demo-captura.png
cierre.png:cierre-resultado.png
seguimiento.png:demo-seguimiento.png
informe_aging.png:demo-informe_aging.png
informe_movimiento.png:informe_movimiento.png
informe_historico.png:informe_historico.png
informe_seguimientos.png:informe_seguimientos.png
informe_tareas.png:informe_tareas.png
informe_indicadores.png:informe_indicadores.png
informe_paginas_1.png:layout-standard-1.png
informe_paginas_2.png:layout-standard-2.png
agenda.png:demo-agenda.png
estado_cuenta.png:demo-estado_cuenta.png
estado_cuenta_asistente.png:estado_cuenta_asistente.png
estado_cuenta_envio.png:estado_cuenta_envio.png"
CARTERA_TEST_DB=${CARTERA_TEST_DB:-cartera_screenshots} bash scripts/test.sh \
    tests/test_capture_browser.py tests/test_closing_live.py \
    tests/test_reports_live.py tests/test_pdf_layout.py \
    tests/test_kpis_live.py tests/test_agenda_browser.py \
    tests/test_statement_live.py tests/test_demo_screens.py \
    || { echo "screenshots: the tests failed; README images left as they were"; exit 1; }
status=0
for pair in $IMAGES; do
    image=${pair%%:*}; shot=${pair#*:}
    if [ -f "$OUT/$shot" ]; then
        cp "$OUT/$shot" "$DESCRIPTION/$image"
        echo "screenshots: $image <- test-output/$shot"
    else
        echo "screenshots: test-output/$shot missing" >&2; status=1
    fi
done
exit $status
