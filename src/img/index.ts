// `virtyard img …`: a qemu-img 7.2 compatible subset over engine/qcow2. Same output formats,
// messages and exit codes as qemu-img, with "virtyard img: " where qemu-img says "qemu-img: ".
import { ImgError, reason, type Io } from './errors';
import { check } from './cmd/check';
import { commit } from './cmd/commit';
import { compare } from './cmd/compare';
import { convert } from './cmd/convert';
import { create } from './cmd/create';
import { info } from './cmd/info';
import { map } from './cmd/map';
import { rebase } from './cmd/rebase';
import { resize } from './cmd/resize';
import { snapshot } from './cmd/snapshot';

export const PROG = 'virtyard img';

const COMMANDS: Record<string, { syntax: string; run: (argv: string[], io: Io) => number }> = {
  check: { syntax: 'check [-q] [-f fmt] [--output=ofmt] [-r [leaks | all]] filename', run: check },
  commit: { syntax: 'commit [-q] [-f fmt] [-d] filename', run: commit },
  compare: { syntax: 'compare [-f fmt] [-F fmt] [-q] [-s] filename1 filename2', run: compare },
  convert: { syntax: 'convert [-c] [-q] [-f fmt] [-O output_fmt] [-B backing_file -F backing_fmt] [-o options] filename output_filename', run: convert },
  create: { syntax: 'create [-q] [-f fmt] [-b backing_file -F backing_fmt] [-o options] filename [size]', run: create },
  info: { syntax: 'info [-f fmt] [--output=ofmt] [--backing-chain] filename', run: info },
  map: { syntax: 'map [-f fmt] [--output=ofmt] filename', run: map },
  snapshot: { syntax: 'snapshot [-q] [-l | -a snapshot | -c snapshot | -d snapshot] filename', run: snapshot },
  rebase: { syntax: 'rebase [-q] [-f fmt] [-u] -b backing_file [-F backing_fmt] filename', run: rebase },
  resize: { syntax: 'resize [-f fmt] [-q] [--shrink] filename [+ | -]size', run: resize },
};

export function helpText(): string {
  return (
    `usage: ${PROG} command [command options]\n` +
    'Disk image utility for raw and qcow2 images (a qemu-img 7.2 compatible subset)\n\n' +
    "    '-h', '--help'       display this help and exit\n\n" +
    'Command syntax:\n' +
    Object.values(COMMANDS).map((c) => `  ${c.syntax}\n`).join('') +
    '\nCommand parameters:\n' +
    "  'filename' is a disk image filename\n" +
    "  'fmt' is the disk image format (qcow2 or raw). It is guessed automatically in most cases\n" +
    "  'size' is the disk image size in bytes. Optional suffixes 'k' or 'K' (kilobyte, 1024),\n" +
    "    'M' (megabyte, 1024k), 'G' (gigabyte, 1024M), 'T' (terabyte, 1024G), 'P' (petabyte, 1024T)\n" +
    "    and 'E' (exabyte, 1024P) are supported. 'b' is ignored.\n" +
    "  'output_filename' is the destination disk image filename\n" +
    "  'output_fmt' is the destination format (qcow2 or raw)\n" +
    "  'options' is a comma separated list of format specific options in a name=value format.\n" +
    '    Use -o help for an overview of the options supported by the used format\n' +
    "  'ofmt' is 'human' or 'json'\n" +
    "  '-c' indicates that target image must be compressed (qcow2 only)\n" +
    "  '-u' rebases unsafely: only the header changes (old and new backing files must match)\n" +
    "  '-q' use Quiet mode - do not print any output (except errors)\n" +
    "  '--shrink' allows resize to make the image smaller (data beyond the new end is lost)\n\n" +
    'Supported formats: qcow2 raw\n'
  );
}

function printError(io: Io, message: string, usage: boolean): void {
  const [first, ...rest] = message.split('\n');
  io.stderr(`${PROG}: ${first}\n` + rest.map((l) => l + '\n').join(''));
  if (usage) io.stderr(`Try '${PROG} --help' for more information\n`);
}

export function runImg(argv: string[], io: Io): number {
  const [cmd, ...rest] = argv;
  if (cmd === undefined) {
    printError(io, 'Not enough arguments', true);
    return 1;
  }
  if (cmd === '-h' || cmd === '--help' || cmd === 'help') {
    io.stdout(helpText());
    return 0;
  }
  const c = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!c) {
    printError(io, `Command not found: ${cmd}`, true);
    return 1;
  }
  if (rest.includes('-h') || rest.includes('--help')) {
    io.stdout(helpText());
    return 0;
  }
  try {
    return c.run(rest, io);
  } catch (e) {
    if (e instanceof ImgError) {
      printError(io, e.message, e.usage);
      return e.exitCode;
    }
    // Library and system errors: qemu-img style one-liner, never a stack trace.
    printError(io, reason(e), false);
    return 1;
  }
}
