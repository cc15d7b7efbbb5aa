"""Stage 5, synthesis: story groups, cited key points, divergences and the timeline across
sources."""
