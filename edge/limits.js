// Limits shared by the HTTP edge guard (edge/guard.js) and the app's body readers (app/lib/body.server.ts).
// @ts-check

/** The largest request body Roster reads: its forms are small (a 50-row page submits at most 50 ids). */
export const MAX_BODY_BYTES = 64 * 1024;
