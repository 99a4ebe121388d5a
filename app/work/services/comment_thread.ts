import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { DateTime } from 'luxon'
import User from '#identity/models/user'
import type { RequestOrigin } from '#identity/request_origin'
import { AuditTrail } from '#audit/services/audit_trail'
import { EventOutbox } from '#events/event_outbox'
import Comment from '#work/models/comment'
import CommentRevision from '#work/models/comment_revision'
import Task from '#work/models/task'
import Project from '#work/models/project'
import { ProjectAccess } from '#work/services/project_access'
import { TaskLocks } from '#work/services/task_locks'
import { mentionedIds } from '#shared/mentions'
import { ProjectArchivedException, WorkNotFoundException } from '#work/exceptions'
import { CommentDeleted, CommentEdited, CommentPosted } from '#work/events'

/**
 * Comments on a task. Edits keep the previous text as a revision; a
 * deleted comment stays in the thread as a tombstone, its text and
 * revisions gone.
 */
export class CommentThread {
  async post(actor: User, taskId: number, body: string) {
    return db.transaction(async (trx) => {
      const { task, projectKey } = await this.#taskOf(trx, taskId)
      const comment = await Comment.create(
        {
          taskId: task.id,
          authorId: actor.id,
          body,
          mentionIds: await this.#mentions(trx, task.projectId, body),
        },
        { client: trx }
      )
      await EventOutbox.append(trx, [
        new CommentPosted(
          {
            ...TaskLocks.reference(task, projectKey),
            comment_id: comment.id,
            mention_ids: comment.mentionIds,
          },
          actor.id
        ),
      ])
      return comment
    })
  }

  async edit(actor: User, commentId: number, body: string) {
    return db.transaction(async (trx) => {
      const comment = await this.#lock(trx, commentId)
      if (comment.body === body) {
        return comment
      }
      const { task, projectKey } = await this.#taskOf(trx, comment.taskId)
      await CommentRevision.create(
        { commentId: comment.id, body: comment.body, editedById: actor.id },
        { client: trx }
      )
      comment.body = body
      comment.mentionIds = await this.#mentions(trx, task.projectId, body)
      comment.editedAt = DateTime.now()
      await comment.save()
      await EventOutbox.append(trx, [
        new CommentEdited(
          {
            ...TaskLocks.reference(task, projectKey),
            comment_id: comment.id,
            mention_ids: comment.mentionIds,
          },
          actor.id
        ),
      ])
      return comment
    })
  }

  async delete(actor: User, commentId: number, origin: RequestOrigin) {
    await db.transaction(async (trx) => {
      const comment = await this.#lock(trx, commentId)
      const { task, projectKey } = await this.#taskOf(trx, comment.taskId)
      await CommentRevision.query({ client: trx }).where('comment_id', comment.id).delete()
      comment.body = ''
      comment.mentionIds = []
      comment.deletedAt = DateTime.now()
      await comment.save()
      // Moderation is what an admin needs to trace; authors deleting
      // their own words is not.
      if (comment.authorId !== actor.id) {
        await AuditTrail.record(trx, {
          actor: { type: 'user', id: actor.id },
          action: 'comment.deleted',
          target: { type: 'comment', id: comment.id },
          ...origin,
          metadata: { task_id: task.id, author_id: comment.authorId },
        })
      }
      await EventOutbox.append(trx, [
        new CommentDeleted(
          { ...TaskLocks.reference(task, projectKey), comment_id: comment.id },
          actor.id
        ),
      ])
    })
  }

  async #lock(trx: TransactionClientContract, commentId: number) {
    const comment = await Comment.query({ client: trx })
      .where('id', commentId)
      .whereNull('deleted_at')
      .forUpdate()
      .first()
    if (!comment) {
      throw new WorkNotFoundException('comment')
    }
    return comment
  }

  async #taskOf(trx: TransactionClientContract, taskId: number) {
    const task = await Task.query({ client: trx }).where('id', taskId).first()
    if (!task) {
      throw new WorkNotFoundException('task')
    }
    const project = await Project.query({ client: trx }).where('id', task.projectId).firstOrFail()
    if (project.status === 'archived') {
      throw new ProjectArchivedException()
    }
    return { task, projectKey: project.key }
  }

  /**
   * Mentioned members who can see the project; others are left as text,
   * the way a chat client shows a mention of someone outside the room.
   */
  async #mentions(trx: TransactionClientContract, projectId: number, body: string) {
    const ids = mentionedIds(body)
    if (ids.length === 0) {
      return []
    }
    const users = await User.query({ client: trx }).whereIn('id', ids).orderBy('id')
    const visible: number[] = []
    for (const user of users) {
      if (await ProjectAccess.roleIn(user, projectId, trx)) {
        visible.push(user.id)
      }
    }
    return visible
  }
}
