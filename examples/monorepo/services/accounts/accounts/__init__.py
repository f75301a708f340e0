"""accounts: a placeholder service for the wharf monorepo example."""
