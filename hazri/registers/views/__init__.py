"""The register pages (register), the approval queue (approvals) and a family's home
page (family)."""

from hazri.registers.views.approvals import approvals_page
from hazri.registers.views.family import family_page
from hazri.registers.views.register import register_page, register_pdf, register_xlsx

__all__ = ["approvals_page", "family_page", "register_page", "register_pdf", "register_xlsx"]
