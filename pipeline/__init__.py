"""Briefing's functional core: plain Python stages, no orchestration (no Prefect here)."""
