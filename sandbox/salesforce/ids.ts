/**
 * Salesforce record ids: a 3-character key prefix, then 12 base-62 characters (15 in all, case-sensitive),
 * plus a 3-character suffix that encodes the case of the first 15 so case-insensitive tools can use them.
 */

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_SHAPE = /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/;

/** The real 15 -> 18 checksum: one suffix character per 5-character chunk, bit i set when char i is A-Z. */
export function checksumSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

export function to18(id15: string): string {
  return id15 + checksumSuffix(id15);
}

/**
 * Normalises a 15- or 18-character id to 18 characters. Returns undefined when the text is not an id at
 * all, or when an 18-character id's suffix does not match its first 15 characters.
 */
export function normalizeId(text: string): string | undefined {
  if (!ID_SHAPE.test(text)) return undefined;
  const id15 = text.slice(0, 15);
  const id18 = to18(id15);
  if (text.length === 18 && text.toUpperCase() !== id18.toUpperCase()) return undefined;
  return id18;
}

/** Ids look like `001` + `8d` (instance) + `0` + a 9-digit base-62 counter. */
export function makeId(keyPrefix: string, counter: number): string {
  let n = counter;
  let digits = '';
  for (let i = 0; i < 9; i++) {
    digits = BASE62[n % 62]! + digits;
    n = Math.floor(n / 62);
  }
  return to18(`${keyPrefix}8d0${digits}`);
}
