// Small helpers shared by the subcommands.

/** createImage may hand back an open image; the CLI only wants the file. */
export function closeIfOpen(x: unknown): void {
  if (x && typeof x === 'object' && typeof (x as { close?: unknown }).close === 'function') (x as { close: () => void }).close();
}
