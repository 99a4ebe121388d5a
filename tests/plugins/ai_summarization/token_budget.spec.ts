import { test } from '@japa/runner'
import {
  chunkLines,
  estimateTokens,
  truncateToTokens,
} from '../../../plugins/ai_summarization/text/token_budget.js'

test.group('Token budget', () => {
  test('estimates a token per four characters', ({ assert }) => {
    assert.equal(estimateTokens(''), 0)
    assert.equal(estimateTokens('abcd'), 1)
    assert.equal(estimateTokens('abcde'), 2)
  })

  test('groups whole lines into chunks within the budget, in order', ({ assert }) => {
    const lines = Array.from({ length: 30 }, (_, index) => `line ${index} `.padEnd(40, '.'))

    const chunks = chunkLines(lines, 100)

    assert.isAbove(chunks.length, 1)
    for (const chunk of chunks) {
      assert.isAtMost(estimateTokens(chunk), 100)
    }
    assert.deepEqual(chunks.join('\n').split('\n'), lines)
  })

  test('everything in one chunk when it fits', ({ assert }) => {
    assert.deepEqual(chunkLines(['a', 'b', 'c'], 100), ['a\nb\nc'])
  })

  test('splits a line longer than the budget at word boundaries', ({ assert }) => {
    const line = Array.from({ length: 200 }, (_, index) => `word${index}`).join(' ')

    const chunks = chunkLines([line], 50)

    assert.isAbove(chunks.length, 1)
    for (const chunk of chunks) {
      assert.isAtMost(estimateTokens(chunk), 50)
      assert.match(chunk, /^word\d+( word\d+)*$/)
    }
    assert.equal(chunks.join(' '), line)
  })

  test('truncates to about a number of tokens at a word boundary', ({ assert }) => {
    const text = 'alpha beta gamma delta epsilon'

    assert.equal(truncateToTokens(text, 100), text)
    assert.equal(truncateToTokens(text, 4), 'alpha beta…')
  })
})
