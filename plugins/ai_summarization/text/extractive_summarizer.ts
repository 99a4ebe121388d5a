import type { Transcript } from '../transcript.js'

/*
 * The offline summarizer: picks the sentences that say the most and
 * quotes them, in their original order. No model, no network.
 *
 * Each sentence is a TF-IDF vector over its content words; sentences are
 * ranked TextRank-style (PageRank over their cosine similarities, so a
 * sentence that shares vocabulary with many others, i.e. sits at the centre
 * of the discussion, ranks high), then sentences that state an outcome
 * ("decided", "deadline", "blocked") get a bonus. Acknowledgements and
 * greetings ("ok", "thanks!") have too few content words to compete.
 * Stop words and cue words are English; other languages still rank by
 * centrality alone.
 */

export interface KeySentence {
  author: string
  at: string | null
  sentence: string
}

export interface ExtractiveSummary {
  text: string
  sentences: KeySentence[]
}

const DEFAULT_MAX_SENTENCES = 7
// A sentence with fewer content words than this is chatter, not content.
const MIN_CONTENT_WORDS = 3
const DAMPING = 0.85
const ITERATIONS = 30
const OUTCOME_BONUS = 0.5
// TextRank compares every pair of sentences; past this many, each sentence is
// compared with the centroid of all of them instead (linear, same intent).
const TEXT_RANK_LIMIT = 800
// Above this cosine similarity a sentence repeats one already picked.
const REDUNDANCY = 0.6

const STOP_WORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being
  below between both but by can could did do does doing down during each few for from further had
  has have having he her here hers herself him himself his how i if in into is it its itself just
  me more most my myself no nor not now of off on once only or other our ours ourselves out over
  own same she should so some such than that the their theirs them themselves then there these
  they this those through to too under until up very was we were what when where which while who
  whom why with would you your yours yourself yourselves also ok okay yes yeah thanks thank hi
  hello hey please sure great cool lol let let's get got go going know think just really one
  i'm it's that's we're you're i'll we'll don't can't`.split(/\s+/)
)

// Word stems of sentences that record an outcome: decisions, owners, dates, blockers.
const OUTCOME_STEMS = [
  'decid',
  'decision',
  'agree',
  'deadline',
  'due',
  'block',
  'action',
  'assign',
  'owner',
  'ship',
  'release',
  'launch',
  'postpone',
  'cancel',
  'approv',
  'conclu',
  'plan',
  'risk',
]

interface Candidate extends KeySentence {
  position: number
  words: string[]
}

export function summarizeExtractively(
  transcript: Transcript,
  options: { maxSentences?: number } = {}
): ExtractiveSummary {
  const sentences = splitSentences(transcript)
  const substantial = sentences.filter((candidate) => candidate.words.length >= MIN_CONTENT_WORDS)
  const candidates = substantial.length > 0 ? substantial : sentences
  if (candidates.length === 0) {
    return { text: '', sentences: [] }
  }
  const wanted = Math.min(
    options.maxSentences ?? DEFAULT_MAX_SENTENCES,
    Math.max(1, Math.ceil(candidates.length / 4))
  )
  const vectors = tfIdfVectors(candidates.map((candidate) => candidate.words))
  const centrality =
    vectors.length <= TEXT_RANK_LIMIT ? textRank(vectors) : centroidSimilarity(vectors)
  const scores = candidates.map(
    (candidate, index) =>
      centrality[index] * (1 + (statesOutcome(candidate.words) ? OUTCOME_BONUS : 0))
  )

  const picked: number[] = []
  const byScore = candidates.map((_, index) => index).sort((a, b) => scores[b] - scores[a])
  for (const index of byScore) {
    if (picked.length === wanted) {
      break
    }
    if (picked.every((other) => cosine(vectors[index], vectors[other]) < REDUNDANCY)) {
      picked.push(index)
    }
  }

  const keySentences = picked
    .sort((a, b) => candidates[a].position - candidates[b].position)
    .map((index) => {
      const { author, at, sentence } = candidates[index]
      return { author, at, sentence }
    })
  return {
    text: keySentences
      .map((key) => `- ${key.at ? `[${key.at.slice(0, 10)}] ` : ''}${key.author}: ${key.sentence}`)
      .join('\n'),
    sentences: keySentences,
  }
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' })

function splitSentences(transcript: Transcript): Candidate[] {
  const sentences: Candidate[] = []
  for (const entry of transcript.entries) {
    for (const paragraph of entry.text.split(/\n+/)) {
      for (const { segment } of segmenter.segment(paragraph)) {
        const sentence = segment.trim()
        if (sentence.length > 0) {
          sentences.push({
            author: entry.author,
            at: entry.at,
            sentence,
            position: sentences.length,
            words: contentWords(sentence),
          })
        }
      }
    }
  }
  return sentences
}

function contentWords(sentence: string) {
  return (sentence.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}']*/gu) ?? [])
    .filter((word) => word.length > 1 && !STOP_WORDS.has(word))
    .map(stem)
}

// Folds plural and simple verb forms together ("releases", "released" → "releas").
function stem(word: string) {
  for (const suffix of ['ing', 'ed', 'es', 's']) {
    if (word.length > suffix.length + 3 && word.endsWith(suffix) && !word.endsWith('ss')) {
      return word.slice(0, -suffix.length)
    }
  }
  return word
}

function statesOutcome(words: string[]) {
  return words.some((word) => OUTCOME_STEMS.some((outcome) => word.startsWith(outcome)))
}

type Vector = Map<string, number>

function tfIdfVectors(documents: string[][]): Vector[] {
  const documentFrequency = new Map<string, number>()
  for (const words of documents) {
    for (const word of new Set(words)) {
      documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1)
    }
  }
  return documents.map((words) => {
    const vector: Vector = new Map()
    for (const word of words) {
      vector.set(word, (vector.get(word) ?? 0) + 1)
    }
    for (const [word, count] of vector) {
      vector.set(word, count * Math.log(1 + documents.length / documentFrequency.get(word)!))
    }
    return vector
  })
}

function cosine(a: Vector, b: Vector) {
  let dot = 0
  for (const [word, weight] of a) {
    dot += weight * (b.get(word) ?? 0)
  }
  return dot === 0 ? 0 : dot / (norm(a) * norm(b))
}

function norm(vector: Vector) {
  let sum = 0
  for (const weight of vector.values()) {
    sum += weight * weight
  }
  return Math.sqrt(sum)
}

/**
 * PageRank over the similarity graph. A sentence similar to nothing keeps
 * the base score, so an isolated but important statement can still rank
 * through its outcome bonus.
 */
function textRank(vectors: Vector[]) {
  const count = vectors.length
  const similarity = vectors.map((a, i) => vectors.map((b, j) => (i === j ? 0 : cosine(a, b))))
  const outWeight = similarity.map((row) => row.reduce((sum, weight) => sum + weight, 0))
  let scores = new Array<number>(count).fill(1)
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    scores = scores.map((_, i) => {
      let incoming = 0
      for (let j = 0; j < count; j++) {
        if (similarity[j][i] > 0) {
          incoming += (similarity[j][i] / outWeight[j]) * scores[j]
        }
      }
      return 1 - DAMPING + DAMPING * incoming
    })
  }
  return scores
}

function centroidSimilarity(vectors: Vector[]) {
  const centroid: Vector = new Map()
  for (const vector of vectors) {
    for (const [word, weight] of vector) {
      centroid.set(word, (centroid.get(word) ?? 0) + weight)
    }
  }
  return vectors.map((vector) => cosine(vector, centroid))
}
