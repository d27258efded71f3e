"""Leaf size of distilled forest students (issue 8): the package's recipe
(shared transfer set, bootstrap off, teacher argmax targets; min_samples_leaf
x rows-per-training-row) against leaves sqrt-scaled or unscaled.

python run_forest_leaves.py --max-train 10000 --seeds 0 1 --students f10 \
    --forest-variants nb_hard nb_hard_sqrt nb_hard_none --no-extra \
    --out results/forest_leaves.jsonl
"""
import run_variants

run_variants.VARIANTS.update(
    nb_hard=dict(bootstrap=False, T=0.0),
    nb_hard_sqrt=dict(bootstrap=False, T=0.0, msl="sqrt"),
    nb_hard_none=dict(bootstrap=False, T=0.0, msl="none"),
    # leaves relabelled with temperature-1 targets, as the package does
    nb_hard_rl=dict(bootstrap=False, T=0.0, relabel=True),
    nb_hard_sqrt_rl=dict(bootstrap=False, T=0.0, msl="sqrt", relabel=True),
)

_relabel = run_variants.relabel


def relabel(c, teacher, v, model):
    """Relabel every tree of a forest (the harness relabels single trees)."""
    if hasattr(model, "estimators_"):
        _relabel(c, teacher, v, list(model.estimators_))
        return model
    return _relabel(c, teacher, v, model)


run_variants.relabel = relabel

if __name__ == "__main__":
    run_variants.main()
