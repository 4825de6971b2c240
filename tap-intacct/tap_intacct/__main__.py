"""`python -m tap_intacct`."""

from tap_intacct.main import main

main()
