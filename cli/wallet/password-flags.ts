// The command line's password flags (--password, --password-stdin), kept for whichever wallet the
// command ends up opening. A module of its own with no imports: main.ts records the flags of every
// command, and a read that opens no key should not load the wallet code to do so.
let flags: Record<string, unknown> = {};

export function recordPasswordFlags(commandFlags: Record<string, unknown>): void {
  flags = commandFlags;
}

export function passwordFlags(): Record<string, unknown> {
  return flags;
}
