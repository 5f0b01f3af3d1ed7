"""Readers and writers, one module per format, registered by name."""
