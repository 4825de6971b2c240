"""Allow `python -m target_intacct`."""

from target_intacct.target import TargetIntacct

TargetIntacct.cli()
