import { ToolCallError } from '../runtime/mcp-client.ts';
import {
  type AssistantAnswer,
  type AssistantRuntime,
  askAssistant,
  type Recorder,
} from '../runtime/assistant.ts';
import { describeFindings } from './bill.ts';
import type { Finding } from './views.ts';

/**
 * The revenue agent answering the billing office ("where is claim CLM…?", "why was it denied?", "what
 * waits for a coder?", "submit claim CLM…") through the revenue MCP tools, with the caller's key. A claim
 * reaches a payer only through submit_claims, which scrubs it again and refuses any error: neither the
 * parser nor a model can send a claim that fails the scrubber, whatever it says.
 */

// What a model may call: reading, scrubbing and fixing from the record, submitting through the scrubber,
// and starting the agent on an encounter or a remittance.
export const REVENUE_ASSISTANT_TOOLS = [
  'get_claim',
  'list_claims',
  'scrub_claim',
  'fix_claim',
  'submit_claims',
  'export_claim_x12',
  'list_denials',
  'get_denial',
  'get_remittance',
  'list_held_payments',
  'get_encounter_billing',
  'list_revenue_tasks',
  'start_revenue_task',
] as const;

export const REVENUE_SYSTEM_PROMPT =
  'You are the revenue-cycle assistant of a hospital’s billing office. Answer using the tools; never invent ' +
  'claims, amounts, codes or payer rules. Claims are checked by the scrubber when submitted: if a tool ' +
  'refuses, say so and why, and do not claim it was done. Amounts are in cents in the tools; answer in ' +
  'dollars. Today is {today}. Answer in at most 8 short lines.';

const HELP =
  'I can answer: "where is claim CLM…?", "why was claim CLM… denied?", "submit claim CLM…", ' +
  '"what is in the denial queue?", "which claims wait for a coder?", "which payments are held?", ' +
  '"bill encounter enc-…".';

const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;

export function askRevenue(rt: AssistantRuntime, question: string): Promise<AssistantAnswer> {
  return askAssistant(
    {
      name: 'revenue',
      modules: ['revenue'],
      tools: REVENUE_ASSISTANT_TOOLS,
      systemPrompt: REVENUE_SYSTEM_PROMPT,
      deterministic,
    },
    rt,
    question,
  );
}

interface ClaimAnswer {
  id: string;
  type: string;
  status: string;
  totalChargeCents: number;
  payerId: string;
  scrub: { findings: Finding[] } | null;
  payments: { count: number; paidCents: number; patientResponsibilityCents: number };
}

interface DenialAnswer {
  workItemId: string;
  claimId: string | null;
  category: string;
  suggestedAction: string;
  status: string;
  amountCents: number;
  reasons?: { group: string; carc: string; rarc?: string; description: string }[];
}

async function deterministic(_rt: AssistantRuntime, tools: Recorder, question: string): Promise<string> {
  const q = question.trim();
  const claimId = q.match(/\b(CLM[0-9A-Z-]+)\b/i)?.[1]?.toUpperCase();
  try {
    if (claimId && /\bsubmit|\bsend\b/i.test(q)) {
      const sent = await tools.call<{ submissionId: string; location: string }>('submit_claims', {
        claimIds: [claimId],
      });
      return `Submitted ${claimId} (${sent.submissionId}), written to ${sent.location}.`;
    }
    if (claimId && /\bden(y|ied|ial)|\bwhy\b|\bunpaid\b|\bshort/i.test(q)) {
      const { items } = await tools.call<{ items: DenialAnswer[] }>('list_denials', { limit: 500 });
      const mine = items.filter((d) => d.claimId === claimId);
      if (mine.length === 0) {
        const c = await tools.call<ClaimAnswer>('get_claim', { claimId });
        return `${claimId} has no denial in the work queue; it is ${c.status}.`;
      }
      const lines: string[] = [];
      for (const d of mine) {
        const full = await tools.call<DenialAnswer>('get_denial', { workItemId: d.workItemId });
        const why = (full.reasons ?? [])
          .map((r) => `${r.group}-${r.carc}${r.rarc ? `/${r.rarc}` : ''} ${r.description}`)
          .join('; ');
        lines.push(
          `${d.workItemId} (${d.status}): ${d.category}, ${money(d.amountCents)}, suggested ${d.suggestedAction}${why ? ` — ${why}` : ''}`,
        );
      }
      return [`${claimId}:`, ...lines].join('\n');
    }
    if (claimId) {
      const c = await tools.call<ClaimAnswer>('get_claim', { claimId });
      const errors = (c.scrub?.findings ?? []).filter((f) => f.severity === 'error');
      return [
        `${c.id}: ${c.type} to ${c.payerId}, ${money(c.totalChargeCents)}, ${c.status}.`,
        ...(c.payments.count > 0
          ? [
              `Paid ${money(c.payments.paidCents)}, patient responsibility ${money(c.payments.patientResponsibilityCents)} (${c.payments.count} remittance(s)).`,
            ]
          : []),
        ...(errors.length > 0 ? [`Scrubber errors: ${describeFindings(errors)}`] : []),
      ].join('\n');
    }
    if (/\b(coder|review)\b/i.test(q)) {
      const { claims } = await tools.call<{ claims: ClaimAnswer[] }>('list_claims', {
        status: 'needs-review',
        limit: 50,
      });
      if (claims.length === 0) return 'No claim waits for a coder.';
      return [
        `${claims.length} claim(s) wait for a coder:`,
        ...claims.map((c) => `${c.id}: ${c.type} ${money(c.totalChargeCents)}`),
      ].join('\n');
    }
    if (/\bheld\b|\bunmatched\b/i.test(q)) {
      const { payments } = await tools.call<{
        payments: {
          claimPaymentId: string;
          patientControlNumber: string;
          paidCents: number;
          holdReason: string | null;
        }[];
      }>('list_held_payments', { limit: 50 });
      if (payments.length === 0) return 'No payment is held.';
      return [
        `${payments.length} payment(s) held for review:`,
        ...payments.map(
          (p) =>
            `${p.claimPaymentId}: CLP01 ${p.patientControlNumber}, ${money(p.paidCents)} — ${p.holdReason ?? ''}`,
        ),
      ].join('\n');
    }
    if (/\bden(ial|ied)s?\b|\bwork ?queue\b/i.test(q)) {
      const { items } = await tools.call<{ items: DenialAnswer[] }>('list_denials', {
        status: 'open',
        limit: 50,
      });
      if (items.length === 0) return 'The denial work queue is empty.';
      return [
        `${items.length} open denial(s), oldest first:`,
        ...items.map(
          (d) =>
            `${d.workItemId}: ${d.claimId ?? 'no claim'} ${d.category}, ${money(d.amountCents)}, suggested ${d.suggestedAction}`,
        ),
      ].join('\n');
    }
    const encounterId = q.match(/\b(enc-[\w-]+)\b/i)?.[1];
    if (encounterId && /\bbill\b/i.test(q)) {
      const t = await tools.call<{ taskId: string; status: string }>('start_revenue_task', {
        kind: 'bill-encounter',
        subjectId: encounterId,
      });
      return `The revenue agent bills ${encounterId} (task ${t.taskId}, ${t.status}).`;
    }
  } catch (err) {
    if (err instanceof ToolCallError) return `The revenue tools refused: ${err.message}`;
    throw err;
  }
  return HELP;
}
