// Stand-alone entry for end-to-end tests: `node --import tsx src/img/main.ts <args>`.
import { runImg } from './index';

process.exitCode = runImg(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
});
