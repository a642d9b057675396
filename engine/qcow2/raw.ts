// Raw images: the file is the disk. Sparse creation via ftruncate; no snapshots or compression.
import * as fs from 'node:fs';
import { ImageError, type BlockImage, type ImageInfo, type MapExtent, type SnapshotInfo } from './api';

export interface ChainImage extends BlockImage {
  /** Read into dst without allocating or checking; the range must lie within virtualSize. */
  readRange(dst: Buffer, dstOff: number, off: number, len: number): void;
  /** Allocation status of [off, off+len) as extents (depth relative to this image). */
  extents(off: number, len: number): MapExtent[];
}

export function preadFull(fd: number, dst: Buffer, dstOff: number, len: number, pos: number): void {
  let done = 0;
  while (done < len) {
    const n = fs.readSync(fd, dst, dstOff + done, len - done, pos + done);
    if (n === 0) {
      dst.fill(0, dstOff + done, dstOff + len);
      return;
    }
    done += n;
  }
}

export function checkRange(name: string, what: string, off: number, len: number, size: number): void {
  if (!Number.isSafeInteger(off) || !Number.isSafeInteger(len) || off < 0 || len < 0) {
    throw new ImageError(`Image '${name}': invalid ${what} range (offset ${off}, length ${len})`);
  }
  if (off + len > size) {
    throw new ImageError(`Image '${name}': ${what} of ${len} bytes at offset ${off} is beyond the virtual size ${size}`);
  }
}

export class RawImage implements ChainImage {
  readonly format = 'raw' as const;
  private fd: number;
  private size: number;
  private closed = false;

  constructor(readonly filename: string, readonly readOnly: boolean) {
    try {
      this.fd = fs.openSync(filename, readOnly ? 'r' : 'r+');
    } catch (e) {
      throw new ImageError(`Image '${filename}': cannot open: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    // QEMU counts whole 512-byte sectors: an 8-byte file is a 512-byte disk, the tail reads as zeroes.
    this.size = Math.ceil(fs.fstatSync(this.fd).size / 512) * 512;
  }

  get virtualSize(): number {
    return this.size;
  }

  private writable(): void {
    if (this.closed) throw new ImageError(`Image '${this.filename}' is closed`);
    if (this.readOnly) throw new ImageError(`Image '${this.filename}' is opened read-only`);
  }

  read(offset: number, length: number): Buffer {
    checkRange(this.filename, 'read', offset, length, this.size);
    const out = Buffer.allocUnsafe(length);
    this.readRange(out, 0, offset, length);
    return out;
  }

  readInto(offset: number, buf: Buffer): void {
    if (this.closed) throw new ImageError(`Image '${this.filename}' is closed`);
    checkRange(this.filename, 'read', offset, buf.length, this.size);
    this.readRange(buf, 0, offset, buf.length);
  }

  readRange(dst: Buffer, dstOff: number, off: number, len: number): void {
    preadFull(this.fd, dst, dstOff, len, off);
  }

  write(offset: number, data: Buffer): void {
    this.writable();
    checkRange(this.filename, 'write', offset, data.length, this.size);
    let done = 0;
    while (done < data.length) done += fs.writeSync(this.fd, data, done, data.length - done, offset + done);
  }

  writeZeroes(offset: number, length: number): void {
    this.writable();
    checkRange(this.filename, 'write', offset, length, this.size);
    const chunk = Buffer.alloc(Math.min(length, 1 << 20));
    for (let pos = 0; pos < length; pos += chunk.length) {
      const n = Math.min(chunk.length, length - pos);
      fs.writeSync(this.fd, chunk, 0, n, offset + pos);
    }
  }

  /** Raw files cannot drop allocation portably from Node; the range is zeroed instead. */
  discard(offset: number, length: number): void {
    this.writeZeroes(offset, length);
  }

  setBacking(): void {
    throw new ImageError(`Image '${this.filename}': raw images cannot have a backing file`);
  }

  /** A raw file has no backing file to fall through to: deallocated space reads as zeroes. */
  deallocate(offset: number, length: number): void {
    this.discard(offset, length);
  }

  writeCompressed(): void {
    throw new ImageError(`Image '${this.filename}': raw images do not support compressed writes`);
  }

  /** @internal see OpenOptions.cache */
  unsafe = false;

  flush(): void {
    if (!this.readOnly && !this.closed && !this.unsafe) fs.fsyncSync(this.fd);
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    fs.closeSync(this.fd);
    this.closed = true;
  }

  extents(off: number, len: number): MapExtent[] {
    // Data up to the end of the file; the sector padding after it reads as zeroes (as qemu-img map).
    const eof = Math.min(off + len, Math.max(off, fs.fstatSync(this.fd).size));
    const out: MapExtent[] = [];
    if (eof > off) out.push({ start: off, length: eof - off, depth: 0, present: true, zero: false, data: true, compressed: false, offset: off });
    if (off + len > eof) out.push({ start: eof, length: off + len - eof, depth: 0, present: true, zero: true, data: false, compressed: false, offset: eof });
    return out;
  }

  map(): MapExtent[] {
    return this.extents(0, this.size);
  }

  info(): ImageInfo {
    const st = fs.fstatSync(this.fd);
    return { filename: this.filename, format: 'raw', virtualSize: this.size, actualSize: st.blocks * 512, dirty: false, snapshots: [] };
  }

  resize(newSize: number, opts?: { shrink?: boolean }): void {
    this.writable();
    if (!Number.isSafeInteger(newSize) || newSize < 0) throw new ImageError(`Image '${this.filename}': invalid size ${newSize}`);
    if (newSize % 512) throw new ImageError(`Image '${this.filename}': the new size must be a multiple of 512 (got ${newSize})`);
    if (newSize < this.size && !opts?.shrink) {
      throw new ImageError(`Image '${this.filename}': shrinking from ${this.size} to ${newSize} bytes loses data; pass the shrink option to confirm`);
    }
    fs.ftruncateSync(this.fd, newSize);
    this.size = newSize;
  }

  private noSnapshots(): never {
    throw new ImageError(`Image '${this.filename}': raw images do not support internal snapshots`);
  }
  listSnapshots(): SnapshotInfo[] {
    return [];
  }
  createSnapshot(): SnapshotInfo {
    return this.noSnapshots();
  }
  applySnapshot(): void {
    this.noSnapshots();
  }
  deleteSnapshot(): void {
    this.noSnapshots();
  }
  readSnapshotVmState(): Buffer {
    return this.noSnapshots();
  }
}
