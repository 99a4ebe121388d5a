import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import ProjectPolicy from '#work/policies/project_policy'
import {
  editCommentValidator,
  listCommentsValidator,
  postCommentValidator,
} from '#work/validators/comments'
import Comment from '#work/models/comment'
import CommentRevision from '#work/models/comment_revision'
import { ProjectAccess } from '#work/services/project_access'
import { CommentThread } from '#work/services/comment_thread'
import { commentResource, revisionResource } from '#work/resources'
import { requestOrigin } from '#identity/request_origin'
import { paginateByKey } from '#shared/pagination'

@inject()
export default class CommentsController {
  constructor(protected thread: CommentThread) {}

  /** The thread in the order it was written; deleted comments as tombstones. */
  async index({ request, params, auth }: HttpContext) {
    const { task } = await ProjectAccess.openTask(auth.getUserOrFail(), params.id)
    const filters = await request.validateUsing(listCommentsValidator, { data: request.qs() })
    const page = await paginateByKey(Comment.query().where('task_id', task.id), filters, {
      columns: ['id'],
      direction: 'asc',
      of: (comment) => [comment.id],
    })
    return { data: page.items.map(commentResource), meta: { next_cursor: page.nextCursor } }
  }

  async store(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    const { task, scope } = await ProjectAccess.openTask(user, ctx.params.id)
    await ctx.bouncer.with(ProjectPolicy).authorize('contribute', scope)
    const { body } = await ctx.request.validateUsing(postCommentValidator)
    const comment = await this.thread.post(user, task.id, body)
    ctx.response.status(201)
    return { data: commentResource(comment) }
  }

  async update(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    const { comment, scope } = await ProjectAccess.openComment(user, ctx.params.id)
    await ctx.bouncer.with(ProjectPolicy).authorize('changeComment', scope, comment)
    const { body } = await ctx.request.validateUsing(editCommentValidator)
    const edited = await this.thread.edit(user, comment.id, body)
    return { data: commentResource(edited) }
  }

  async destroy(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    const { comment, scope } = await ProjectAccess.openComment(user, ctx.params.id)
    await ctx.bouncer.with(ProjectPolicy).authorize('changeComment', scope, comment)
    await this.thread.delete(user, comment.id, requestOrigin(ctx))
    return ctx.response.noContent()
  }

  /** What the comment said before each edit, oldest first. */
  async revisions({ request, params, auth }: HttpContext) {
    const { comment } = await ProjectAccess.openComment(auth.getUserOrFail(), params.id)
    const filters = await request.validateUsing(listCommentsValidator, { data: request.qs() })
    const page = await paginateByKey(
      CommentRevision.query().where('comment_id', comment.id),
      filters,
      { columns: ['id'], direction: 'asc', of: (revision) => [revision.id] }
    )
    return { data: page.items.map(revisionResource), meta: { next_cursor: page.nextCursor } }
  }
}
