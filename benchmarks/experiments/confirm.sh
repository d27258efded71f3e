#!/bin/bash
# Confirmation: up to 10,000 training rows, 3 seeds, 8 sets, both teachers,
# MUNGE pool 16x (capped at 200,000 rows as the package caps it), package
# defaults ("pkg") against the recommended variant per family. Seed-major so
# partial runs are usable. The guard experiment (3,000 rows, screening caches)
# runs between seeds 1 and 2.
cd "$(dirname "$0")" && . ../../.venv/bin/activate
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
conf() {
nice -n 10 python run_variants.py --max-train 10000 --seeds $1 --pool 16 --pool-cap 200000 \
  --variants pkg sqrtscale hard_w16_rl \
  --forest-variants pkg pt_nb_hard pt_nb_T0.5 \
  --out results/confirm.jsonl
}
conf 0
conf 1
nice -n 10 python run_guard.py --max-train 3000 --seeds 0 1 --pool 64 \
  --spec unl=sqrtscale d12=sqrtscale d8=hard_w16_rl L64=hard_w16_rl d4=hard_w16_rl f10=pt_nb_hard \
  --out results/guard3k.jsonl
conf 2
