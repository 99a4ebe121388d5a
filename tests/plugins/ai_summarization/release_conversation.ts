import type { Transcript } from '../../../plugins/ai_summarization/transcript.js'

/**
 * A morning in a team channel: chatter around a few statements that
 * matter (an owner with a date, a blocker, a decision: in that order). The
 * extractive summarizer must find those.
 */
export const KEY_SENTENCES = [
  'Bob will fix the login timeout bug in the release branch before Wednesday.',
  'The Android release is blocked until the store review of the new login screen is done.',
  'We decided to ship the 2.3 release on Thursday once QA signs off on the release checklist.',
]

const lines: [string, string][] = [
  ['Alice Martin', 'Good morning everyone!'],
  ['Bob Chen', 'Morning 👋'],
  ['Carol Diaz', 'Hi all'],
  [
    'Alice Martin',
    'Quick sync about the 2.3 release: QA found two regressions in the release branch yesterday.',
  ],
  ['Bob Chen', 'ok'],
  [
    'Carol Diaz',
    'The first regression is the login timeout bug, users get logged out after five minutes.',
  ],
  ['Bob Chen', 'I looked at the login timeout bug last night, the session refresh is broken.'],
  [`Alice Martin`, 'thanks Bob'],
  [`Bob Chen`, KEY_SENTENCES[0]],
  ['Carol Diaz', 'The second regression is a typo on the settings page, trivial to fix.'],
  ['Alice Martin', 'lol'],
  ['Dan Okafor', 'Sorry I am late, had a dentist appointment.'],
  [
    'Dan Okafor',
    'Store review of the new login screen is still pending for Android, Apple approved it already.',
  ],
  ['Carol Diaz', 'Sure'],
  ['Dan Okafor', KEY_SENTENCES[1]],
  ['Alice Martin', 'Got it.'],
  [
    'Alice Martin',
    `So, to sum up the QA checklist discussion. ${KEY_SENTENCES[2]} Carol updates the release notes.`,
  ],
  ['Bob Chen', '👍'],
  ['Carol Diaz', 'Anyone up for lunch today?'],
  ['Dan Okafor', 'yes!'],
]

export const releaseConversation: Transcript = {
  title: 'Messages of #release from 2026-11-23 to 2026-11-24',
  entries: lines.map(([author, text], index) => ({
    author,
    at: new Date(Date.UTC(2026, 10, 23, 9, index)).toISOString(),
    text,
  })),
}
