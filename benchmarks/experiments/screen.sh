#!/bin/bash
# Screening run: <=3000 training rows, seeds 0 and 1, both teachers, 8 sets.
cd "$(dirname "$0")" && . ../../.venv/bin/activate
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
for seed in 0 1; do
nice -n 10 python run_variants.py --max-train 3000 --seeds $seed --oof \
  --variants pkg T0.5 T0.25 hard hard_rl T0.5_rl s4_T0.5 s64 s64_T0.5 T0.5_w16 hard_w16_rl oof T0.5_oof \
  --forest-variants pkg T0.5 hard pt_nb pt_nb_T0.5 pt_nb_hard pt_nb_hard_rl nb_T0.5 \
  --out results/screen.jsonl
done
