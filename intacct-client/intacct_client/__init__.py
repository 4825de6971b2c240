"""intacct_client: well-behaved clients of Sage Intacct's XML gateway and REST API.

The public surface is documented in docs/client-api.md; everything listed there is
importable from this package.
"""

from intacct_client import filters, formatting, redaction, values
from intacct_client.client import IntacctClient
from intacct_client.config import DEFAULT_API_URL, DEFAULT_REST_API_URL, ClientConfig
from intacct_client.errors import (
    ErrorDetail,
    IntacctAuthenticationError,
    IntacctConfigurationError,
    IntacctControlError,
    IntacctError,
    IntacctFunctionError,
    IntacctObjectNotFoundError,
    IntacctPermissionError,
    IntacctRateLimitError,
    IntacctSessionExpiredError,
    IntacctTransportError,
    IntacctUnqueryableFieldsError,
)
from intacct_client.filters import Filter
from intacct_client.formatting import UserFormattingError
from intacct_client.functions import READ_FUNCTIONS, Function
from intacct_client.redaction import redact, register_secret
from intacct_client.rest_client import IntacctRestClient
from intacct_client.results import (
    ALREADY_EXECUTED_ERRORNO,
    FieldDefinition,
    FunctionResult,
    ObjectDefinition,
    ObjectSummary,
    QueryPage,
    Record,
    Relationship,
)

__version__ = "0.1.0"

__all__ = [
    "ALREADY_EXECUTED_ERRORNO",
    "DEFAULT_API_URL",
    "DEFAULT_REST_API_URL",
    "READ_FUNCTIONS",
    "ClientConfig",
    "ErrorDetail",
    "FieldDefinition",
    "Filter",
    "Function",
    "FunctionResult",
    "IntacctAuthenticationError",
    "IntacctClient",
    "IntacctConfigurationError",
    "IntacctControlError",
    "IntacctError",
    "IntacctFunctionError",
    "IntacctObjectNotFoundError",
    "IntacctPermissionError",
    "IntacctRateLimitError",
    "IntacctRestClient",
    "IntacctSessionExpiredError",
    "IntacctTransportError",
    "IntacctUnqueryableFieldsError",
    "ObjectDefinition",
    "ObjectSummary",
    "QueryPage",
    "Record",
    "Relationship",
    "UserFormattingError",
    "filters",
    "formatting",
    "redact",
    "redaction",
    "register_secret",
    "values",
]
