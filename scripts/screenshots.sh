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
# Every picture comes from the demo portfolio of `make run` (real customers,
# balances and follow-ups), as its collector Camila or its manager Luisa:
# tests/test_demo_screens.py, on a database built fresh with that demo.
IMAGES="agenda.png:demo-agenda.png
captura.png:demo-captura.png
seguimiento.png:demo-seguimiento.png
informe_aging.png:demo-informe_aging.png
informe_movimiento.png:demo-informe_movimiento.png
informe_historico.png:demo-informe_historico.png
informe_seguimientos.png:demo-informe_seguimientos.png
informe_tareas.png:demo-informe_tareas.png
informe_indicadores.png:demo-informe_indicadores.png
informe_paginas_1.png:demo-informe_paginas-1.png
informe_paginas_2.png:demo-informe_paginas-2.png
estado_cuenta.png:demo-estado_cuenta.png
estado_cuenta_asistente.png:demo-estado_cuenta_asistente.png
estado_cuenta_envio.png:demo-estado_cuenta_envio.png
cierre.png:demo-cierre.png
plan_cobro.png:demo-dunning_plan.png
ejecucion_cobro.png:demo-dunning_run.png"
CARTERA_TEST_DB=${CARTERA_TEST_DB:-cartera_screenshots} bash scripts/test.sh \
    tests/test_dunning_screens.py tests/test_demo_screens.py \
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
