"""Report cards per term and year: grades, attendance, remarks and rank, printed and signed."""
