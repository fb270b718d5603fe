import { type HmsTools, ToolCallError } from '../runtime/mcp-client.ts';
import { describeFindings } from './bill.ts';
import type { RevenueAgentStateType, RevenueWait } from './state.ts';
import type { ClaimSummary, DenialView, ScrubAnswer } from './views.ts';

type Step = Partial<RevenueAgentStateType>;

// What the agent drafts for a coder's approval; the other actions (write off, bill the patient or the
// secondary payer, review) move money or need judgement and stay in the queue for the billing office.
const DRAFTED = new Set(['correct-and-resubmit', 'appeal']);

/**
 * One pass over a remittance's work items: draft a corrected (replacement) claim or an appeal letter for
 * each denial whose suggested action is one of those, ask a coder to approve it, and once approved submit
 * the replacement. Returns what a coder must look at when something waits.
 */
export async function workDenials(s: RevenueAgentStateType, tools: HmsTools): Promise<Step> {
  const remittanceId = s.task!.subjectId;
  const notes: string[] = [];
  const once = (note: string) => {
    if (!s.notes.includes(note) && !notes.includes(note)) notes.push(note);
  };
  let waiting: RevenueWait | null = null;
  const wait = (kind: RevenueWait['kind'], id: string, question: string) => {
    waiting ??= { kind, id, taskId: s.requestId, question };
  };
  for (const ref of await workItemsOf(remittanceId, tools)) {
    if (ref.status === 'resolved') continue;
    const item = await tools.call<DenialView>('get_denial', { workItemId: ref.workItemId });
    const draft = item.draft;
    if (!DRAFTED.has(item.suggestedAction) || !item.claimId || draft?.declined) {
      const why = draft?.declined
        ? `a coder declined the ${draft.kind} draft: ${draft.declined.reason}`
        : item.suggestedAction;
      once(
        `Left ${item.workItemId} (${item.category}, ${item.claimId ?? 'no claim'}) for the billing office: ${why}`,
      );
      continue;
    }
    try {
      if (item.status === 'awaiting-approval' && !draft?.approvedBy) {
        wait('denial-approval', item.workItemId, `Approve the ${draft?.kind ?? 'draft'} for ${item.claimId}`);
      } else if (item.suggestedAction === 'appeal') {
        await tools.call('draft_appeal', { workItemId: item.workItemId });
        notes.push(`Drafted an appeal for ${item.claimId} (${item.category}); a coder approves it`);
        wait('denial-approval', item.workItemId, `Approve the appeal letter for ${item.claimId}`);
      } else {
        const next = await correctedClaim(item, tools, notes);
        if (next.kind === 'review') wait('claim-review', next.claimId, `Correct replacement ${next.claimId}`);
        else if (next.kind === 'drafted')
          wait('denial-approval', item.workItemId, `Approve replacement ${next.claimId} for ${item.claimId}`);
      }
    } catch (err) {
      if (!(err instanceof ToolCallError)) throw err;
      once(`Could not work ${item.workItemId}: ${err.message}`);
    }
  }
  if (waiting) return { notes, waitingOn: waiting };
  const items = await workItemsOf(remittanceId, tools);
  const open = items.filter((i) => i.status !== 'resolved');
  return {
    notes,
    waitingOn: null,
    outcome:
      `Remittance ${remittanceId}: ${items.length - open.length} of ${items.length} work item(s) resolved` +
      (open.length
        ? `; left for the billing office: ${open.map((i) => `${i.workItemId} ${i.suggestedAction}`).join(', ')}`
        : ''),
  };
}

async function workItemsOf(remittanceId: string, tools: HmsTools) {
  const r = await tools.call<{
    payments: { workItem: { workItemId: string; status: string; suggestedAction: string } | null }[];
  }>('get_remittance', { remittanceId });
  return r.payments.flatMap((p) => (p.workItem ? [p.workItem] : []));
}

// What makes a claim a replacement (CLM05-3 = 7, REF*F8): not a correction of what was denied.
const REPLACEMENT_MARKS = new Set(['claim.frequencyCode', 'claim.originalClaimNumber']);

