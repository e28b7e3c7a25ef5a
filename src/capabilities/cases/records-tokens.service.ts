import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import {
  authenticateIntegration,
  issueIntegrationToken,
  listIntegrationTokens,
  revokeIntegrationToken,
  RECORDS_TOKEN_PREFIX,
  type IntegrationCaller,
  type IntegrationTokenKind,
  type IntegrationTokenView,
} from '../../platform/auth/integration-tokens.ts';
import { recordsTokenIssued, recordsTokenRevoked } from './records-integration.events.ts';

// The credentials a force's records system uses: integration tokens of their own kind (decision
// 0203 made the tokens one platform piece, shared with vehicle tracking).

const RECORDS_TOKENS: IntegrationTokenKind = {
  name: 'records integration',
  table: 'records_integration_tokens',
  lockName: 'records-tokens',
  prefix: RECORDS_TOKEN_PREFIX,
  issued: recordsTokenIssued,
  revoked: recordsTokenRevoked,
};

/** A token as the admin screen shows it: never the token itself. */
export type RecordsTokenView = IntegrationTokenView;

/** The force's records-system tokens, newest first. */
export const listRecordsTokens = (deps: ServiceDeps, forceId: ForceId): Promise<RecordsTokenView[]> => listIntegrationTokens(deps, RECORDS_TOKENS, forceId);

/** Makes a token for the force's records system (with `isRotation`, revoking every other); the token is in the answer only. */
export const issueRecordsToken = (deps: ServiceDeps, forceId: ForceId, staffId: StaffId, input: { label: string; isRotation: boolean }) =>
  issueIntegrationToken(deps, RECORDS_TOKENS, forceId, staffId, input);

/** Revokes one of the force's records-system tokens; revoking a revoked one changes nothing. */
export const revokeRecordsToken = (deps: ServiceDeps, forceId: ForceId, staffId: StaffId, tokenId: string): Promise<void> =>
  revokeIntegrationToken(deps, RECORDS_TOKENS, forceId, staffId, tokenId);

/** The force a records system's `Authorization: Bearer <token>` header belongs to, or a 401. */
export const authenticateRecordsSystem = (deps: ServiceDeps, authorization: string | undefined): Promise<IntegrationCaller> =>
  authenticateIntegration(deps, RECORDS_TOKENS, authorization);
