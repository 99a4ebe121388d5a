import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const ProjectsController = () => import('#work/controllers/projects_controller')
const ProjectMembersController = () => import('#work/controllers/project_members_controller')
const WorkflowStatusesController = () => import('#work/controllers/workflow_statuses_controller')
const TasksController = () => import('#work/controllers/tasks_controller')
const CommentsController = () => import('#work/controllers/comments_controller')
const ActivityFeedController = () => import('#work/controllers/activity_feed_controller')

/**
 * Projects, tasks, comments and the activity feed; registered inside the
 * authenticated tenant group of start/routes.ts.
 */
export function workRoutes() {
  router.get('/projects', [ProjectsController, 'index']).as('projects.index')
  router
    .post('/projects', [ProjectsController, 'store'])
    .as('projects.store')
    .use(middleware.idempotent())
  router.get('/projects/:id', [ProjectsController, 'show']).as('projects.show')
  router.patch('/projects/:id', [ProjectsController, 'update']).as('projects.update')
  router.delete('/projects/:id', [ProjectsController, 'destroy']).as('projects.destroy')

  router
    .get('/projects/:id/members', [ProjectMembersController, 'index'])
    .as('project_members.index')
  router
    .post('/projects/:id/members', [ProjectMembersController, 'store'])
    .as('project_members.store')
  router
    .delete('/projects/:id/members/:userId', [ProjectMembersController, 'destroy'])
    .as('project_members.destroy')
    .where('userId', router.matchers.number())

  router
    .get('/projects/:id/statuses', [WorkflowStatusesController, 'index'])
    .as('workflow_statuses.index')
  router
    .post('/projects/:id/statuses', [WorkflowStatusesController, 'store'])
    .as('workflow_statuses.store')
  router
    .patch('/projects/:id/statuses/:statusId', [WorkflowStatusesController, 'update'])
    .as('workflow_statuses.update')
    .where('statusId', router.matchers.number())
  router
    .delete('/projects/:id/statuses/:statusId', [WorkflowStatusesController, 'destroy'])
    .as('workflow_statuses.destroy')
    .where('statusId', router.matchers.number())

  router.get('/projects/:id/tasks', [TasksController, 'index']).as('tasks.index')
  router
    .post('/projects/:id/tasks', [TasksController, 'store'])
    .as('tasks.store')
    .use(middleware.idempotent())
  router.get('/users/me/tasks', [TasksController, 'mine']).as('tasks.mine')
  router.get('/tasks/:id', [TasksController, 'show']).as('tasks.show')
  router.patch('/tasks/:id', [TasksController, 'update']).as('tasks.update')
  router.delete('/tasks/:id', [TasksController, 'destroy']).as('tasks.destroy')
  router.put('/tasks/:id/status', [TasksController, 'status']).as('tasks.status')
  router.post('/tasks/:id/move', [TasksController, 'move']).as('tasks.move')

  router.get('/tasks/:id/comments', [CommentsController, 'index']).as('comments.index')
  router
    .post('/tasks/:id/comments', [CommentsController, 'store'])
    .as('comments.store')
    .use(middleware.idempotent())
  router.patch('/comments/:id', [CommentsController, 'update']).as('comments.update')
  router.delete('/comments/:id', [CommentsController, 'destroy']).as('comments.destroy')
  router.get('/comments/:id/revisions', [CommentsController, 'revisions']).as('comments.revisions')

  router
    .get('/projects/:id/activity-feed', [ActivityFeedController, 'index'])
    .as('activity_feed.index')
}
