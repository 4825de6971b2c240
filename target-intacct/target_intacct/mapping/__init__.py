"""Mapping of unified streams (and native objects) to Intacct functions."""
