// `resize FILE [+|-]SIZE`: grow, or shrink only with --shrink (qemu-img refuses otherwise).
import { has, last, parseArgs } from '../args';
import { ImgError, reason, usageError, type Io } from '../errors';
import { withImage } from '../open';
import { parseSize } from '../size';

const BAD_SIZE =
  "Parameter 'size' expects a non-negative number below 2^64\n" +
  'Optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, peta-\nand exabytes, respectively.';

export function resize(argv: string[], io: Io): number {
  // Like qemu-img, the size is always the last word, taken before option parsing so "-1G" is no option.
  if (argv.length < 2) throw usageError('Not enough arguments');
  const sizeArg = argv[argv.length - 1];
  const p = parseArgs(argv.slice(0, -1), { short: 'f:hq', long: { shrink: false, help: false } });
  if (p.operands.length !== 1) throw usageError('Expecting image file name and size');
  const file = p.operands[0];
  const sign = sizeArg[0] === '+' ? 1 : sizeArg[0] === '-' ? -1 : 0;
  const n = parseSize(sign ? sizeArg.slice(1) : sizeArg);
  if (n === undefined) throw new ImgError(BAD_SIZE);
  return withImage(file, { format: last(p, 'f'), readOnly: false, io }, (img) => {
    const current = img.virtualSize;
    const target = sign ? current + sign * n : n;
    if (target <= 0) throw new ImgError('New image size must be positive');
    if (target < current && !has(p, 'shrink')) {
      throw new ImgError(
        'Use the --shrink option to perform a shrink operation.\n' +
          "virtyard img: warning: Shrinking an image will delete all data beyond the shrunken image's end. " +
          'Before performing such an operation, make sure there is no important data there.',
      );
    }
    if (target !== current) {
      try {
        img.resize(target, { shrink: target < current });
        img.flush();
      } catch (e) {
        throw new ImgError(reason(e));
      }
    }
    if (!has(p, 'q')) io.stdout('Image resized.\n');
    return 0;
  });
}
