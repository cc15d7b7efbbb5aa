"""Shared leaf: the run configuration (schema) and how it is loaded."""
