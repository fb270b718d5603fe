import type { AnyOperation } from '../../core/operation.ts';
import { buildClaimsOp, fixClaimOp, scrubClaimOp } from './build-operations.ts';
import { exportClaimX12, getClaim, listClaims } from './read-operations.ts';
import { createReplacementClaim, voidClaim } from './replacement-operations.ts';
import { answerClaimReview, askClaimReview } from './review-operations.ts';
import { submitClaims } from './submit-operations.ts';

/** Claims: build from charges, scrub, fix, coder review, submit, replace and void. */
export const claimOperations: readonly AnyOperation[] = [
  buildClaimsOp,
  scrubClaimOp,
  fixClaimOp,
  askClaimReview,
  answerClaimReview,
  submitClaims,
  getClaim,
  listClaims,
  exportClaimX12,
  createReplacementClaim,
  voidClaim,
];
