"""Widgets that draw step results."""
