"""History: the SQLite store, the cracking journal and statistics."""
