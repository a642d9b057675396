// `info`: the same fields qemu-img 7.2 prints, human or JSON, optionally for the whole backing chain.
import type { ImageInfo, SnapshotInfo } from '../../../engine/qcow2/api';
import { last, outputFormat, parseArgs, has } from '../args';
import { ImgError, usageError, type Io } from '../errors';
import { withImage } from '../open';
import { toQemuJson, type QValue } from '../qjson';
import { sizeToStr } from '../size';
import { snapshotHeader, snapshotRow } from './snapshot-table';

export function snapshotToQ(s: SnapshotInfo): QValue {
  return {
    id: s.id,
    name: s.name,
    'vm-state-size': s.vmStateSize,
    'date-sec': s.dateSec,
    'date-nsec': s.dateNsec,
    'vm-clock-sec': Math.floor(s.vmClockNsec / 1e9),
    'vm-clock-nsec': s.vmClockNsec % 1e9,
    icount: s.icount === undefined || s.icount < 0 ? undefined : s.icount,
  };
}

function formatSpecificData(info: ImageInfo): Record<string, QValue> | undefined {
  const f = info.formatSpecific;
  if (!f) return undefined;
  // qemu leaves out the v3-only fields for compat=0.10 images.
  if (f.compat === '0.10') return { compat: f.compat, 'compression-type': f.compressionType, 'refcount-bits': f.refcountBits };
  return {
    compat: f.compat,
    'compression-type': f.compressionType,
    'lazy-refcounts': f.lazyRefcounts,
    'refcount-bits': f.refcountBits,
    corrupt: f.corrupt,
    'extended-l2': f.extendedL2,
  };
}

export function infoToQ(info: ImageInfo): Record<string, QValue | undefined> {
  const data = formatSpecificData(info);
  return {
    snapshots: info.snapshots.length ? info.snapshots.map(snapshotToQ) : undefined,
    'virtual-size': info.virtualSize,
    filename: info.filename,
    'cluster-size': info.clusterSize,
    format: info.format,
    'actual-size': info.actualSize,
    'format-specific': data ? { type: info.format, data } : undefined,
    'backing-filename': info.backingFilename,
    'full-backing-filename': info.backingFilename !== undefined ? info.fullBackingFilename : undefined,
    'backing-filename-format': info.backingFilename !== undefined ? info.backingFilenameFormat : undefined,
    'dirty-flag': info.dirty,
  };
}

export function humanInfo(info: ImageInfo): string {
  const out: string[] = [
    `image: ${info.filename}`,
    `file format: ${info.format}`,
    `virtual size: ${sizeToStr(info.virtualSize)} (${info.virtualSize} bytes)`,
    `disk size: ${sizeToStr(info.actualSize)}`,
  ];
  if (info.clusterSize !== undefined) out.push(`cluster_size: ${info.clusterSize}`);
  if (info.dirty) out.push('cleanly shut down: no');
  if (info.backingFilename !== undefined) {
    let line = `backing file: ${info.backingFilename}`;
    if (info.fullBackingFilename === undefined) line += ' (cannot determine actual path)';
    else if (info.fullBackingFilename !== info.backingFilename) line += ` (actual path: ${info.fullBackingFilename})`;
    out.push(line);
    if (info.backingFilenameFormat) out.push(`backing file format: ${info.backingFilenameFormat}`);
  }
  if (info.snapshots.length) {
    out.push('Snapshot list:', snapshotHeader(), ...info.snapshots.map(snapshotRow));
  }
  const data = formatSpecificData(info);
  if (data) {
    out.push('Format specific information:');
    for (const [k, v] of Object.entries(data)) out.push(`    ${k.replace(/-/g, ' ')}: ${String(v)}`);
  }
  return out.join('\n') + '\n';
}

/** Like qemu-img, each image is opened on its own without its backing chain, so a missing backing
 * file only matters when --backing-chain asks for it. */
function infoOf(file: string, format: string | undefined): ImageInfo {
  return withImage(file, { format, readOnly: true, noBacking: true }, (img) => img.info());
}

function chain(file: string, format: string | undefined): ImageInfo[] {
  const infos = [infoOf(file, format)];
  for (let cur = infos[0]; cur.fullBackingFilename !== undefined; cur = infos[infos.length - 1]) {
    if (infos.length > 64) throw new ImgError(`Backing chain of '${file}' is longer than 64 images (loop?)`);
    infos.push(infoOf(cur.fullBackingFilename, cur.backingFilenameFormat));
  }
  return infos;
}

export function info(argv: string[], io: Io): number {
  const p = parseArgs(argv, { short: 'f:hU', long: { output: true, 'backing-chain': false, 'force-share': false, help: false } });
  const fmt = outputFormat(p);
  if (p.operands.length !== 1) throw usageError('Expecting one image file name');
  const file = p.operands[0];
  const infos = has(p, 'backing-chain') ? chain(file, last(p, 'f')) : [infoOf(file, last(p, 'f'))];
  if (fmt === 'json') {
    const q = infos.map(infoToQ) as QValue[];
    io.stdout(toQemuJson(has(p, 'backing-chain') ? q : q[0]) + '\n');
  } else {
    io.stdout(infos.map(humanInfo).join('\n'));
  }
  return 0;
}
