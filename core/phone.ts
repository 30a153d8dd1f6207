// Phone numbers as Zendesk takes them. With "Validate user phone numbers" on, Zendesk accepts only E.164
// ("+" and the country code, e.g. +14155552671) and answers anything else with 422 InvalidFormat
// (reference/zendesk.md §2.4; seed: "format phone numbers using the E.164 format in Salesforce").
// The optional normaliser (`users.phone.normalise: e164`) rewrites Salesforce's free-form numbers
// ("(415) 555-2671") with libphonenumber-js, the JavaScript port of Google's libphonenumber.
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** E.164: a leading +, a non-zero country digit, at most 15 digits in all (ITU-T E.164). */
const E164 = /^\+[1-9]\d{1,14}$/;

export function isE164(phone: string): boolean {
  return E164.test(phone);
}

/** Whether libphonenumber-js knows this ISO 3166-1 alpha-2 region (e.g. US, GB, DE). */
export function isKnownRegion(region: string): boolean {
  return isSupportedCountry(region);
}

/**
 * The number in E.164, or undefined when it is not a valid number: one without a country code needs
 * `defaultRegion`, and the digits must fit that country's numbering plan (libphonenumber's `isValid`,
 * so "415 555 0100" with US passes and "555-1234" does not).
 */
export function toE164(text: string, defaultRegion?: string): string | undefined {
  const region: CountryCode | undefined =
    defaultRegion && isSupportedCountry(defaultRegion) ? defaultRegion : undefined;
  const parsed = parsePhoneNumberFromString(text.trim(), region);
  return parsed?.isValid() ? parsed.number : undefined;
}
