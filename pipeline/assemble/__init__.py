"""Stage 7, assemble: the per-source reports and the Briefing they make up."""
