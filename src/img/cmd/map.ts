// `map`: allocation status as qemu-img prints it (img_map / dump_map_entry in qemu-img.c).
import type { BlockImage, MapExtent } from '../../../engine/qcow2/api';
import { last, outputFormat, parseArgs, type OutputFormat } from '../args';
import { ImgError, usageError, type Io } from '../errors';
import { withImage } from '../open';

interface Entry extends MapExtent {
  filename: string;
}

function mergeable(a: Entry, b: Entry): boolean {
  if (a.length === 0) return false;
  if (a.zero !== b.zero || a.data !== b.data || a.depth !== b.depth || a.present !== b.present) return false;
  if ((a.offset === undefined) !== (b.offset === undefined) || a.filename !== b.filename) return false;
  return a.offset === undefined || a.offset + a.length === b.offset;
}

function filenames(img: BlockImage): string[] {
  const names: string[] = [];
  for (let cur: BlockImage | undefined = img; cur; cur = cur.backing) names.push(cur.filename);
  return names;
}

const hex = (n: number) => (n === 0 ? '0' : '0x' + n.toString(16));

/** Returns the lines to print and whether a compressed extent made the human format fail. */
export function renderMap(extents: MapExtent[], names: string[], format: OutputFormat): { text: string; error?: string } {
  const entries: Entry[] = [];
  for (const e of extents) {
    const next: Entry = { ...e, filename: names[e.depth] ?? names[names.length - 1] };
    const cur = entries[entries.length - 1];
    if (cur && mergeable(cur, next)) cur.length += next.length;
    else entries.push(next);
  }
  if (format === 'json') {
    const rows = entries.map((e) => {
      let s = `{ "start": ${e.start}, "length": ${e.length}, "depth": ${e.depth}, "present": ${e.present}, "zero": ${e.zero}, "data": ${e.data}`;
      if (e.offset !== undefined) s += `, "offset": ${e.offset}`;
      return s + '}';
    });
    return { text: '[' + rows.join(',\n') + ']\n' };
  }
  // Human: only data ranges are listed, and zero/unallocated neighbours coalesce (qemu rewrites
  // the next entry's flags), so a data range split only by holes merges back where contiguous.
  let text = 'Offset          Length          Mapped to       File\n';
  let cur: Entry | undefined;
  const flush = (e: Entry, next: Entry | undefined): string | undefined => {
    if (e.data && e.offset === undefined) return 'File contains external, encrypted or compressed clusters.';
    if (e.data && !e.zero) text += hex(e.start).padEnd(16) + hex(e.length).padEnd(16) + hex(e.offset ?? 0).padEnd(16) + e.filename + '\n';
    if (next && (!next.data || next.zero) && (!e.data || e.zero)) {
      next.data = false;
      next.zero = true;
    }
    return undefined;
  };
  for (const next of entries.map((e) => ({ ...e }))) {
    if (cur && mergeable(cur, next)) {
      cur.length += next.length;
      continue;
    }
    if (cur) {
      const err = flush(cur, next);
      if (err) return { text, error: err };
    }
    cur = next;
  }
  if (cur) {
    const err = flush(cur, undefined);
    if (err) return { text, error: err };
  }
  return { text };
}

export function map(argv: string[], io: Io): number {
  const p = parseArgs(argv, { short: 'f:hU', long: { output: true, help: false, 'force-share': false } });
  const fmt = outputFormat(p);
  if (p.operands.length !== 1) throw usageError('Expecting one image file name');
  const file = p.operands[0];
  const out = withImage(file, { format: last(p, 'f'), readOnly: true }, (img) => renderMap(img.map(), filenames(img), fmt));
  io.stdout(out.text);
  if (out.error) throw new ImgError(out.error);
  return 0;
}
