"""The staff console: a web application over bot/ where staff work the DPO queue (see app.create_app)."""
