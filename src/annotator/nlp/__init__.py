"""The only package that imports spaCy: suggestions, training, tokenisation."""
