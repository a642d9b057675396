// Backing files named on the command line are relative to the image that refers to them.
import { dirname, isAbsolute, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { ImageFormat } from '../../engine/qcow2/api';
import { openImage } from '../../engine/qcow2/index';
import { ImgError, reason } from './errors';

export function backingPath(imageFile: string, backing: string): string {
  return isAbsolute(backing) ? backing : resolve(dirname(imageFile), backing);
}

/** Opens the backing image read-only to learn its size; errors as qemu-img's create prints them. */
export function backingSize(imageFile: string, backing: string, fmt: ImageFormat): number {
  const path = backingPath(imageFile, backing);
  const fail = (why: string) => new ImgError(`${imageFile}: Could not open '${backing}': ${why}\nCould not open backing image.`);
  if (!existsSync(path)) throw fail('No such file or directory');
  try {
    const img = openImage(path, { readOnly: true, format: fmt });
    try {
      return img.virtualSize;
    } finally {
      img.close();
    }
  } catch (e) {
    throw fail(reason(e));
  }
}
