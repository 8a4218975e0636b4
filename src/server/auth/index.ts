/** Authentication for `gleaner serve`: users, sessions, API keys, invitations, first-admin setup. */
export { AuthService, type AuthServiceOptions } from "./auth-service.js";
export { AuthError, type AuthStatus } from "./errors.js";
export { principalFrom, SESSION_COOKIE } from "./principal.js";
export type { ThrottleOptions } from "./login-throttle.js";
export type { PasswordHashOptions } from "./password-policy.js";
export type { ApiKeyInfo, InvitationInfo, Principal, Role, User } from "./types.js";
