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

/** The library's message, without a stack. */
export function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}
