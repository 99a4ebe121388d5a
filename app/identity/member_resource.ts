import type User from '#identity/models/user'

/**
 * A member as the API shows it (snake_case, no secrets).
 */
export function memberResource(user: User) {
  return {
    id: user.id,
    email: user.email,
    full_name: user.fullName,
    role: user.role,
    status: user.status,
    created_at: user.createdAt.toISO(),
    deactivated_at: user.deactivatedAt?.toISO() ?? null,
  }
}
