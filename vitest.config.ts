import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// The TUI tests run Ink as the bundle does (esbuild.config.mjs): its text measuring and frame
// grid routed to ui/ink/. Ink is inlined so that its own imports go through this resolver.
const SHIMS: Record<string, string> = { 'string-width': 'string-width.ts', '@alcalzone/ansi-tokenize': 'ansi-tokenize.ts' };
const inkAsBundled = {
  name: 'ink-as-bundled',
  enforce: 'pre' as const,
  resolveId(source: string, importer?: string) {
    if (!importer) return null;
    if (SHIMS[source] && /[\\/]node_modules[\\/](ink|widest-line)[\\/]/.test(importer)) return join(__dirname, 'ui/ink', SHIMS[source]);
    if (source === './output.js' && /[\\/]node_modules[\\/]ink[\\/]build[\\/]renderer\.js$/.test(importer)) return join(__dirname, 'ui/ink/output.ts');
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
    server: { deps: { inline: ['ink', 'widest-line'] } },
  },
});
