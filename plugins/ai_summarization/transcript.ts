import { redactPii } from './text/pii_redactor.js'

/**
 * What is summarized, whatever its source: a channel's messages, a
 * thread, a task's comments or a project's activity, as dated lines by
 * named authors. Only what the requester can read ever becomes one.
 */
export interface Transcript {
  /** Says what the content is, e.g. 'Messages of #release from 2026-11-02 to 2026-11-09'. */
  title: string
  entries: TranscriptEntry[]
}

export interface TranscriptEntry {
  author: string
  /** ISO 8601; null when the source does not say. */
  at: string | null
  text: string
}

/** One line per entry, the form sent to a model: '[2026-11-23 10:02] Alice Martin: text'. */
export function transcriptLines(transcript: Transcript) {
  return transcript.entries.map((entry) =>
    entry.at
      ? `[${entry.at.slice(0, 16).replace('T', ' ')}] ${entry.author}: ${entry.text}`
      : `${entry.author}: ${entry.text}`
  )
}

/** The transcript with personal data in the text replaced by placeholders. */
export function redactTranscript(transcript: Transcript): Transcript {
  return {
    title: transcript.title,
    entries: transcript.entries.map((entry) => ({ ...entry, text: redactPii(entry.text) })),
  }
}
