"""ORO import path of ``shoparena_runtime.proxy_client`` (the same module object, see ``agent_interface``)."""

import sys

import shoparena_runtime.proxy_client as _impl

sys.modules[__name__] = _impl
