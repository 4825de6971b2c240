"""`python -m intacct_sandbox` runs the same command line as `intacct-sandbox`."""

from intacct_sandbox.cli import main

raise SystemExit(main())
