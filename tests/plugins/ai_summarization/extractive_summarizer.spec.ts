import { test } from '@japa/runner'
import { summarizeExtractively } from '../../../plugins/ai_summarization/text/extractive_summarizer.js'
import { KEY_SENTENCES, releaseConversation } from './release_conversation.js'

test.group('Extractive summarizer', () => {
  test('picks the decision, the owner with a date and the blocker, in their original order', ({
    assert,
  }) => {
    const summary = summarizeExtractively(releaseConversation, { maxSentences: 4 })

    const picked = summary.sentences.map((key) => key.sentence)
    const keyPositions = KEY_SENTENCES.map((sentence) => picked.indexOf(sentence))
    assert.notInclude(keyPositions, -1, `picked: ${JSON.stringify(picked, null, 2)}`)
    assert.deepEqual(
      keyPositions,
      [...keyPositions].sort((a, b) => a - b)
    )
    assert.isAtMost(picked.length, 4)
  })

  test('leaves greetings and acknowledgements out', ({ assert }) => {
    const summary = summarizeExtractively(releaseConversation)

    for (const chatter of ['Good morning everyone!', 'ok', 'thanks Bob', 'lol', '👍', 'Sure']) {
      assert.notInclude(
        summary.sentences.map((key) => key.sentence),
        chatter
      )
    }
  })

  test('quotes each sentence with its author and day', ({ assert }) => {
    const summary = summarizeExtractively(releaseConversation, { maxSentences: 4 })

    assert.include(summary.text, `- [2026-11-23] Bob Chen: ${KEY_SENTENCES[0]}`)
    assert.lengthOf(summary.text.split('\n'), summary.sentences.length)
  })

  test('an empty transcript gives an empty summary', ({ assert }) => {
    const summary = summarizeExtractively({ title: 'Nothing', entries: [] })

    assert.deepEqual(summary, { text: '', sentences: [] })
  })

  test('a short exchange of chatter still yields a sentence', ({ assert }) => {
    const summary = summarizeExtractively({
      title: 'Two messages',
      entries: [
        { author: 'Alice', at: '2026-11-23T09:00:00.000Z', text: 'ok' },
        { author: 'Bob', at: '2026-11-23T09:01:00.000Z', text: 'Done.' },
      ],
    })

    assert.lengthOf(summary.sentences, 1)
  })
})
