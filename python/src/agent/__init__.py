"""ORO import path for the ShopArena runtime helpers (``src.agent.agent_interface``, ``src.agent.proxy_client``)."""
