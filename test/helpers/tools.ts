// External tools (qemu-img, qemu-io, tmux, virsh) are optional locally but mandatory in CI:
// a suite that needs one calls hasTool() at load time and uses describe.skipIf(!has).
// Without the tool it prints a visible skip notice; under CI=true it throws instead.
import { spawnSync } from 'node:child_process';

const cache = new Map<string, boolean>();

export function hasTool(name: string): boolean {
  let ok = cache.get(name);
  if (ok === undefined) {
    ok = spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
    cache.set(name, ok);
    if (!ok) {
      if (process.env.CI === 'true') throw new Error(`required tool '${name}' is missing (CI=true never skips)`);
      console.warn(`\n*** SKIPPING tests that need '${name}': not installed (apt-get install it) ***\n`);
    }
  }
  return ok;
}
