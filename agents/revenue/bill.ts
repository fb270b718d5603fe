import { type HmsTools, ToolCallError } from '../runtime/mcp-client.ts';
import type { RevenueAgentStateType } from './state.ts';
import type { ClaimSummary, Finding, ScrubAnswer } from './views.ts';

type Step = Partial<RevenueAgentStateType>;

const errorsOf = (findings: readonly Finding[]) => findings.filter((f) => f.severity === 'error');

export function describeFindings(findings: readonly Finding[]): string {
  return errorsOf(findings)
    .map((f) => `${f.code} at ${f.field}${f.line === undefined ? '' : ` (line ${f.line})`}: ${f.message}`)
    .join('; ');
}

/**
 * One pass over an encounter: capture its charges (once per task run), build its claims, scrub each
 * draft, apply the fixes the record allows, ask a coder about what remains, and submit what is clean.
 * Returns the claim a coder must look at when one waits.
 */
export async function billEncounter(s: RevenueAgentStateType, tools: HmsTools): Promise<Step> {
  const encounterId = s.task!.subjectId;
  const notes: string[] = [];
  // Services recorded after the claims were built (late charges) are captured and billed on a new claim,
  // with any other open charge of the encounter (a voided claim's reopened ones too).
  const late =
    s.built &&
    (await tools.call<{ uncapturedServiceIds: string[] }>('get_encounter_billing', { encounterId }))
      .uncapturedServiceIds.length > 0;
  if (!s.built || late) {
    try {
      const captured = await tools.call<{ created: unknown[]; existing: unknown[] }>('capture_charges', {
        encounterId,
      });
      notes.push(
        `Captured ${captured.created.length} charge(s) for ${encounterId} (${captured.existing.length} already captured)`,
      );
    } catch (err) {
      if (!(err instanceof ToolCallError)) throw err;
      return { failed: true, outcome: `Cannot bill ${encounterId}: ${err.message}`, notes };
    }
    try {
      const built = await tools.call<{ claims: ClaimSummary[] }>('build_claims', { encounterId });
      for (const c of built.claims) {
        notes.push(`Built ${c.type} claim ${c.id} for $${(c.totalChargeCents / 100).toFixed(2)}`);
      }
    } catch (err) {
      // Nothing open to bill (a retried run already built them): work the claims that exist.
      if (!(err instanceof ToolCallError) || !/no open charges/i.test(err.message)) {
        if (err instanceof ToolCallError)
          return { failed: true, outcome: `Cannot bill ${encounterId}: ${err.message}`, notes, built: true };
        throw err;
      }
    }
  }
  const { claims } = await tools.call<{ claims: ClaimSummary[] }>('list_claims', { encounterId });
  const ready: ClaimSummary[] = [];
  let waiting: ClaimSummary | null = null;
  for (const claim of claims) {
    let c = claim;
    if (c.status === 'draft') c = await scrubAndFix(c, tools, notes);
    if (c.status === 'ready') ready.push(c);
    if (c.status === 'needs-review') waiting ??= c;
  }
  if (ready.length > 0) await submit(ready, tools, notes);
  if (waiting) {
    return {
      built: true,
      notes,
      waitingOn: {
        kind: 'claim-review',
        id: waiting.id,
        taskId: s.requestId,
        question: `Claim ${waiting.id} needs a coder`,
      },
    };
  }
  const after = await tools.call<{ claims: ClaimSummary[] }>('list_claims', { encounterId });
  const summary = after.claims.map((c) => `${c.id} ${c.status}`).join(', ');
  return {
    built: true,
    notes,
    waitingOn: null,
    outcome: `Encounter ${encounterId}: ${summary || 'no claims'}`,
  };
}

async function scrubAndFix(claim: ClaimSummary, tools: HmsTools, notes: string[]): Promise<ClaimSummary> {
  const scrubbed = await tools.call<ScrubAnswer>('scrub_claim', { claimId: claim.id });
  if (scrubbed.claim.status === 'ready') {
    notes.push(`Scrubbed ${claim.id}: clean`);
    return scrubbed.claim;
  }
  notes.push(`Scrubbed ${claim.id}: ${describeFindings(scrubbed.findings)}`);
  const fixed = await tools.call<ScrubAnswer>('fix_claim', { claimId: claim.id });
  for (const ch of fixed.changes ?? []) {
    notes.push(
      `Fixed ${claim.id} ${ch.field}: ${JSON.stringify(ch.before)} → ${JSON.stringify(ch.after)} (${ch.reason})`,
    );
  }
  if (fixed.claim.status === 'ready') return fixed.claim;
  return askCoder(fixed.claim, fixed.findings, tools, notes);
}

async function askCoder(
  claim: ClaimSummary,
  findings: readonly Finding[],
  tools: HmsTools,
  notes: string[],
): Promise<ClaimSummary> {
  const asked = await tools.call<ClaimSummary>('ask_claim_review', {
    claimId: claim.id,
    question: `The scrubber still finds errors the record cannot fix: ${describeFindings(findings)}. Correct the claim or void it.`,
  });
  notes.push(`Asked a coder to review ${claim.id}: ${describeFindings(findings)}`);
  return asked;
}

async function submit(ready: ClaimSummary[], tools: HmsTools, notes: string[]): Promise<void> {
  try {
    const sent = await tools.call<{ submissionId: string; location: string }>('submit_claims', {
      claimIds: ready.map((c) => c.id),
    });
    notes.push(`Submitted ${ready.map((c) => c.id).join(', ')} (${sent.submissionId})`);
  } catch (err) {
    // The submission scrubs again and refuses any error: the claims go to a coder instead.
    if (!(err instanceof ToolCallError)) throw err;
    notes.push(`Submission refused: ${err.message}`);
    const clean: ClaimSummary[] = [];
    for (const c of ready) {
      const scrubbed = await tools.call<ScrubAnswer>('scrub_claim', { claimId: c.id });
      if (scrubbed.claim.status !== 'ready') await askCoder(c, scrubbed.findings, tools, notes);
      else clean.push(c);
    }
    if (clean.length > 0 && clean.length < ready.length) await submit(clean, tools, notes);
  }
}
