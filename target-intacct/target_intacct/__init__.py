"""target-intacct: a Singer target that writes unified or native records into Sage Intacct."""

__all__ = ["__version__"]
__version__ = "0.1.0"
