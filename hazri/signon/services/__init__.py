"""The signon app's writes: invitations (invitations.py) and sign-on identities (sso.py)."""

from hazri.signon.services.invitations import (
    Issued,
    invitation_issue,
    invitation_redeem,
    invitation_redeem_with_password,
    invitation_revoke,
    invitations_issue_for_section,
)
from hazri.signon.services.sso import sso_identity_resolve

__all__ = [
    "Issued",
    "invitation_issue",
    "invitation_redeem",
    "invitation_redeem_with_password",
    "invitation_revoke",
    "invitations_issue_for_section",
    "sso_identity_resolve",
]
