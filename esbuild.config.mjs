// Bundles the CLI/TUI into one ESM file: bundling is what makes startup fast
// (Ink's dependency graph costs ~300 ms unbundled), and NODE_ENV=production halves React's render cost.
import { build } from 'esbuild';
import { chmodSync, mkdirSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
await build({
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/virtyard.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  define: { 'process.env.NODE_ENV': '"production"' },
  alias: { 'react-devtools-core': './src/stubs/devtools.ts' },
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  logLevel: 'warning',
  legalComments: 'none',
});
chmodSync('dist/virtyard.js', 0o755);
