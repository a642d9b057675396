// `create`: a new raw or qcow2 image, optionally over a backing file.
import { createImage, probeFormat } from '../../../engine/qcow2/index';
import { last, parseArgs } from '../args';
import { backingPath, backingSize } from '../backing';
import { driverChecks, formattingLine, OPTS_HELP, parseOptString, toCreateOptions, typedOpts, type RawOpts } from '../create-opts';
import { ImgError, reason, usageError, type Io } from '../errors';
import { checkCreateFormat } from '../open';
import { INVALID_SIZE, parseSize } from '../size';
import { closeIfOpen } from './util';

export function create(argv: string[], io: Io): number {
  const p = parseArgs(argv, { short: 'F:b:f:ho:qu', long: { help: false } });
  const fmtName = last(p, 'f') ?? 'raw';
  const quiet = p.opts.some(([o]) => o === 'q');
  const optStrings = p.opts.filter(([o]) => o === 'o').map(([, v]) => v);
  if (optStrings.some((s) => s === 'help' || s === '?')) {
    io.stdout(OPTS_HELP[checkCreateFormat(fmtName)] + '\n');
    return 0;
  }
  if (p.operands.length < 1) throw usageError('Expecting image file name');
  if (p.operands.length > 2) throw usageError('Unexpected argument: ' + p.operands[2]);
  const [file, sizeArg] = p.operands;
  const format = checkCreateFormat(fmtName, file);
  const raw: RawOpts = {};
  for (const s of optStrings) parseOptString(s, format, file, raw);
  const b = last(p, 'b');
  const bf = last(p, 'F');
  if (b !== undefined) {
    if (format !== 'qcow2') throw new ImgError(`${file}: Backing file not supported for file format '${format}'`);
    raw.backing_file = b;
  }
  if (bf !== undefined) raw.backing_fmt = bf;
  if (sizeArg !== undefined) {
    if (parseSize(sizeArg) === undefined) throw new ImgError(INVALID_SIZE);
    raw.size = String(parseSize(sizeArg));
  }
  const t = typedOpts(file, format, raw);
  let size = t.size;
  if (raw.backing_file !== undefined) {
    if (raw.backing_fmt === undefined) {
      let detected = 'raw';
      try {
        detected = probeFormat(backingPath(file, raw.backing_file));
      } catch {
        // an unreadable backing file is reported by backingSize below
      }
      backingSize(file, raw.backing_file, detected as 'raw' | 'qcow2');
      throw new ImgError(`${file}: Backing file specified without backing format\nDetected format of ${detected}.`);
    }
    const bsize = backingSize(file, raw.backing_file, raw.backing_fmt as 'raw' | 'qcow2');
    size ??= bsize;
  }
  if (size === undefined) throw new ImgError(`${file}: Image creation needs a size parameter`);
  if (!quiet) io.stdout(formattingLine(file, format, size, raw, t.clusterSize));
  driverChecks(file, t);
  try {
    closeIfOpen(createImage(file, toCreateOptions(t, size, raw)));
  } catch (e) {
    throw new ImgError(`${file}: ${reason(e)}`);
  }
  return 0;
}
