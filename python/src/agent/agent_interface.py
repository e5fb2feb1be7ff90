"""ORO import path of ``shoparena_runtime.agent_interface``.

This module replaces itself in ``sys.modules`` with the real module, so both import paths share one object
(one tool registry, one set of functions).
"""

import sys

import shoparena_runtime.agent_interface as _impl

sys.modules[__name__] = _impl
