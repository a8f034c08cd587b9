# Spreadsheets (zicha import / template / export): the xlsx files Zicha writes are read back in the
# tests with openpyxl, an independent reader (cells, merged ranges, number formats, frozen panes).
pip_install "openpyxl==3.1.5"
