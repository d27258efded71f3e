#!/bin/bash
# Continuation of confirm.sh (seed 0 ran from confirm.sh): seed 1 at 10,000 rows,
# then the guard experiment at 3,000 rows (screening caches, seeds 0 and 1), then
# seed 2 with the small sets first.
cd "$(dirname "$0")" && . ../../.venv/bin/activate
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
conf() {
R="nice -n 10 python run_variants.py --max-train 10000 --seeds $1 --pool 16 --pool-cap 200000 --out results/confirm.jsonl --datasets $2"
$R --students unl d12 --variants pkg sqrtscale hard_w16_rl
$R --students d8 L64 d4 --variants pkg hard_w16_rl
$R --students f10 --variants pkg --forest-variants pkg pt_nb_hard pt_nb_T0.5
}
ALL="satimage phoneme spambase kr_vs_kp adult nursery pendigits letter"
conf 1 "$ALL"
nice -n 10 python run_guard.py --max-train 3000 --seeds 0 1 --pool 64 \
  --spec unl=sqrtscale d12=sqrtscale d8=hard_w16_rl L64=hard_w16_rl d4=hard_w16_rl f10=pt_nb_hard \
  --out results/guard3k.jsonl
conf 2 "$ALL"
