"""Domain and storage: no Qt, no spaCy."""
