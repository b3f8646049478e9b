"""Archives, retention, export and erasure arrive with the data lifecycle issue."""
