"""Documents nobody can forge: W3C Verifiable Credentials signed with Ed25519, their compact QR form, keys, revocation and verification."""
