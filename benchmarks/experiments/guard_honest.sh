#!/bin/bash
# The honest-teacher hold-out guard (after run_guard.py has written results/guard3k.jsonl).
cd "$(dirname "$0")" && . ../../.venv/bin/activate
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
nice -n 10 python run_guard_honest.py --spec unl=sqrtscale d12=sqrtscale d8=hard_w16_rl L64=hard_w16_rl d4=hard_w16_rl f10=pt_nb_hard
