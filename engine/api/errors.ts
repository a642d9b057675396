// Typed errors with libvirt's codes. `message` is the full text libvirt's virGetLastErrorMessage
// would give (class prefix included), so a CLI prints it verbatim after "error: ".

export type ErrorCode =
  | 'VIR_ERR_INTERNAL_ERROR'
  | 'VIR_ERR_INVALID_ARG'
  | 'VIR_ERR_OPERATION_INVALID'
  | 'VIR_ERR_OPERATION_FAILED'
  | 'VIR_ERR_OPERATION_UNSUPPORTED'
  | 'VIR_ERR_NO_SUPPORT'
  | 'VIR_ERR_CONFIG_UNSUPPORTED'
  | 'VIR_ERR_NO_DOMAIN'
  | 'VIR_ERR_NO_NETWORK'
  | 'VIR_ERR_NO_STORAGE_POOL'
  | 'VIR_ERR_NO_STORAGE_VOL'
  | 'VIR_ERR_NO_NODE'
  | 'VIR_ERR_XML_ERROR'
  | 'VIR_ERR_RESOURCE_BUSY';

/** Message prefixes libvirt puts in front of the detail, by code. */
const PREFIX: Record<ErrorCode, string> = {
  VIR_ERR_INTERNAL_ERROR: 'internal error: ',
  VIR_ERR_INVALID_ARG: 'invalid argument: ',
  VIR_ERR_OPERATION_INVALID: 'Requested operation is not valid: ',
  VIR_ERR_OPERATION_FAILED: 'operation failed: ',
  VIR_ERR_OPERATION_UNSUPPORTED: 'Operation not supported: ',
  VIR_ERR_NO_SUPPORT: 'this function is not supported by the connection driver: ',
  VIR_ERR_CONFIG_UNSUPPORTED: 'unsupported configuration: ',
  VIR_ERR_NO_DOMAIN: 'Domain not found: ',
  VIR_ERR_NO_NETWORK: 'Network not found: ',
  VIR_ERR_NO_STORAGE_POOL: 'Storage pool not found: ',
  VIR_ERR_NO_STORAGE_VOL: 'Storage volume not found: ',
  VIR_ERR_NO_NODE: 'Host not found: ',
  VIR_ERR_XML_ERROR: 'XML error: ',
  VIR_ERR_RESOURCE_BUSY: 'resource busy: ',
};

export class VirError extends Error {
  override readonly name = 'VirError';
  constructor(
    readonly code: ErrorCode,
    /** Full message, e.g. "Requested operation is not valid: domain is not running". */
    message: string,
  ) {
    super(message);
  }

  /** Builds an error whose message is libvirt's class prefix for `code` followed by `detail`. */
  static of(code: ErrorCode, detail: string): VirError {
    return new VirError(code, PREFIX[code] + detail);
  }

  /** Some libvirt errors carry no prefix (e.g. "Can't set 0 processors for a VM"). */
  static bare(code: ErrorCode, message: string): VirError {
    return new VirError(code, message);
  }
}

export function isVirError(e: unknown): e is VirError {
  return e instanceof VirError;
}
