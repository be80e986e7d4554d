// `npm run lint` (with knip, madge and Prettier; see package.json). Next's core-web-vitals rules everywhere, and
// typescript-eslint's strict type-checked rules on the code that ships (app, components, lib, proxy.ts); tests,
// e2e specs, benches, scripts and the sandbox get the untyped recommended rules, so the suite stays quick to lint.
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import tseslint from "typescript-eslint";

const shipped = ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "lib/**/*.{ts,tsx}", "proxy.ts", "instrumentation.ts"];
const tests = ["**/*.test.{ts,tsx}"];

export default defineConfig([
  globalIgnores([".next/**", "bench/forward/**", ".data/**", "test-results/**", "test-summary/**", "next-env.d.ts", "types/**"]),
  ...nextVitals,
  {
    files: shipped,
    ignores: tests,
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Numbers and booleans read plainly in messages; nullable values must still be said out loud.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true }],
      // `() => setOpen(false)` in JSX handlers is the idiom, not a confusion.
      "@typescript-eslint/no-confusing-void-expression": ["error", { ignoreArrowShorthand: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // An abort rejects with the signal's reason (a DOMException), as fetch does.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingAny: true, allowThrowingUnknown: true }],
      // `async` without `await` is deliberate in implementations of Promise-returning interfaces: a throw becomes a
      // rejection, as callers expect.
      "@typescript-eslint/require-await": "off",
      // The drivers' types are not always the runtime: aggregates and numeric columns can come back from PostgreSQL as
      // strings where Kysely's types say number, so Number() at those edges is deliberate.
      "@typescript-eslint/no-unnecessary-type-conversion": "off",
      // After sign-out, a revoked session or a step-up the portal navigates with a full page load on purpose, so no
      // client state (SWR caches, revealed contact details) survives into the next session.
      "@next/next/no-location-assign-relative-destination": "off",
    },
  },
  {
    // Server components and route handlers render once per request: reading the clock there is not impure rendering.
    files: ["app/**/*.{ts,tsx}"],
    rules: { "react-hooks/purity": "off" },
  },
  {
    files: ["**/*.{ts,tsx,mts}"],
    ignores: shipped,
    extends: [tseslint.configs.recommended],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: tests,
    extends: [tseslint.configs.recommended],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
]);
