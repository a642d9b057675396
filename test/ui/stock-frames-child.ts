// Child of test/ui/bundle-render.test.ts: the walk with stock Ink (plain node, no routing).
import { walkFrames } from './bundle-frames';

// exit once the pipe has taken all of it (a write to a pipe is asynchronous)
process.stdout.write(JSON.stringify(await walkFrames()), () => process.exit(0));
