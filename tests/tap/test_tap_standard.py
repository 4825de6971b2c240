"""singer-sdk's standard tap tests, against a real sandbox.

`get_tap_test_class` discovers streams while pytest collects this module (before any
fixture exists), so the sandbox for these tests is started at import and stopped at exit.
"""

from __future__ import annotations

import atexit

from sandbox_process import start_sandbox
from singer_sdk.testing import SuiteConfig, get_tap_test_class
from tap_intacct.tap import TapIntacct

_SANDBOX = start_sandbox(seed="demo")
atexit.register(_SANDBOX.stop)

# Objects the demo company has no records of cannot return one; every other must.
_EMPTY = [name.lower() for name, count in _SANDBOX.stats()["records"].items() if not count]

TestTapIntacctStandard = get_tap_test_class(
    tap_class=TapIntacct,
    config=_SANDBOX.config(page_size=50),
    suite_config=SuiteConfig(max_records_limit=20, ignore_no_records_for_streams=_EMPTY),
)
