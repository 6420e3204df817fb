"""Exchange in the field's standards: 1EdTech OneRoster 1.2 CSV and Ed-Fi attendance events."""
