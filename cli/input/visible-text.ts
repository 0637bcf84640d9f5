// The rule that lot IDs and account names share (contracts/VisibleText.sol): 1 to 32 bytes of
// well-formed UTF-8 holding only characters that show. Its own module, so that the parsers of IDs
// (values.ts) and of names (account-name.ts) both use it without importing each other.

/**
 * The code points a lot ID may not hold, with why: the on-chain rule of contracts/CarbonId.sol, range
 * for range (test/contracts/carbon-id.test.ts checks the two against one table). They would let two
 * IDs that look the same be different lots, or rewrite the terminal that shows them.
 */
export const FORBIDDEN_ID_CHARACTERS: readonly (readonly [number, number, string])[] = [
  [0x00, 0x1f, "a control character"],
  [0x7f, 0x9f, "a control character"],
  [0xad, 0xad, "an invisible character"],
  [0x300, 0x36f, "a combining mark (type the composed letter)"],
  [0x61c, 0x61c, "a bidirectional control"],
  [0x115f, 0x1160, "an invisible character"],
  [0x17b4, 0x17b5, "an invisible character"],
  [0x180b, 0x180f, "an invisible character"],
  [0x200b, 0x200f, "an invisible or bidirectional-control character"],
  [0x2028, 0x202e, "an invisible or bidirectional-control character"],
  [0x2060, 0x206f, "an invisible or bidirectional-control character"],
  [0x3164, 0x3164, "an invisible character"],
  [0xfe00, 0xfe0f, "a variation selector"],
  [0xfeff, 0xfeff, "an invisible character"],
  [0xffa0, 0xffa0, "an invisible character"],
  [0xfff0, 0xffff, "a special (U+FFFD marks bytes that were not UTF-8)"],
  [0x13430, 0x1343f, "an invisible format control"],
  [0x1bca0, 0x1bca3, "an invisible format control"],
  [0x1d173, 0x1d17a, "an invisible format control"],
  [0xe0000, 0xe0fff, "a tag or variation selector"],
];

function forbidden(codePoint: number): string | undefined {
  return FORBIDDEN_ID_CHARACTERS.find(([first, last]) => codePoint >= first && codePoint <= last)?.[2];
}

const hex = (codePoint: number): string => "U+" + codePoint.toString(16).toUpperCase().padStart(4, "0");

/** What a text rule's messages call the text: lot IDs and account names share the rule (VisibleText.sol). */
export interface TextKind {
  one: string;
  many: string;
}

const CARBON_ID: TextKind = { one: "carbon ID", many: "IDs" };

/**
 * What the contract would refuse in this lot ID, as it stands (no normalisation), or undefined if it
 * accepts it: 1 to 32 bytes of well-formed UTF-8 without a forbidden character. Raw bytes are checked
 * as bytes: invalid UTF-8 is named, not replaced.
 */
export function carbonIdProblem(id: string | Uint8Array, what: TextKind = CARBON_ID): string | undefined {
  let text: string;
  let bytes: number;
  if (typeof id === "string") {
    if (/\p{Surrogate}/u.test(id)) return `${what.one} is not valid UTF-8 (it holds a lone surrogate)`;
    text = id;
    bytes = Buffer.byteLength(id, "utf8");
  } else {
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(id);
    } catch {
      return `${what.one} is not valid UTF-8`;
    }
    bytes = id.length;
  }
  if (bytes === 0) return `${what.one} is empty; it must be 1 to 32 bytes`;
  for (const character of text) {
    const codePoint = character.codePointAt(0)!;
    const why = forbidden(codePoint);
    if (why) return `${what.one} holds ${hex(codePoint)}, ${why}: ${what.many} hold only characters that show`;
  }
  // Quoted only now: what is left shows as itself.
  if (bytes > 32) return `${what.one} "${text}" is ${bytes} bytes; it must be 1 to 32 bytes`;
  return undefined;
}
