// A module resolve hook doing what the bundle's ink-text-fast-paths plugin does (esbuild.config.mjs):
// Ink's string-width / ansi-tokenize imports and its Output go to ui/ink/. A benchmark child that
// registers it renders as dist/virtyard.js does, not as stock Ink does.
import { register } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function hook(): string {
  const shim = (f: string) => pathToFileURL(join(ROOT, 'ui/ink', f)).href;
  const code = `const SHIM = ${JSON.stringify({ 'string-width': shim('string-width.ts'), '@alcalzone/ansi-tokenize': shim('ansi-tokenize.ts') })};
const OUTPUT = ${JSON.stringify(shim('output.ts'))};
export async function resolve(spec, ctx, next) {
  if (SHIM[spec] && ctx.parentURL && /[\\/]node_modules[\\/](ink|widest-line)[\\/]/.test(ctx.parentURL)) return { url: SHIM[spec], format: 'module', shortCircuit: true };
  if (spec === './output.js' && ctx.parentURL && /[\\/]node_modules[\\/]ink[\\/]build[\\/]renderer\\.js$/.test(ctx.parentURL)) return { url: OUTPUT, format: 'module', shortCircuit: true };
  return next(spec, ctx);
}`;
  return `data:text/javascript,${encodeURIComponent(code)}`;
}

/** Routes Ink's imports as the bundle does, for every module imported after this call. */
export function routeInkAsBundle(): void {
  register(hook());
}
