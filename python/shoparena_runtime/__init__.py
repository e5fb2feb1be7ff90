"""ShopArena sandbox runtime: what runs inside the sandbox next to a miner's agent file.

Standard library only. Modules:

- ``agent_interface`` -- every name of ORO's module: ``Tool`` registry, ``execute_tool_call``,
  ``generate_tool_call_id``, ``create_dialogue_step``, ...
- ``proxy_client`` -- every name of ORO's module: ``ProxyClient`` for ``/search/*`` and ``/inference/*``
  through the sandbox proxy, ``RequestLog``, ``InferenceStats``, ``DEFAULT_*``.
- ``harness`` -- loads one agent file, runs ``agent_main`` on one problem, writes one result JSON.
- ``bridge`` -- TCP (127.0.0.1) to Unix-socket forwarder used by the harness to reach the proxy.
- ``dialogue`` -- validation, ORO post-processing and size bounding of the returned steps.
- ``analyze`` -- static analysis of a submitted agent file (JSON on stdout).
- ``importcheck`` -- the analysis of imports of runtime names that do not exist.

ORO agents import the same helpers as ``src.agent.agent_interface`` / ``src.agent.proxy_client``;
the ``src/agent`` package next to this one maps those names onto these modules.
"""

__all__ = ["agent_interface", "proxy_client", "harness", "bridge", "dialogue", "analyze", "importcheck"]

RESULT_SCHEMA = "shoparena.harness-result/1"
