"""A guided session: the player, its recorder, its outcome and the safety check-in texts."""
