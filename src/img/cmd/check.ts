// `check`: consistency check (optionally repairing), qemu-img's summary lines, JSON and exit codes
// 0 consistent · 2 corrupted · 3 leaks only · 1 internal errors · 63 format without checks (raw).
import { checkImage } from '../../../engine/qcow2/index';
import type { CheckResult } from '../../../engine/qcow2/api';
import { last, outputFormat, parseArgs } from '../args';
import { ImgError, reason, usageError, type Io } from '../errors';
import { checkDriver, probe } from '../open';
import { toQemuJson } from '../qjson';
import { cFixed } from '../size';

const nz = (n: number) => (n ? n : undefined);

export function checkToQ(r: CheckResult) {
  return {
    filename: r.filename,
    format: r.format,
    'check-errors': r.checkErrors,
    'image-end-offset': nz(r.imageEndOffset),
    corruptions: nz(r.corruptions),
    leaks: nz(r.leaks),
    'corruptions-fixed': nz(r.corruptionsFixed),
    'leaks-fixed': nz(r.leaksFixed),
    'total-clusters': nz(r.totalClusters),
    'allocated-clusters': nz(r.allocatedClusters),
    'fragmented-clusters': nz(r.fragmentedClusters),
    'compressed-clusters': nz(r.compressedClusters),
  };
}

const pct = (a: number, b: number) => cFixed((a * 100) / b, 2);

export function humanCheck(r: CheckResult): string {
  let s = '';
  if (r.corruptionsFixed || r.leaksFixed) {
    s +=
      'The following inconsistencies were found and repaired:\n\n' +
      `    ${r.leaksFixed} leaked clusters\n    ${r.corruptionsFixed} corruptions\n\n` +
      'Double checking the fixed image now...\n';
  }
  if (!(r.corruptions || r.leaks || r.checkErrors)) s += 'No errors were found on the image.\n';
  else {
    if (r.corruptions)
      s += `\n${r.corruptions} errors were found on the image.\nData may be corrupted, or further writes to the image may corrupt it.\n`;
    if (r.leaks) s += `\n${r.leaks} leaked clusters were found on the image.\nThis means waste of disk space, but no harm to data.\n`;
    if (r.checkErrors) s += `\n${r.checkErrors} internal errors have occurred during the check.\n`;
  }
  if (r.totalClusters && r.allocatedClusters) {
    s +=
      `${r.allocatedClusters}/${r.totalClusters} = ${pct(r.allocatedClusters, r.totalClusters)}% allocated, ` +
      `${pct(r.fragmentedClusters, r.allocatedClusters)}% fragmented, ${pct(r.compressedClusters, r.allocatedClusters)}% compressed clusters\n`;
  }
  if (r.imageEndOffset) s += `Image end offset: ${r.imageEndOffset}\n`;
  return s;
}

export function checkExitCode(r: CheckResult): number {
  if (r.checkErrors) return 1;
  if (r.corruptions) return 2;
  if (r.leaks) return 3;
  return 0;
}

export function check(argv: string[], io: Io): number {
  const p = parseArgs(argv, { short: 'f:r:hqU', long: { output: true, repair: true, help: false, 'force-share': false } });
  const fmt = outputFormat(p);
  const repairArg = last(p, 'r') ?? last(p, 'repair');
  let repair: 'leaks' | 'all' | undefined;
  if (repairArg !== undefined) {
    if (repairArg !== 'leaks' && repairArg !== 'all') throw usageError(`Unknown option value for -r (expecting 'leaks' or 'all'): ${repairArg}`);
    repair = repairArg;
  }
  if (p.operands.length !== 1) throw usageError('Expecting one image file name');
  const file = p.operands[0];
  const forced = checkDriver(file, last(p, 'f'));
  const probed = probe(file);
  if (forced === 'qcow2' && probed !== 'qcow2') throw new ImgError(`Could not open '${file}': Image is not in qcow2 format`);
  const format = forced ?? probed;
  if (format === 'raw') throw new ImgError('This image format does not support checks', 63);
  let r: CheckResult;
  try {
    r = checkImage(file, repair ? { repair } : {});
  } catch (e) {
    throw new ImgError(`Could not open '${file}': ${reason(e)}`);
  }
  if (r.format === 'raw') throw new ImgError('This image format does not support checks', 63);
  // qemu's check code prints its per-cluster findings on stderr as it goes.
  for (const m of r.messages) io.stderr(m.endsWith('\n') ? m : m + '\n');
  if (r.failed) throw new ImgError(`Check failed: ${r.failed}`);
  io.stdout(fmt === 'json' ? toQemuJson(checkToQ(r)) + '\n' : humanCheck(r));
  return checkExitCode(r);
}
