"""The Textual face of mobility-coach: thin screens over the pure core."""
