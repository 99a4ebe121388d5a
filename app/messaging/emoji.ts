import { MessagingInputException } from '#messaging/exceptions'

export const MAX_EMOJI_LENGTH = 64

/**
 * A reaction: a `:short_name:` (custom or named emoji, as clients type
 * them) or a Unicode emoji sequence: pictographs, flags and keycaps with
 * their modifiers, joiners and variation selectors, no other text.
 */
export const EMOJI =
  /^(?::[a-z0-9_+-]{1,62}:|(?=.*[\p{Extended_Pictographic}\p{Regional_Indicator}\u20e3])[\p{Emoji_Component}\p{Extended_Pictographic}]+)$/u

/** Checked here as well as by the REST validator, for socket handlers. */
export function readEmoji(emoji: string) {
  if (typeof emoji !== 'string' || emoji.length > MAX_EMOJI_LENGTH || !EMOJI.test(emoji)) {
    throw new MessagingInputException(
      'emoji',
      'A reaction is a Unicode emoji or a :short_name: of at most 64 characters'
    )
  }
  return emoji
}
