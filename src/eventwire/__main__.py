"""`python -m eventwire` is the `eventwire` command."""

from eventwire.cli import main

raise SystemExit(main())
