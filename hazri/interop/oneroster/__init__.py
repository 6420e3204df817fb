"""1EdTech OneRoster 1.2 CSV: export an area's roster as a bundle, import one (bulk or
delta) through the org and people services (docs/oneroster.md)."""