type Corrected = { kind: 'review' | 'drafted' | 'submitted' | 'left'; claimId: string };

/**
 * The corrected claim for a denial: a replacement (frequency 7) with the fixes the record allows; a coder
 * corrects it when the scrubber still objects and approves the draft, and then the agent submits it.
 */
async function correctedClaim(item: DenialView, tools: HmsTools, notes: string[]): Promise<Corrected> {
  const original = item.claimId!;
  const draft = item.draft;
  if (draft?.kind === 'corrected-claim' && draft.approvedBy && draft.claimId) {
    const replacement = draft.claimId;
    const now = await tools.call<ClaimSummary>('get_claim', { claimId: replacement });
    if (now.status !== 'submitted') await tools.call('submit_claims', { claimIds: [replacement] });
    await tools.call('resolve_denial', {
      workItemId: item.workItemId,
      resolution: 'resubmitted',
      note: `Replacement ${replacement} approved by ${draft.approvedBy} and submitted`,
    });
    notes.push(`Submitted replacement ${replacement} for ${original} (approved by ${draft.approvedBy})`);
    return { kind: 'submitted', claimId: replacement };
  }
  const replacement = await replacementFor(original, tools, notes);
  if (replacement.status === 'void') {
    notes.push(
      `A coder voided replacement ${replacement.id}: ${item.workItemId} is left for the billing office`,
    );
    return { kind: 'left', claimId: replacement.id };
  }
  if (replacement.status === 'needs-review') return { kind: 'review', claimId: replacement.id };
  // A replacement goes out only with a change: one the record allows, or a coder's.
  const seen = await tools.call<ClaimSummary & { changes: { field: string }[] }>('get_claim', {
    claimId: replacement.id,
  });
  const corrected = seen.changes.some((c) => !REPLACEMENT_MARKS.has(c.field));
  if (!corrected || replacement.status !== 'ready') {
    const fixed = await tools.call<ScrubAnswer>('fix_claim', { claimId: replacement.id });
    for (const ch of fixed.changes ?? []) {
      notes.push(
        `Fixed ${replacement.id} ${ch.field}: ${JSON.stringify(ch.before)} → ${JSON.stringify(ch.after)} (${ch.reason})`,
      );
    }
    if (fixed.claim.status !== 'ready' || (fixed.changes ?? []).length === 0) {
      const why = fixed.findings.some((f) => f.severity === 'error')
        ? describeFindings(fixed.findings)
        : `denied as ${item.category} and the record offers no correction`;
      await tools.call('ask_claim_review', {
        claimId: replacement.id,
        question: `Replacement for denied ${original}: ${why}. Correct it or void it.`,
      });
      notes.push(`Asked a coder to correct replacement ${replacement.id}: ${why}`);
      return { kind: 'review', claimId: replacement.id };
    }
  }
  await tools.call('record_denial_draft', {
    workItemId: item.workItemId,
    claimId: replacement.id,
    note: `Replacement for ${original} after ${item.category} denial`,
  });
  notes.push(`Drafted replacement ${replacement.id} for ${original}; a coder approves it`);
  return { kind: 'drafted', claimId: replacement.id };
}

async function replacementFor(original: string, tools: HmsTools, notes: string[]): Promise<ClaimSummary> {
  const claim = await tools.call<ClaimSummary>('get_claim', { claimId: original });
  const { claims } = await tools.call<{ claims: ClaimSummary[] }>('list_claims', {
    encounterId: claim.encounterId,
  });
  // The live replacement, else a voided one (a coder decided against resubmitting).
  const mine = claims.filter((c) => c.replacesClaimId === original);
  const existing = mine.find((c) => c.status !== 'void') ?? mine[0];
  if (existing) return existing;
  const created = await tools.call<ClaimSummary>('create_replacement_claim', { claimId: original });
  notes.push(`Built replacement ${created.id} (frequency 7) for ${original}`);
  return created;
}
