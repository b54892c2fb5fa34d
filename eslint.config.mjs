// Lint: TypeScript rules plus the layer table of DEVELOPERS.md, generated from its data in scripts/layers.mjs:
// import/no-restricted-paths zones for folders (every import form, `import type` included), no-restricted-imports
// for npm packages.
import importPlugin from "eslint-plugin-import";
import tseslint from "typescript-eslint";
import { ROOT, packageRuleBlocks, restrictedPathZones } from "./scripts/layers.mjs";

// import/no-restricted-paths sees import/export declarations, import() and require(), but not a type written as
// import("./x").T or `import x = require("./x")`: those are refused so that every relative import is checked.
const invisibleToLayers = "is invisible to the layer rules: write `import type` (or `import`) instead.";

export default tseslint.config(
  { ignores: ["out/**", "node_modules/**", ".e2e/**", "**/*.js", "**/*.mjs"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["**/*.ts"],
    plugins: { import: importPlugin },
    settings: { "import/resolver": { node: { extensions: [".ts", ".d.ts", ".js", ".json"] } } },
    rules: {
      "import/no-restricted-paths": ["error", { basePath: ROOT, zones: restrictedPathZones() }],
      "no-restricted-syntax": [
        "error",
        { selector: "TSImportType[source.value=/^\\./]", message: `A relative import("…") type ${invisibleToLayers}` },
        {
          selector: "TSExternalModuleReference[expression.value=/^\\./]",
          message: `A relative \`import x = require("…")\` ${invisibleToLayers}`,
        },
      ],
    },
  },
  ...packageRuleBlocks(),
);
