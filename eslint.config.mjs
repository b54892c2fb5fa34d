// Lint: TypeScript rules plus the layering of DEVELOPERS.md, enforced with no-restricted-imports.
import tseslint from "typescript-eslint";

const noVscode = {
  paths: [{ name: "vscode", message: "The engine (kernel/) never imports vscode: put VS Code glue in extension/." }],
};

export default tseslint.config(
  { ignores: ["out/**", "node_modules/**", ".e2e/**", "**/*.js", "**/*.mjs"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["kernel/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { ...noVscode, patterns: [{ group: ["**/extension/**"], message: "kernel/ must not depend on extension/." }] },
      ],
    },
  },
  {
    files: ["tsplugin/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          ...noVscode,
          patterns: [
            {
              regex: "kernel/(?!magics/magicLines$)",
              message:
                "tsplugin/ runs inside the TypeScript server: only kernel/magics/magicLines (pure) may be bundled.",
            },
            {
              group: ["**/extension/**"],
              message: "tsplugin/ runs inside the TypeScript server, not the extension host.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["webviews/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          ...noVscode,
          patterns: [
            { regex: "kernel/(?!protocol/)", message: "webviews/ may use only kernel/protocol (pure, browser-safe)." },
            { group: ["**/extension/**"], message: "webviews/ run in the browser: no extension/ code." },
          ],
        },
      ],
    },
  },
);
