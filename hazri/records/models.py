"""One record for life: a child's whole history across schools and years, the year's results and promotion, transfer certificates."""
