"""The public website page with the chat widget (static files) and the Rasa channel the widget talks to."""
