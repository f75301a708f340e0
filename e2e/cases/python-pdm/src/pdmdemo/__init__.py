"""A PDM app: escapes HTML with Werkzeug's MarkupSafe and sends a blinker signal."""
