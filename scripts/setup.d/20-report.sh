# The report's checkers (sourced by scripts/setup.sh): poppler-utils for pdftotext, pdffonts,
# pdfdetach, pdfimages and pdftoppm (page images for review), qpdf for `qpdf --check`.
# The report's font is not installed here: it ships in assets/fonts/ (see assets/fonts/README.md).
apt_install poppler-utils qpdf
