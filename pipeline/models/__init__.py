"""Shared: where each model comes from (locate/fetch), the per-process cache of loaded
engines, tiny test models."""
