"""The interop app's rows of the authorization matrix (merged in test_authorization_matrix)."""

from .matrix_rules import Rule

RULES: dict[str, Rule] = {}
PAGES: dict[str, Rule] = {}

# The Ed-Fi export's rows live in their own file (the OneRoster rows are above).
from .matrix_rules_interop_edfi import PAGES as _EDFI_PAGES  # noqa: E402
from .matrix_rules_interop_edfi import RULES as _EDFI_RULES  # noqa: E402

RULES.update(_EDFI_RULES)
PAGES.update(_EDFI_PAGES)
