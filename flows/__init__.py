"""Briefing's Prefect shell: tasks that call pipeline/, the briefing flow, the CLI."""
