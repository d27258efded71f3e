"""The core package must work without torch; sklearn_kd.torch must say what it needs."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import subprocess
import sys
import textwrap

import pytest

MESSAGE = (
    "sklearn_kd.torch requires torch and skorch: pip install -c "
    "constraints.txt '.[torch]' from a clone of sklearn_kd"
)


def _run(code):
    """Run ``code`` in a fresh interpreter; return its exit status and output."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


def test_import_sklearn_kd_does_not_import_torch():
    """Check that importing sklearn_kd and fitting the default model skip torch."""
    code = """
    import sys
    import sklearn_kd
    from sklearn.datasets import load_iris
    X, y = load_iris(return_X_y=True)
    sklearn_kd.DistilledClassifier(random_state=0).fit(X, y)
    heavy = sorted({"torch", "skorch", "sklearn_kd.torch"} & set(sys.modules))
    assert not heavy, heavy
    """
    status, output = _run(code)
    assert status == 0, output


# Two ways to make `import torch` fail: a finder that refuses the package, as
# when it is not installed, and a None entry in sys.modules. The latter confuses
# scipy's array API helpers, so sklearn_kd is imported before it is set.
_BLOCKERS = {
    "finder": """
    import importlib.abc

    class Refuse(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] == {blocked!r}:
                raise ModuleNotFoundError(f"No module named {{name!r}}")

    sys.meta_path.insert(0, Refuse())
    import sklearn_kd
    """,
    "sys_modules": """
    import sklearn_kd
    sys.modules[{blocked!r}] = None
    """,
}


@pytest.mark.parametrize("blocker", sorted(_BLOCKERS))
@pytest.mark.parametrize("blocked", ["torch", "skorch"])
def test_import_sklearn_kd_torch_without_backend(blocked, blocker):
    """Check that sklearn_kd.torch without torch or skorch raises a helpful error."""
    block = textwrap.dedent(_BLOCKERS[blocker].format(blocked=blocked))
    code = f"""
import sys
{block}
try:
    import sklearn_kd.torch
except ImportError as e:
    assert str(e) == {MESSAGE!r}, str(e)
    assert isinstance(e.__cause__, ImportError), repr(e.__cause__)
    # the blocked package, or the other one where it is not installed either
    assert "torch" in str(e.__cause__) or "skorch" in str(e.__cause__), e.__cause__
else:
    raise AssertionError("no ImportError")
"""
    status, output = _run(code)
    assert status == 0, output
