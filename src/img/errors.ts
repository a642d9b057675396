// Errors a subcommand raises for the user. runImg turns them into qemu-img style stderr lines
// ("virtyard img: <message>") and an exit code; nothing else ever reaches the user as a throw.

export class ImgError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    /** Usage errors add qemu-img's "Try '... --help'" hint line. */
    readonly usage = false,
  ) {
    super(message);
  }
}

export function usageError(message: string): ImgError {
  return new ImgError(message, 1, true);
}

const ERRNO: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ENOSPC: 'No space left on device',
  EROFS: 'Read-only file system',
};

/**
 * The library's message, without a stack, in qemu-img's words where they differ only in wording
 * (errno names become strerror texts, "Cannot create image" becomes "Could not create").
 */
export function reason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg
    .replace(/^Cannot create image '([^']*)': /, "Could not create '$1': ")
    .replace(/\b(E[A-Z]+)\b/g, (code) => ERRNO[code] ?? code);
}

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}
