"""The rosters app's rows of the authorization matrix (merged in test_authorization_matrix)."""

from .matrix_rules import Rule

RULES: dict[str, Rule] = {}
PAGES: dict[str, Rule] = {}
