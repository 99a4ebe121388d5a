import type User from '#identity/models/user'
import { TenantPolicy } from '#identity/policies/tenant_policy'
import type { ProjectScope } from '#work/services/project_access'
import type Task from '#work/models/task'
import type Comment from '#work/models/comment'

/**
 * Roles are the caller's in the project (see ProjectAccess): workspace
 * admins and owners are `admin` everywhere, full members who were not
 * added read as `viewer`, guests see only projects they were added to.
 *
 * | action                                   | admin | lead | member       | viewer |
 * | read the project, its tasks, comments, feed | yes | yes  | yes          | yes    |
 * | create a project (then lead it)          | every full member, not guests        |
 * | create, edit, move tasks; comment        | yes   | yes  | yes          | no     |
 * | delete a task                            | yes   | yes  | its creator  | no     |
 * | manage the project, members, workflow    | yes   | yes  | no           | no     |
 * | edit or delete a comment                 | yes   | its author, while they may comment |
 */
export default class ProjectPolicy extends TenantPolicy {
  create(user: User) {
    return this.isMember(user)
  }

  contribute(_user: User, scope: ProjectScope) {
    return scope.role !== 'viewer'
  }

  manage(_user: User, scope: ProjectScope) {
    return scope.role === 'admin' || scope.role === 'lead'
  }

  deleteTask(user: User, scope: ProjectScope, task: Task) {
    return this.manage(user, scope) || (scope.role === 'member' && task.createdById === user.id)
  }

  changeComment(user: User, scope: ProjectScope, comment: Comment) {
    if (scope.role === 'admin') {
      return true
    }
    return comment.authorId === user.id && this.contribute(user, scope)
  }
}
