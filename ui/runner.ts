// What the TUI is given besides a Connection: a runner for virsh-style command lines (the same
// command table the CLI uses, so keys, the `:` palette and the CLI say the same thing).
// Every mutating key in the TUI is a command line run through it.

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface CommandRunner {
  /** Runs one line, e.g. "start web-01" (without the "virsh" prefix). Never throws. */
  run(line: string): CommandResult;
  /** Completions for the line as typed so far (command names, then domain names / options). */
  complete(line: string): string[];
  /** Command names with a one-line summary, for the palette and help. */
  commands(): Array<{ name: string; summary: string }>;
}
