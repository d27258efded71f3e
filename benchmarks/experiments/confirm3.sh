#!/bin/bash
# Third screen, confirmation at 10,000 rows (seeds 0 1, pool 16n: "best8"/"fboost" then
# grow on the first 12n rows and select on the last 4n; "_in" grow on 16n and select on them).
# teacher/labels/naive/hs rows were copied from results/confirm.jsonl (same seeds, deterministic).
cd "$(dirname "$0")" && . ../../.venv/bin/activate
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
R="nice -n 10 python run_variants.py --max-train 10000 --seeds 0 1 --pool 16 --pool-cap 200000 --out results/confirm3.jsonl"
$R --students d4 --variants hard_w16_rl hard_w16_rl_fboost_in hard_w16_rl_fboost hard_w16_rl_best8_in hard_w16_rl_best8
$R --students d8 L64 --variants hard_w16_rl hard_w16_rl_fboost_in hard_w16_rl_best8_in
# pass 3 (added after passes 1-2): hold-out selection (grow on 12n, select on 4n) for d8 and 64 leaves
$R --students d8 L64 --variants hard_w16_rl_best8
