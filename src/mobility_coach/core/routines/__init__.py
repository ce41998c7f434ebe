"""Routines: the YAML format, the loader, the model, timelines, search and the starter file."""
