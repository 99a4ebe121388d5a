import { test } from '@japa/runner'
import { redactPii } from '../../../plugins/ai_summarization/text/pii_redactor.js'

test.group('PII redaction', () => {
  test('replaces email addresses', ({ assert }) => {
    assert.equal(
      redactPii('Write to jane.doe+billing@example.co.uk or ops@acme.io today'),
      'Write to [email] or [email] today'
    )
  })

  test('replaces phone numbers in international and local forms', ({ assert }) => {
    assert.equal(
      redactPii('Call +33 6 12 34 56 78, (555) 123-4567 or 0612345678.'),
      'Call [phone], [phone] or [phone].'
    )
  })

  test('replaces IBANs and card numbers', ({ assert }) => {
    assert.equal(
      redactPii(
        'IBAN DE89 3704 0044 0532 0130 00, card 4111 1111 1111 1111 or 5500-0000-0000-0004'
      ),
      'IBAN [iban], card [card number] or [card number]'
    )
  })

  test('keeps dates, times, versions, amounts and short numbers', ({ assert }) => {
    const text =
      'On 2026-11-23 at 10:30 we ship 2.3.1 to 1 000 users, ticket #4521, budget 12,500 EUR (23.11.2026).'

    assert.equal(redactPii(text), text)
  })
})
