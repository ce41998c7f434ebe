"""Routines: the YAML format, the loader, the model, timelines, search, the exercise
catalog, how a step is worded, finding a routine by what a user typed, what 'validate'
finds, and the starter file 'new' writes."""
