"""Sitting breaks: the schedule, working hours and the reminder's typed protocol."""
