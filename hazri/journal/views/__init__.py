"""The journal's pages."""
