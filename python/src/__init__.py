"""ORO compatibility: agents written for ORO import ``src.agent.agent_interface`` and ``src.agent.proxy_client``."""
