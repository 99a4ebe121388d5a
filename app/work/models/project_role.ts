/** A member's role in one project. */
export type ProjectRole = 'lead' | 'member' | 'viewer'
export const PROJECT_ROLES: ProjectRole[] = ['lead', 'member', 'viewer']
