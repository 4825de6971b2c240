"""singer-sdk's own target checks that apply to a write-to-API target (curated subset).

The generic file-driven SDK cases feed arbitrary streams (camelcase, arrays...) that this
target refuses by design; they are covered by our own unknown-stream tests instead.
"""

from __future__ import annotations

from singer_sdk.testing import get_target_test_class
from singer_sdk.testing.suites import SingerTestSuite
from singer_sdk.testing.target_tests import TargetCliPrintsTest
from target_intacct.target import TargetIntacct

CONFIG = {
    "company_id": "C",
    "sender_id": "s",
    "sender_password": "sender-secret",
    "user_id": "u",
    "user_password": "user-secret",
    "api_url": "http://127.0.0.1:9/ia/xml/xmlgw.phtml",
    "results_path": "/dev/null",
}

TestTargetIntacctStandard = get_target_test_class(
    TargetIntacct,
    config=CONFIG,
    include_target_tests=False,
    custom_suites=[SingerTestSuite(kind="target", tests=[TargetCliPrintsTest])],
)
