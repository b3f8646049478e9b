"""Chat sessions, messages, safety events and memories arrive with the conversations issue."""
