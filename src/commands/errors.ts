// How a command fails. virsh prints one or two `error:` lines on stderr: an optional context
// line from virsh itself ("Failed to start domain 'vm1'") and the libvirt error message.
// In --json mode the same failure is one object: {"error": {"code", "message", "context"?}}.

import { isVirError, type VirError } from '../../engine/api/errors';

/** Codes are libvirt's (VIR_ERR_*), plus SYNTAX_ERROR for command-line parse errors. */
export type FailureCode = VirError['code'] | 'SYNTAX_ERROR';

export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    readonly code: FailureCode,
    message: string,
    /** virsh's own line printed before the libvirt message, if any. */
    readonly context?: string,
  ) {
    super(message);
  }

  /** A single `error: <message>` line. */
  static plain(code: FailureCode, message: string): CommandError {
    return new CommandError(code, message);
  }

  /** "error: <context>" then "error: <cause's message>" (virsh's vshError + vshReportError). */
  static failed(context: string, cause: unknown): CommandError {
    if (isVirError(cause)) return new CommandError(cause.code, cause.message, context);
    throw cause;
  }

  /** This error's text becomes the context line and `cause` the detail (two lines). */
  withCause(cause: VirError): CommandError {
    return new CommandError(cause.code, cause.message, this.message);
  }

  /** The stderr text in virsh's format. */
  lines(): string[] {
    return this.context === undefined ? [this.message] : [this.context, this.message];
  }

  toJSON(): { error: { code: string; message: string; context?: string } } {
    const error: { code: string; message: string; context?: string } = { code: this.code, message: this.message };
    if (this.context !== undefined) error.context = this.context;
    return { error };
  }
}

/** A syntax error: rejects the whole command list before anything runs. */
export class UsageError extends CommandError {
  constructor(message: string) {
    super('SYNTAX_ERROR', message);
  }
}

/** Converts anything thrown by the engine into a CommandError (unknown throwables → internal error). */
export function toCommandError(e: unknown): CommandError {
  if (e instanceof CommandError) return e;
  if (isVirError(e)) return new CommandError(e.code, e.message);
  const message = e instanceof Error ? e.message : String(e);
  return new CommandError('VIR_ERR_INTERNAL_ERROR', `internal error: ${message}`);
}
