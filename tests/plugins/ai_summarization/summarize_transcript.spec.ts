import { test } from '@japa/runner'
import {
  LABELS,
  summarizeTranscript,
} from '../../../plugins/ai_summarization/summarize_transcript.js'
import type { LlmEndpoint } from '../../../plugins/ai_summarization/llm/llm_summarizer.js'
import type { LlmFailure } from '../../../plugins/ai_summarization/llm/llm_failure.js'
import { FakeLlmServer } from './fake_llm_server.js'
import { KEY_SENTENCES, releaseConversation } from './release_conversation.js'

function endpoint(fake: FakeLlmServer): LlmEndpoint {
  return {
    baseUrl: fake.baseUrl,
    apiKey: 'sk-test-key',
    model: 'test-model-mini',
    maxInputTokens: 6000,
    timeoutMs: 1000,
    maxRetries: 1,
  }
}

const withPersonalData = {
  title: 'Comments of ACME-12',
  entries: [
    {
      author: 'Alice Martin',
      at: '2026-11-23T09:00:00.000Z',
      text: 'Refund the customer at jane.doe@example.com, IBAN FR76 3000 6000 0112 3456 7890 189.',
    },
    {
      author: 'Bob Chen',
      at: '2026-11-23T09:05:00.000Z',
      text: 'She asked to be called back on +44 20 7946 0958 about card 4111 1111 1111 1111.',
    },
  ],
}

test.group('Summarizing a transcript', (group) => {
  let fake: FakeLlmServer
  group.each.setup(async () => {
    fake = await FakeLlmServer.start()
    return () => fake.close()
  })

  test("the model's summary, labelled with the model", async ({ assert }) => {
    fake.answer({ text: 'Ship 2.3 on Thursday.' })

    const outcome = await summarizeTranscript(releaseConversation, {
      endpoint: endpoint(fake),
      redactPii: false,
    })

    assert.deepEqual(outcome, {
      method: 'llm',
      model: 'test-model-mini',
      label: 'AI summary (test-model-mini)',
      text: 'Ship 2.3 on Thursday.',
      fallback_reason: null,
      stats: { entries: releaseConversation.entries.length, chunks: 1, llm_requests: 1 },
    })
  })

  test('without a model: the extractive summary, labelled as such', async ({ assert }) => {
    const outcome = await summarizeTranscript(releaseConversation, {
      endpoint: null,
      redactPii: false,
    })

    assert.equal(outcome.method, 'extractive')
    assert.equal(outcome.label, LABELS.extractive)
    assert.isNull(outcome.fallback_reason)
    assert.include(outcome.text, KEY_SENTENCES[2])
    assert.lengthOf(fake.requests, 0)
  })

  test('a model failing after its retries: the extractive summary with the reason', async ({
    assert,
  }) => {
    fake.answer({ status: 500 }, { status: 500 })
    const failures: LlmFailure[] = []

    const outcome = await summarizeTranscript(releaseConversation, {
      endpoint: endpoint(fake),
      redactPii: false,
      onFallback: (failure) => failures.push(failure),
    })

    assert.equal(outcome.method, 'extractive')
    assert.equal(outcome.fallback_reason, 'llm_unavailable')
    assert.equal(outcome.label, LABELS.fallback)
    assert.include(outcome.text, KEY_SENTENCES[0])
    assert.lengthOf(fake.requests, 2)
    assert.deepEqual(
      failures.map((failure) => failure.reason),
      ['llm_unavailable']
    )
  })

  test('a model timing out: the extractive summary with the reason', async ({ assert }) => {
    fake.answer({ delayMs: 3000, text: 'late' }, { delayMs: 3000, text: 'late' })

    const outcome = await summarizeTranscript(releaseConversation, {
      endpoint: endpoint(fake),
      redactPii: false,
    })

    assert.equal(outcome.method, 'extractive')
    assert.equal(outcome.fallback_reason, 'llm_timeout')
  })

  test('with redact_pii, personal data never reaches the model', async ({ assert }) => {
    await summarizeTranscript(withPersonalData, { endpoint: endpoint(fake), redactPii: true })

    const sent = fake.sentText(fake.requests[0])
    for (const personal of ['jane.doe', 'FR76', '7946', '4111']) {
      assert.notInclude(sent, personal)
    }
    assert.include(sent, 'Alice Martin: Refund the customer at [email], IBAN [iban].')
    assert.include(sent, 'called back on [phone] about card [card number].')
  })

  test('without redact_pii, the text is sent as written', async ({ assert }) => {
    await summarizeTranscript(withPersonalData, { endpoint: endpoint(fake), redactPii: false })

    assert.include(fake.sentText(fake.requests[0]), 'jane.doe@example.com')
  })

  test('nothing to summarize: no request, an empty summary saying so', async ({ assert }) => {
    const outcome = await summarizeTranscript(
      { title: 'Messages of #quiet', entries: [] },
      { endpoint: endpoint(fake), redactPii: false }
    )

    assert.containsSubset(outcome, { method: 'none', label: LABELS.none, text: '' })
    assert.lengthOf(fake.requests, 0)
  })
})
