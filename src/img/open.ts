// Opening images with qemu-img's error texts. The library's own message becomes the reason.
import { existsSync } from 'node:fs';
import { openImage, probeFormat } from '../../engine/qcow2/index';
import type { BlockImage, ImageFormat } from '../../engine/qcow2/api';
import { ImgError, reason, type Io } from './errors';

export const FORMATS: readonly ImageFormat[] = ['qcow2', 'raw'];

export function isFormat(f: string): f is ImageFormat {
  return (FORMATS as readonly string[]).includes(f);
}

/** -f for an existing image: qemu calls an unknown one a "driver". */
export function checkDriver(file: string, fmt: string | undefined): ImageFormat | undefined {
  if (fmt === undefined) return undefined;
  if (!isFormat(fmt)) throw new ImgError(`Could not open '${file}': Unknown driver '${fmt}'`);
  return fmt;
}

/** -f / -O for an image to be created: qemu calls an unknown one a "file format". */
export function checkCreateFormat(fmt: string, file?: string): ImageFormat {
  if (!isFormat(fmt)) throw new ImgError(`${file ? `${file}: ` : ''}Unknown file format '${fmt}'`);
  return fmt;
}

export function requireExists(file: string): void {
  if (!existsSync(file)) throw new ImgError(`Could not open '${file}': Could not open '${file}': No such file or directory`);
}

const RAW_WARNING = (file: string) =>
  `WARNING: Image format was not specified for '${file}' and probing guessed raw.\n` +
  `         Automatically detecting the format is dangerous for raw images, write operations on block 0 will be restricted.\n` +
  `         Specify the 'raw' format explicitly to remove the restrictions.\n`;

export interface OpenOpts {
  format?: string;
  readOnly: boolean;
  io?: Io;
  /** Leave the backing chain closed (info, unsafe rebase): see the library's OpenOptions.noBacking. */
  noBacking?: boolean;
}

export function open(file: string, opts: OpenOpts): BlockImage {
  const format = checkDriver(file, opts.format);
  requireExists(file);
  // qemu's wording for -f qcow2 on something else (the library names the bad magic instead).
  if (format === 'qcow2' && probe(file) !== 'qcow2') throw new ImgError(`Could not open '${file}': Image is not in qcow2 format`);
  try {
    const img = openImage(file, { readOnly: opts.readOnly, format, noBacking: opts.noBacking });
    // Like qemu: a writable image whose format was guessed as raw earns a warning.
    if (!format && !opts.readOnly && img.format === 'raw') opts.io?.stderr(RAW_WARNING(file));
    return img;
  } catch (e) {
    throw new ImgError(`Could not open '${file}': ${reason(e)}`);
  }
}

export function probe(file: string): ImageFormat {
  requireExists(file);
  try {
    return probeFormat(file);
  } catch (e) {
    throw new ImgError(`Could not open '${file}': ${reason(e)}`);
  }
}

/** Runs fn with the image open and always closes it. */
export function withImage<T>(file: string, opts: OpenOpts, fn: (img: BlockImage) => T): T {
  const img = open(file, opts);
  try {
    return fn(img);
  } finally {
    img.close();
  }
}
