"""The signon app's writes: invitations (invitations.py) and sign-on identities (sso.py)."""

from hazri.signon.services.invitations import (
    Issued,
    invitation_issue,
    invitation_redeem,
    invitation_redeem_with_password,
    invitation_revoke,
    invitations_issue_for_section,
    invitations_issue_for_staff,
)
from hazri.signon.services.sso import sso_identity_resolve

__all__ = [
    "Issued",
    "invitation_issue",
    "invitation_redeem",
    "invitation_redeem_with_password",
    "invitation_revoke",
    "invitations_issue_for_section",
    "invitations_issue_for_staff",
    "sso_identity_resolve",
]
