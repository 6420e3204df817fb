"""What the records app tells the apps above it (notify), sent after the commit."""

from django.dispatch import Signal

# certificate: the TransferCertificate issued, or cancelled (its credential revoked).
tc_issued = Signal()
tc_cancelled = Signal()
