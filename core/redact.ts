/**
 * A safety net for text we do not write ourselves (an API's error description, an exception's message)
 * before it goes into a failure message or a log line, which are not payloads and so are not encrypted:
 * email addresses and international phone numbers are replaced by a placeholder. Our own messages name
 * fields and IDs and never need it; a name cannot be recognised in free text, which is why an API's
 * descriptions of a refused record go into failure details, never into messages.
 */

/** Anything shaped like local@domain.tld. */
const EMAIL = /[^\s@'"`<>()[\]{},;:]+@[^\s@'"`<>()[\]{},;:]+\.[A-Za-z0-9-]+/g;

/**
 * A number written with its country code: "+" and at least 7 digits, spaces, dots, dashes or brackets
 * between them ("+14155550100", "+1 (415) 555-0100"). Timestamps and IDs never start with "+".
 */
const INTERNATIONAL_PHONE = /\+\d[\d .()-]{5,}\d/g;
const MIN_PHONE_DIGITS = 7;

export const REDACTED_EMAIL = '<email>';
export const REDACTED_PHONE = '<phone>';

/** `text` with email addresses and international phone numbers replaced by `<email>` and `<phone>`. */
export function redactContactValues(text: string): string {
  return text
    .replace(EMAIL, REDACTED_EMAIL)
    .replace(INTERNATIONAL_PHONE, (m) =>
      m.replace(/\D/g, '').length >= MIN_PHONE_DIGITS ? REDACTED_PHONE : m,
    );
}
