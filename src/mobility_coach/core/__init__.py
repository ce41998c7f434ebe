"""The pure core: everything that can be decided without a screen.

Nothing under ``core`` imports Textual or plays sound (a test checks), so the command line
and the headless reminder start fast and the logic is tested without a terminal.
"""
