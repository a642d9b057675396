// Child process for crash.test.ts: writes a deterministic sequence into fresh regions of an image,
// flushing periodically and printing "flushed N" after each completed flush. It is SIGKILLed.
import { openImage } from '../../../engine/qcow2';
import { crashOps } from './crash-ops';

const [file, every] = process.argv.slice(2);
const img = openImage(file);
process.stdout.write('ready\n');
const ops = crashOps(img.virtualSize);
for (let i = 0; i < ops.length; i++) {
  const op = ops[i];
  img.write(op.off, op.data());
  if ((i + 1) % Number(every) === 0) {
    img.flush();
    process.stdout.write(`flushed ${i}\n`);
  }
}
img.close();
process.stdout.write('done\n');
