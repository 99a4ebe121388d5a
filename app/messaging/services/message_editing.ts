import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { RawQueryBindings } from '@adonisjs/lucid/types/querybuilder'
import type User from '#identity/models/user'
import type { RequestOrigin } from '#identity/request_origin'
import { AuditTrail } from '#audit/services/audit_trail'
import { EventOutbox } from '#events/event_outbox'
import { LiveUpdates } from '#realtime/services/live_updates'
import { paginateByKey } from '#shared/pagination'
import { ChannelAccess } from '#messaging/services/channel_access'
import { ChannelSequence, UNCHANGED } from '#messaging/services/channel_sequence'
import { MessageRecords } from '#messaging/services/message_records'
import { mentionedMembers, readMessageBody } from '#messaging/message_body'
import { messageResource, messageRevisionResource } from '#messaging/resources'
import { tables, type MessageRow } from '#messaging/tables'
import { MessageDeleted, MessageEdited } from '#messaging/events'

const NO_ORIGIN: RequestOrigin = { ip: null, userAgent: null }

/**
 * Editing and deleting messages. An edit keeps the previous text as a
 * revision; a deletion leaves a tombstone in place (its seq, thread and
 * replies stay) and removes its text, revisions and reactions. Each takes
 * a new seq of the channel, which becomes the message's changed_seq.
 */
@inject()
export class MessageEditing {
  constructor(protected live: LiveUpdates) {}

  /** Its author only; the same text again changes nothing (no seq, no broadcast). */
  async edit(actor: User, messageId: number, body: string) {
    const { text, mentionIds, mentionsChannel } = readMessageBody(body)
    const { message, scope } = await ChannelAccess.openLiveMessage(actor, messageId)
    ChannelAccess.authorize('editMessage', actor, scope, message)
    const channelId = message.channel_id
    const edited = await ChannelSequence.change(channelId, async (trx, seq) => {
      const current = await MessageRecords.lock(trx, messageId)
      if (current.body === text) {
        return UNCHANGED
      }
      await trx
        .insertQuery()
        .table(tables.revisions())
        .insert({ message_id: messageId, body: current.body, edited_by: actor.id })
      const mentions = mentionedMembers(tables.members(), channelId, mentionIds)
      await trx.rawQuery(
        `UPDATE ${tables.messages()}
            SET body = ?, mention_ids = ${mentions.sql}, mentions_channel = ?,
                edited_at = now(), changed_seq = ?
          WHERE id = ?`,
        [text, ...mentions.bindings, mentionsChannel, seq, messageId] as RawQueryBindings
      )
      const row = (await MessageRecords.find(messageId, trx))!
      await EventOutbox.append(trx, [
        new MessageEdited(
          {
            channel_id: channelId,
            message_id: messageId,
            thread_id: row.thread_id,
            seq: row.seq,
            changed_seq: seq,
            mention_ids: row.mention_ids,
            mentions_channel: row.mentions_channel,
          },
          actor.id
        ),
      ])
      return row
    })
    if (!edited) {
      return messageResource(message)
    }
    const resource = messageResource(edited)
    this.live.toChannel(channelId, 'message:edited', resource)
    return resource
  }

  /**
   * Its author, a channel owner or a workspace admin. Someone deleting
   * another's message is audited (moderation); authors deleting their
   * own words are not.
   */
  async delete(actor: User, messageId: number, origin: RequestOrigin = NO_ORIGIN) {
    const { message, scope } = await ChannelAccess.openLiveMessage(actor, messageId)
    ChannelAccess.authorize('deleteMessage', actor, scope, message)
    const channelId = message.channel_id
    const tombstone = (await ChannelSequence.change(channelId, async (trx, seq) => {
      await MessageRecords.lock(trx, messageId)
      await trx.from(tables.revisions()).where('message_id', messageId).delete()
      await trx.from(tables.reactions()).where('message_id', messageId).delete()
      const [row]: MessageRow[] = await trx
        .from(tables.messages())
        .where('id', messageId)
        .update({
          body: '',
          mention_ids: [],
          mentions_channel: false,
          pinned_at: null,
          pinned_by: null,
          deleted_at: new Date(),
          changed_seq: seq,
        })
        .returning('*')
      if (row.sender_id !== actor.id) {
        await AuditTrail.record(trx, {
          actor: { type: 'user', id: actor.id },
          action: 'message.deleted',
          target: { type: 'message', id: messageId },
          ...origin,
          metadata: { channel_id: channelId, sender_id: row.sender_id },
        })
      }
      await EventOutbox.append(trx, [
        new MessageDeleted(
          {
            channel_id: channelId,
            message_id: messageId,
            thread_id: row.thread_id,
            seq: row.seq,
            changed_seq: seq,
          },
          actor.id
        ),
      ])
      return row
    }))!
    this.live.toChannel(channelId, 'message:deleted', {
      channel_id: channelId,
      message_id: messageId,
      seq: tombstone.seq,
      changed_seq: tombstone.changed_seq,
    })
  }

  /** What a live message said before each edit, oldest first (its author, and readers). */
  async revisions(actor: User, messageId: number, page: { cursor?: string; limit?: number }) {
    const message = await ChannelAccess.openHistoryOf(actor, messageId)
    const result = await paginateByKey(
      db.from(tables.revisions()).where('message_id', message.id),
      page,
      { columns: ['id'], direction: 'asc', of: (row) => [row.id] }
    )
    return {
      data: result.items.map(messageRevisionResource),
      meta: { next_cursor: result.nextCursor },
    }
  }
}
