import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import {
  authenticateIntegration,
  issueIntegrationToken,
  listIntegrationTokens,
  revokeIntegrationToken,
  TRACKING_TOKEN_PREFIX,
  type IntegrationCaller,
  type IntegrationTokenKind,
  type IntegrationTokenView,
} from '../../platform/auth/integration-tokens.ts';
import { trackingTokenIssued, trackingTokenRevoked } from './tracking-tokens.events.ts';

// The credentials of a force's vehicle tracking (decision 0203): integration tokens of their own
// kind, which post unit positions and nothing else.

const TRACKING_TOKENS: IntegrationTokenKind = {
  name: 'vehicle tracking',
  table: 'tracking_integration_tokens',
  lockName: 'tracking-tokens',
  prefix: TRACKING_TOKEN_PREFIX,
  issued: trackingTokenIssued,
  revoked: trackingTokenRevoked,
};

/** The force's vehicle-tracking tokens, newest first (never the tokens themselves). */
export const listTrackingTokens = (deps: ServiceDeps, forceId: ForceId): Promise<IntegrationTokenView[]> => listIntegrationTokens(deps, TRACKING_TOKENS, forceId);

/** Makes a token for the force's vehicle tracking; the token is in the answer only. */
export const issueTrackingToken = (deps: ServiceDeps, forceId: ForceId, staffId: StaffId, label: string) =>
  issueIntegrationToken(deps, TRACKING_TOKENS, forceId, staffId, { label, isRotation: false });

/** Revokes one of the force's vehicle-tracking tokens; revoking a revoked one changes nothing. */
export const revokeTrackingToken = (deps: ServiceDeps, forceId: ForceId, staffId: StaffId, tokenId: string): Promise<void> =>
  revokeIntegrationToken(deps, TRACKING_TOKENS, forceId, staffId, tokenId);

/** The force a tracking feed's `Authorization: Bearer <token>` header belongs to, or a 401. */
export const authenticateTrackingFeed = (deps: ServiceDeps, authorization: string | undefined): Promise<IntegrationCaller> =>
  authenticateIntegration(deps, TRACKING_TOKENS, authorization);
