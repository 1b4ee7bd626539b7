"""Article → laid-out pages: photos, the layout's HTML, WeasyPrint and its seam."""
