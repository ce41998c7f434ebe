"""mobility-coach: guided mobility routines and sitting-break reminders for desk workers."""

__version__ = "0.1.0"
