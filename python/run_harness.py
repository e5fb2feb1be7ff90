"""Entry script for the sandbox: ``python3 -I -B run_harness.py --agent ... --problem ... --output ...``.

Equivalent to ``python3 -m shoparena_runtime.harness`` but works in isolated mode (``-I``), where neither
PYTHONPATH nor the script's directory is on ``sys.path``: it puts its own directory there first.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from shoparena_runtime.harness import _exit, main  # noqa: E402

if __name__ == "__main__":
    _exit(main())
