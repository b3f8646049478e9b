"""Reads of the conversations app, scoped to who asks."""
