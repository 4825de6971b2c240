"""Singer tap for Sage Intacct."""
