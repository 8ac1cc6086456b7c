import type { StatsEndpoint } from "./routes.js";

/**
 * What an {@link Authorize} check decides: `true` lets the request through; `false`
 * or `401` answers 401 (with a `WWW-Authenticate` challenge), `403` answers 403.
 */
export type AccessDecision = boolean | 401 | 403;

/**
 * Decides whether a request may reach an endpoint. It runs after the path matched
 * and the method was accepted, so it sees exactly what the handler serves, and
 * before anything is collected. It may be async. Anything but `true` refuses (a
 * forgotten `return` refuses too); a check that throws or rejects answers 500 with
 * no data, and the error goes to `onError`.
 *
 * @typeParam Req - the platform's request: `IncomingMessage` for
 *   {@link createStatsHandler}, `Request` for {@link createFetchHandler}.
 * @param request - the request, as the platform handed it over.
 * @param endpoint - which endpoint it asks for, so one rule can leave `/metrics`
 *   open to Prometheus while `/stats` and the dashboard need a token.
 */
export type Authorize<Req> = (
  request: Req,
  endpoint: StatsEndpoint,
) => AccessDecision | PromiseLike<AccessDecision>;

/** How a check ended: let through, refused with a status, or failed with an error. */
export type AccessOutcome =
  | { readonly kind: "allowed" }
  | { readonly kind: "refused"; readonly status: 401 | 403 }
  | { readonly kind: "failed"; readonly error: unknown };

const ALLOWED: AccessOutcome = { kind: "allowed" };

/**
 * Runs a check and turns whatever it does (return, throw, reject) into an outcome;
 * never rejects.
 *
 * @param authorize - the check, or undefined for "everyone may".
 * @param request - passed to the check.
 * @param endpoint - passed to the check.
 * @returns the outcome.
 */
export async function checkAccess<Req>(
  authorize: Authorize<Req> | undefined,
  request: Req,
  endpoint: StatsEndpoint,
): Promise<AccessOutcome> {
  if (authorize === undefined) return ALLOWED;
  let decision: unknown;
  try {
    decision = await authorize(request, endpoint);
  } catch (error) {
    return { kind: "failed", error };
  }
  if (decision === true) return ALLOWED;
  return { kind: "refused", status: decision === 403 ? 403 : 401 };
}
