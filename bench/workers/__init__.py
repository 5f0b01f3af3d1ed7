"""Programs a case runs in a fresh interpreter, so each side's peak memory is its own."""
