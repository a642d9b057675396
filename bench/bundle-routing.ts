// A module resolve hook doing what the bundle's ink-text-fast-paths plugin does (esbuild.config.mjs):
// what ui/ink/routes.json lists — packages as Ink imports them, and Ink's own modules — goes to
// ui/ink/. A benchmark child that registers it renders as dist/virtyard.js does, not as stock Ink does.
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function hook(): string {
  const routes = JSON.parse(readFileSync(join(ROOT, 'ui/ink/routes.json'), 'utf8')) as Record<'packages' | 'inkModules', Record<string, string>>;
  const urls = (table: Record<string, string>) => Object.fromEntries(Object.entries(table).map(([k, f]) => [k, pathToFileURL(join(ROOT, 'ui/ink', f)).href]));
  const code = `const PACKAGES = ${JSON.stringify(urls(routes.packages))};
const INK_MODULES = ${JSON.stringify(urls(routes.inkModules))};
export async function resolve(spec, ctx, next) {
  const from = ctx.parentURL ?? '';
  if (Object.hasOwn(PACKAGES, spec) && /[\\/]node_modules[\\/]ink[\\/]/.test(from)) return { url: PACKAGES[spec], format: 'module', shortCircuit: true };
  if (Object.hasOwn(INK_MODULES, spec) && /[\\/]node_modules[\\/]ink[\\/]build[\\/][^\\/]+$/.test(from)) return { url: INK_MODULES[spec], format: 'module', shortCircuit: true };
  return next(spec, ctx);
}`;
  return `data:text/javascript,${encodeURIComponent(code)}`;
}

/** Routes Ink's imports as the bundle does, for every module imported after this call. */
export function routeInkAsBundle(): void {
  register(hook());
}
