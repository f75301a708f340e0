"""wharf e2e case: uses two vendored packages installed from wheels."""
