// Text from the chain (lot IDs, outcome messages) and from users is shown through `printable`, so a
// terminal never receives a raw control byte from it: an ID holding ESC[2K and CR could otherwise
// erase its own line and print a different ID over it. Control characters (C0, DEL, C1), format
// characters (zero-width spaces and joiners, bidirectional overrides and isolates, the BOM) and line
// or paragraph separators become visible escapes such as \x1B or \u{200B}.

const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

function escape(char: string): string {
  const code = char.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).toUpperCase().padStart(2, "0")}` : `\\u{${code.toString(16).toUpperCase()}}`;
}

/** Prose with any unsafe character made visible. */
export function printable(text: string): string {
  return text.replace(UNSAFE, escape);
}

/**
 * A lot ID as shown: unsafe characters made visible, and a backslash doubled so that an ID which
 * really contains the text `\x1B` cannot look like one holding the escape character.
 */
export function displayId(id: string): string {
  return id.replace(/\\/g, "\\\\").replace(UNSAFE, escape);
}

