import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// The TUI tests run Ink as the bundle does (esbuild.config.mjs): what ui/ink/routes.json lists goes
// to ui/ink/. Ink is inlined so that its own imports go through this resolver.
const ROUTES = JSON.parse(readFileSync(join(__dirname, 'ui/ink/routes.json'), 'utf8')) as Record<'packages' | 'inkModules', Record<string, string>>;
const inkAsBundled = {
  name: 'ink-as-bundled',
  enforce: 'pre' as const,
  resolveId(source: string, importer?: string) {
    if (!importer) return null;
    if (Object.hasOwn(ROUTES.packages, source) && /[\\/]node_modules[\\/]ink[\\/]/.test(importer)) return join(__dirname, 'ui/ink', ROUTES.packages[source]);
    if (Object.hasOwn(ROUTES.inkModules, source) && /[\\/]node_modules[\\/]ink[\\/]build[\\/][^\\/]+$/.test(importer)) return join(__dirname, 'ui/ink', ROUTES.inkModules[source]);
    return null;
  },
};

export default defineConfig({
  plugins: [inkAsBundled],
  // Inlined, Ink's published source maps warn of sources it does not ship, once per file.
  logLevel: 'error',
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // dist/ is built (if stale) before any file runs, never by a file while others spawn the CLI.
    globalSetup: ['test/cli/global-build.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    server: { deps: { inline: ['ink'] } },
  },
});
