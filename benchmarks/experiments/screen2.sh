#!/bin/bash
# Second screening pass (same caches): no transfer set (honest targets only),
# 0-1 pruning and real-row weight for capacity-limited trees, leaf scaling for
# deep trees, leaf size for forests.
cd "$(dirname "$0")" && . ../../.venv/bin/activate
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
for seed in 0 1; do
R="nice -n 10 python run_variants.py --max-train 3000 --seeds $seed --oof --out results/screen.jsonl"
$R --students L64 --variants s0 s0_T0.5_oof hard_prune01_rl hard_w4_rl T0.5_w4_rl
$R --students d8 d4 d12 --variants s0 s0_T0.5_oof hard_w4_rl
$R --students unl d12 --variants sqrtscale T0.5_sqrtscale noscale
$R --students f10 --variants pkg --forest-variants s0 pt_nb_hard_sqrt
done
