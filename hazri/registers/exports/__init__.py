"""The register as a document: the shared layout, the PDF and the spreadsheet."""
