/** The parts of the revenue tools' answers the agent reads (the tools' output schemas hold the rest). */

export interface Finding {
  code: string;
  severity: 'error' | 'warning';
  field: string;
  line?: number;
  message: string;
}

export interface ClaimSummary {
  id: string;
  encounterId: string;
  type: '837P' | '837I';
  frequency: string;
  status: string;
  totalChargeCents: number;
  replacesClaimId: string | null;
}

/** scrub_claim and fix_claim. */
export interface ScrubAnswer {
  claim: ClaimSummary;
  findings: Finding[];
  changes?: { field: string; before: unknown; after: unknown; reason: string }[];
}

export interface DenialView {
  workItemId: string;
  claimId: string | null;
  category: string;
  suggestedAction: string;
  status: string;
  draft: {
    kind: 'appeal' | 'corrected-claim';
    claimId?: string;
    approvedBy?: string;
    declined?: { by: string; reason: string };
  } | null;
}
