// Bundles the CLI/TUI for a fast start: bundling is what makes startup fast (Ink's dependency
// graph costs ~300 ms unbundled), and NODE_ENV=production halves React's render cost.
// - splitting: the TUI (Ink, React, the panes) is its own file, loaded by `await import('./tui')`
//   only when the TUI starts, so a one-shot `virsh` command does not even parse it; Ink's devtools
//   (and the `ws` client) land in a file that is never loaded. All files stay in dist/ itself, so
//   paths relative to import.meta.url (../fixtures/default.yaml) hold in every one of them.
// - minify (names kept): less source to parse on every start. No sourcemap.
// - inkTextFastPaths: what ui/ink/routes.json lists goes through ui/ink/: exact fast paths for
//   plain text (test/ui/ink-shims.test.ts) — the first full frame is otherwise spent compiling
//   emoji regexes and segmenting every line, and every frame re-scans each text's escapes; Ink's
//   text caches, bounded; and Ink's frame grid (Output) as ui/ink/output.ts, typed arrays kept
//   between frames (test/ui/ink-output.test.ts).
// - yogaWithoutFetch: see below.
// - external: CommonJS packages the first frame does not need, required on first use instead
//   of parsed on every start (they resolve from node_modules next to dist/).
import { build } from 'esbuild';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(fileURLToPath(import.meta.url));

const ROUTES = JSON.parse(readFileSync(join(ROOT, 'ui/ink/routes.json'), 'utf8'));
const exactly = (names) => new RegExp(`^(${Object.keys(names).map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
const inkTextFastPaths = {
  name: 'ink-text-fast-paths',
  setup(b) {
    // Only Ink's own imports: the shims themselves import the real modules.
    b.onResolve({ filter: exactly(ROUTES.packages) }, (args) => {
      const shim = ROUTES.packages[args.path];
      if (!/[\\/]node_modules[\\/]ink[\\/]/.test(args.importer)) return undefined;
      return { path: join(ROOT, 'ui/ink', shim) };
    });
    b.onResolve({ filter: exactly(ROUTES.inkModules) }, (args) => {
      const shim = ROUTES.inkModules[args.path];
      if (!/[\\/]node_modules[\\/]ink[\\/]build[\\/][^\\/]+$/.test(args.importer)) return undefined;
      return { path: join(ROOT, 'ui/ink', shim) };
    });
  },
};

// yoga-layout's emscripten loader reads its inline (base64 data: URI) wasm through fetch() when
// fetch exists, which in Node loads the whole undici HTTP client (~25 ms of a ~250 ms start) to
// decode a string; without fetch it decodes the same bytes itself. The build fails if the loader
// changes, rather than silently losing this.
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(b) {
    b.onLoad({ filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, (args) => {
      const src = readFileSync(args.path, 'utf8');
      const from = 'function ya(){return w||"function"!=typeof fetch?';
      if (!src.includes(from)) throw new Error(`${args.path}: the wasm loader changed; revisit yogaWithoutFetch in esbuild.config.mjs`);
      return { contents: src.replace(from, 'function ya(){return true?'), loader: 'js' };
    });
  },
};

mkdirSync('dist', { recursive: true });
// Chunk names carry a hash: drop the previous build's.
for (const f of readdirSync('dist')) if (f !== 'virtyard.js' && f.endsWith('.js')) rmSync(join('dist', f));
await build({
  // The compute worker is a thread of its own (engine/sim/compute/parallel.ts loads it by path).
  entryPoints: { virtyard: 'src/cli.ts', 'compute-worker': 'engine/sim/compute/worker.ts' },
  outdir: 'dist',
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  keepNames: true,
  define: { 'process.env.NODE_ENV': '"production"' },
  alias: { 'react-devtools-core': './src/stubs/devtools.ts' },
  plugins: [inkTextFastPaths, yogaWithoutFetch],
  // Required lazily from node_modules on first use (engine/sim/console/view.ts,
  // engine/sim/fixture/yaml.ts), not bundled.
  external: ['@xterm/headless', 'yaml'],
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  logLevel: 'warning',
  legalComments: 'none',
});
chmodSync('dist/virtyard.js', 0o755);
