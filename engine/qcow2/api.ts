// Contract of the standalone disk-image library (qcow2 v2/v3 and raw). Independent of the
// simulation. All I/O is synchronous (fs.*Sync): images are local files and callers are a CLI
// and a single-threaded engine, so promises would only add ordering hazards.

export type ImageFormat = 'qcow2' | 'raw';

export interface CreateOptions {
  format: ImageFormat;
  /** Virtual size in bytes. May be omitted when a backing file gives it. */
  size?: number;
  /** qcow2: 512 B … 2 MiB, power of two (default 65536). */
  clusterSize?: number;
  /** qcow2: '1.1' → v3 (default), '0.10' → v2. */
  compat?: '0.10' | '1.1';
  /** qcow2: refcount width in bits (default 16). */
  refcountBits?: number;
  backingFile?: string;
  backingFormat?: ImageFormat;
  lazyRefcounts?: boolean;
}

export interface SnapshotOptions {
  /** VM state saved with the snapshot (stored beyond the disk, like savevm). */
  vmState?: Buffer;
  /** Creation time, seconds since the epoch (the library never reads a clock; default 0). */
  dateSec?: number;
  /** Nanoseconds part of the creation time, 0 … 999 999 999. */
  dateNsec?: number;
  vmClockNsec?: number;
  /** Guest instruction count; omitted or -1 = not recorded (`qemu-img snapshot -c` records 0). */
  icount?: number;
}

export interface SnapshotInfo {
  id: string;
  name: string;
  /** VM state size in bytes (0 = disk-only). */
  vmStateSize: number;
  dateSec: number;
  dateNsec: number;
  vmClockNsec: number;
  /** Virtual disk size when the snapshot was taken. */
  diskSize: number;
  icount?: number;
}

/** One run of `qemu-img map` output: contiguous guest range with the same status. */
export interface MapExtent {
  start: number;
  length: number;
  /** Chain depth the data comes from (0 = this image). */
  depth: number;
  present: boolean;
  zero: boolean;
  data: boolean;
  compressed: boolean;
  /** Host offset in the file that holds it (only when data && !compressed). */
  offset?: number;
}

export interface ImageInfo {
  filename: string;
  format: ImageFormat;
  virtualSize: number;
  /** Bytes the file occupies on disk (st_blocks × 512). */
  actualSize: number;
  clusterSize?: number;
  dirty: boolean;
  backingFilename?: string;
  fullBackingFilename?: string;
  backingFilenameFormat?: ImageFormat;
  snapshots: SnapshotInfo[];
  /** qcow2 format-specific block, named as `qemu-img info --output=json` names them. */
  formatSpecific?: {
    compat: '0.10' | '1.1';
    compressionType: 'zlib' | 'zstd';
    lazyRefcounts: boolean;
    refcountBits: number;
    corrupt: boolean;
    extendedL2: boolean;
  };
}

export interface CheckResult {
  filename: string;
  format: ImageFormat;
  checkErrors: number;
  corruptions: number;
  leaks: number;
  corruptionsFixed: number;
  leaksFixed: number;
  totalClusters: number;
  allocatedClusters: number;
  fragmentedClusters: number;
  compressedClusters: number;
  /** Offset just after the last allocated cluster ("Image end offset"). */
  imageEndOffset: number;
  /** Human-readable lines qemu-img prints before the summary (e.g. "Leaked cluster 7 refcount=1 reference=0"). */
  messages: string[];
  /**
   * Set when a repair could not run (e.g. `repair: 'leaks'` on an image whose refcount structure
   * must be rebuilt): qemu-img then prints "Check failed: <failed>" instead of a summary.
   */
  failed?: string;
}

/** An open image. Reads see the backing chain; writes copy-on-write into this image. */
export interface BlockImage {
  readonly filename: string;
  readonly format: ImageFormat;
  readonly virtualSize: number;
  readonly readOnly: boolean;
  read(offset: number, length: number): Buffer;
  /** Fill buf with the guest data at offset (buf.length bytes) without allocating: reuse buf for bulk copies. */
  readInto(offset: number, buf: Buffer): void;
  write(offset: number, data: Buffer): void;
  /** Make the range read as zeroes (v3 zero clusters where whole clusters are covered). */
  writeZeroes(offset: number, length: number, opts?: { mayUnmap?: boolean }): void;
  /** Drop allocation; the range reads as zeroes (or backing data in an overlay when v2). */
  discard(offset: number, length: number): void;
  /**
   * Make whole clusters unallocated, in v2 and v3 images alike (discard() leaves zero entries that
   * mask a backing file): the range reads from the backing chain again, or as zeroes without one.
   * The range must start on a cluster boundary and end on one or at the virtual size. L2 tables left
   * empty are freed; the image is flushed and unused space at the end of the file returned (as after
   * `qemu-img commit` empties an overlay). Raw images: the range is zeroed.
   */
  deallocate(offset: number, length: number): void;
  /** Write compressed (qcow2, whole aligned clusters; shorter tail zero-padded). */
  writeCompressed(offset: number, data: Buffer): void;
  /** Write back cached metadata and fsync. Data acknowledged before a completed flush survives a crash. */
  flush(): void;
  close(): void;
  /** Allocation status, as qemu-img map. */
  map(): MapExtent[];
  info(): ImageInfo;
  resize(newSize: number, opts?: { shrink?: boolean }): void;
  /**
   * qcow2: point the header at another backing file (undefined or '' = none) and format, like
   * `qemu-img rebase -u`: no data is copied. The new chain is opened first (unless the image was
   * opened with noBacking) and replaces the old one for later reads; nothing changes on failure.
   */
  setBacking(backingFile: string | undefined, backingFormat?: ImageFormat): void;
  // internal snapshots (qcow2 only; raw throws)
  listSnapshots(): SnapshotInfo[];
  createSnapshot(name: string, opts?: SnapshotOptions): SnapshotInfo;
  applySnapshot(nameOrId: string): void;
  deleteSnapshot(nameOrId: string): void;
  /** The VM state blob saved with a snapshot (empty when disk-only). */
  readSnapshotVmState(nameOrId: string): Buffer;
  /** The opened backing image, if any (read-only). */
  readonly backing?: BlockImage;
}

export class ImageError extends Error {
  override readonly name = 'ImageError';
}
