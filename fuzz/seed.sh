#!/usr/bin/env bash
# Seeds the corpora: every shipped checklist as text and as a template xlsx (zicha template --from).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/checklist_parse corpus/sheet_import
cp ../checklists/*.toml corpus/checklist_parse/
ZICHA="${ZICHA:-../target/debug/zicha}"
for file in ../checklists/*.toml; do
  id="$(basename "$file" .toml)"
  "$ZICHA" template --from "$id" -o "corpus/sheet_import/$id.xlsx" --force 2>/dev/null
done
"$ZICHA" template -o corpus/sheet_import/empty.xlsx --force 2>/dev/null
printf '分类,序号,检查内容,隐患描述,依据条款,分值,隐患级别\n消防,1,灭火器有效,灭火器过期,消防法 第十六条,5,一般\n' > corpus/sheet_import/small.csv
