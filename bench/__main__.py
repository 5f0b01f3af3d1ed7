"""`python -m bench`: list the cases and run them (see bench.run)."""

from bench.run import main

raise SystemExit(main())
