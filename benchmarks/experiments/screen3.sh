#!/bin/bash
# Third screening pass (3,000 rows, seeds 0 1, both teachers, 8 sets; screening caches):
# best-of-K by fidelity, margin-weighted transfer rows, fidelity-boosted reweighting,
# against hard_w16_rl as the control. Size-limited students d8 L64 d4 first, d12 last.
# (satimage seed 0 rows came from the timing run, same code: results/tmp_est.jsonl.)
cd "$(dirname "$0")" && . ../../.venv/bin/activate
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
V="hard_w16_rl hard_w16_rl_best8 hard_w16_rl_best8q hard_w16_rl_margin hard_w16_rl_margin2 hard_w16_rl_unsure hard_w16_rl_fboost"
R="nice -n 10 python run_variants.py --max-train 3000 --seeds 0 1 --oof --out results/screen3.jsonl"
$R --students d8 L64 d4 --variants $V
$R --students d12 --variants $V
# pass 3 (added after passes 1-2): selection on the growing rows themselves (no hold-out)
$R --students d8 L64 d4 --variants hard_w16_rl_fboost_in hard_w16_rl_best8_in
