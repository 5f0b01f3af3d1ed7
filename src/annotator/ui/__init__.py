"""The only package that imports PySide6: the desktop workspace."""
