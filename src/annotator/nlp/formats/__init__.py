"""The spaCy-backed import and export formats, registered with annotator.io's registries."""
