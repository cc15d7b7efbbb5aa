"""Stage 8, render: the Briefing as Markdown, HTML and JSON, written atomically."""
