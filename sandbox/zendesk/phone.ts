/** E.164: a leading +, a non-zero country digit, at most 15 digits in total. */
import type { ErrorDetail } from './errors';

const E164 = /^\+[1-9]\d{1,14}$/;

export function isE164(phone: string): boolean {
  return E164.test(phone);
}

/** The detail Zendesk returns when "Validate user phone numbers" is on and a number is not E.164. */
export function phoneFormatDetail(phone: string): ErrorDetail {
  return { description: `Phone ${phone} is not properly formatted`, error: 'InvalidFormat' };
}
