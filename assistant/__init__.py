"""Rasa-side helpers that are not actions: the intent classifier component and `classify` for triage.

Nothing here is imported by bot/ at module level: bot/ stays free of Rasa.
"""
