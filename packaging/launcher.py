"""Entry script of the frozen app: the same `annotator` command as the pip install."""

import multiprocessing

from annotator.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # Windows/macOS: a spawned child must not rerun the CLI
    raise SystemExit(main())
