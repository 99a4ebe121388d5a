/*
 * Replaces personal data in message text with placeholders before the
 * text leaves the server (setting `redact_pii`). Detection is pattern
 * based, so it errs on the side of redacting: a long order number may
 * become "[card number]", and personal data written in words ("my number
 * is five five five...") passes through. Names are not redacted: authors
 * are part of what a summary must tell.
 */

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu

// Two letters, two check digits, then 11 to 30 letters or digits, in groups of four or not.
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g

// 13 to 19 digits, optionally grouped by spaces or dashes: card numbers (and their look-alikes).
const CARD_NUMBER = /(?<![\d+])\d(?:[ -]?\d){12,18}(?![\d])/g

// A run of digits with the separators phone numbers are written with; checked below.
const PHONE_CANDIDATE = /(?<![\w+])(?:\+|\(\+?)?\d[\d ().\/-]{5,}\d(?![\w])/g

// Dates and times look like phone numbers to the pattern above: "2026-11-23", "23.11.2026".
const DATE_LIKE = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})(?:\D|$)/

export const PII_PLACEHOLDERS = {
  email: '[email]',
  iban: '[iban]',
  cardNumber: '[card number]',
  phone: '[phone]',
} as const

export function redactPii(text: string) {
  return text
    .replace(EMAIL, PII_PLACEHOLDERS.email)
    .replace(IBAN, PII_PLACEHOLDERS.iban)
    .replace(CARD_NUMBER, PII_PLACEHOLDERS.cardNumber)
    .replace(PHONE_CANDIDATE, (candidate) =>
      isPhoneNumber(candidate) ? PII_PLACEHOLDERS.phone : candidate
    )
}

function isPhoneNumber(candidate: string) {
  const digits = candidate.replace(/\D/g, '').length
  // E.164 numbers have at most 15 digits. Below 8 digits only an
  // international prefix tells a phone number from an amount ("1 000 000").
  const minimum = candidate.startsWith('+') ? 7 : 8
  return digits >= minimum && digits <= 15 && !DATE_LIKE.test(candidate.replace(/^\(/, ''))
}
