import { ToolCallError } from '../runtime/mcp-client.ts';
import {
  type AssistantAnswer,
  type AssistantRuntime,
  askAssistant,
  type Recorder,
} from '../runtime/assistant.ts';
import { addDays } from '../../tools/staffing/demand/forecast.ts';

/**
 * The staffing agent answering a person's question ("who can cover ICU nights tomorrow?", "forecast the
 * next 7 days for med-surg", "propose a roster for ICU") through the staffing MCP tools
 * (agents/runtime/assistant.ts). Anything a model proposes that breaks a rule is refused by the tool
 * (assign_cover, check_roster, publish_roster), whatever it says.
 */

export type StaffingAnswer = AssistantAnswer;

// What a model may call: reading, and proposing through the tools that check every rule.
export const ASSISTANT_TOOLS = [
  'find_cover_candidates',
  'forecast_staffing_demand',
  'get_staffing_policy',
  'on_call_now',
  'list_cover_requests',
  'get_cover_request',
  'assign_cover',
  'ask_cover_approval',
  'propose_roster',
  'check_roster',
  'list_staff',
] as const;

export const ASSISTANT_SYSTEM_PROMPT =
  'You are the staffing assistant of a hospital. Answer the staff member’s question using the tools; ' +
  'never invent staff, shifts, costs or rules. Cover and rosters are checked by the tools: if a tool ' +
  'refuses a proposal, say so and why, and do not claim it was done. Dates are UTC; today is {today}. ' +
  'Answer in at most 8 short lines.';

export function askStaffing(rt: AssistantRuntime, question: string): Promise<StaffingAnswer> {
  return askAssistant(
    {
      name: 'staffing',
      modules: ['staffing'],
      tools: ASSISTANT_TOOLS,
      systemPrompt: ASSISTANT_SYSTEM_PROMPT,
      deterministic,
    },
    rt,
    question,
  );
}

// ---- deterministic mode -------------------------------------------------------------------------------

interface UnitPolicy {
  unitId: string;
  unitName: string;
  unitType: string;
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** The unit a question names: by id, by name, or by type ("ICU", "med-surg"); the candidates when several match. */
function unitIn(text: string, units: readonly UnitPolicy[]): UnitPolicy | null | UnitPolicy[] {
  const t = text.toLowerCase();
  const byId = units.find((u) => t.includes(u.unitId.toLowerCase()));
  if (byId) return byId;
  const byName = units.filter((u) => t.includes(u.unitName.toLowerCase()));
  if (byName.length > 0) return byName.sort((a, b) => b.unitName.length - a.unitName.length)[0]!;
  const byType = units.filter((u) => new RegExp(`\\b${u.unitType.replace('-', '[- ]?')}s?\\b`, 'i').test(t));
  if (byType.length === 1) return byType[0]!;
  return byType.length > 1 ? byType : null;
}

function dayIn(text: string, today: string): string {
  const t = text.toLowerCase();
  const iso = t.match(/\b(\d{4}-\d{2}-\d{2})\b/);
  if (iso) return iso[1]!;
  if (/\btomorrow\b/.test(t)) return addDays(today, 1);
  const weekday = WEEKDAYS.findIndex((d) => t.includes(d));
  if (weekday >= 0) {
    const now = new Date(`${today}T00:00:00Z`).getUTCDay();
    return addDays(today, (weekday - now + 7) % 7 || 7);
  }
  return today;
}

const kindIn = (text: string): 'day' | 'evening' | 'night' | null =>
  /\bnights?\b/i.test(text)
    ? 'night'
    : /\bevenings?\b/i.test(text)
      ? 'evening'
      : /\bdays?( shift)?\b/i.test(text)
        ? 'day'
        : null;

const roleIn = (text: string) =>
  /\blpns?\b/i.test(text)
    ? 'LPN'
    : /\bcnas?\b/i.test(text)
      ? 'CNA'
      : /\bcharge\b/i.test(text)
        ? 'charge-nurse'
        : 'RN';

const HELP =
  'I can answer: "who can cover ICU nights tomorrow?", "forecast the next 7 days for med-surg", ' +
  '"who is on call for cardiology?", "which shifts still need cover?", "propose a roster for ICU". ' +
  'Name a unit by its name or type; days as today, tomorrow, a weekday or YYYY-MM-DD.';

async function deterministic(rt: AssistantRuntime, tools: Recorder, question: string): Promise<string> {
  const today = rt.clock.now().toISOString().slice(0, 10);
  const q = question.trim();
  const units = async () =>
    (await tools.call<{ policies: UnitPolicy[] }>('get_staffing_policy', {})).policies;
  const needUnit = async (): Promise<UnitPolicy | string> => {
    const all = await units();
    const unit = unitIn(q, all);
    if (Array.isArray(unit)) return `Which unit? Several match: ${unit.map((u) => u.unitName).join(', ')}.`;
    return unit ?? `Which unit? Name one of: ${all.map((u) => u.unitName).join(', ')}.`;
  };
  try {
    if (/on.?call/i.test(q)) {
      const specialty = q.match(/on.?call (?:for |in )?([a-z-]+)/i)?.[1]?.toLowerCase();
      if (!specialty || specialty === 'now') return 'Which specialty? e.g. "who is on call for cardiology?"';
      const r = await tools.call<{
        primary: { name: string; pager: string } | null;
        backup: { name: string; pager: string } | null;
      }>('on_call_now', { specialty });
      const who = (p: { name: string; pager: string } | null) =>
        p ? `${p.name} (pager ${p.pager})` : 'nobody';
      return `On call for ${specialty} now: ${who(r.primary)}; backup ${who(r.backup)}.`;
    }
    if (/\b(who can|who could|who is free|who's free|available to) (cover|work)\b|\bwho can\b/i.test(q)) {
      const unit = await needUnit();
      if (typeof unit === 'string') return unit;
      const kind = kindIn(q);
      if (!kind) return `Which shift on ${unit.unitName}: day, evening or night?`;
      const day = dayIn(q, today);
      const role = roleIn(q);
      const r = await tools.call<{
        candidates: { name: string; why: string; needsApproval: boolean }[];
        eligible: number;
      }>('find_cover_candidates', { unitId: unit.unitId, day, kind, role, limit: 5 });
      if (r.eligible === 0)
        return `Nobody may cover the ${role} ${kind} shift on ${unit.unitName} on ${day}.`;
      const lines = r.candidates.map(
        (c, i) => `${i + 1}. ${c.why}${c.needsApproval ? ' — needs a staffing manager’s approval' : ''}`,
      );
      return [
        `${r.eligible} may cover the ${role} ${kind} shift on ${unit.unitName} on ${day}, least cost first:`,
        ...lines,
      ].join('\n');
    }
    if (/forecast|demand|next \d+ days|how many nurses/i.test(q)) {
      const all = await units();
      const unit = unitIn(q, all);
      if (Array.isArray(unit)) return `Which unit? Several match: ${unit.map((u) => u.unitName).join(', ')}.`;
      const days = Math.min(14, Number(q.match(/next (\d+) days/i)?.[1] ?? 7));
      const r = await tools.call<{
        summary: {
          unitShifts: number;
          short: number;
          licensedNursesShort: number;
          chargeNursesShort: number;
          skillGaps: number;
        };
        shifts: {
          unitName: string;
          day: string;
          kind: string;
          required: { licensedNurses: number };
          gaps: { rule: string; short: number }[];
        }[];
      }>('forecast_staffing_demand', { days, onlyShort: true, ...(unit ? { unitId: unit.unitId } : {}) });
      const s = r.summary;
      const worst = r.shifts
        .slice()
        .sort((a, b) => b.gaps.reduce((n, g) => n + g.short, 0) - a.gaps.reduce((n, g) => n + g.short, 0))
        .slice(0, 5)
        .map(
          (x) =>
            `${x.unitName} ${x.day} ${x.kind}: needs ${x.required.licensedNurses} licensed, short ${x.gaps.map((g) => `${g.short} ${g.rule}`).join(', ')}`,
        );
      return [
        `Next ${days} days${unit ? ` on ${unit.unitName}` : ''} from ${today}: ${s.short} of ${s.unitShifts} unit-shifts short ` +
          `(${s.licensedNursesShort} licensed nurses, ${s.chargeNursesShort} charge nurses, ${s.skillGaps} without the required certification).`,
        ...(worst.length ? ['Shortest:', ...worst] : []),
      ].join('\n');
    }
    if (/\b(cover requests?|open shifts?|call.?outs?|need(s)? cover|awaiting approval)\b/i.test(q)) {
      const r = await tools.call<{
        requests: {
          requestId: string;
          unitId: string;
          kind: string;
          startsAt: string;
          status: string;
          question: { text: string } | null;
        }[];
      }>('list_cover_requests', {
        limit: 20,
        ...(/approval/i.test(q) ? { status: 'awaiting-approval' } : {}),
      });
      const live = r.requests.filter(
        (x) => x.status === 'open' || x.status === 'awaiting-approval' || x.status === 'unfilled',
      );
      if (live.length === 0) return 'No shift is waiting for cover.';
      return [
        `${live.length} shift(s) still need cover:`,
        ...live.map(
          (x) =>
            `${x.requestId}: ${x.unitId} ${x.kind} ${x.startsAt} — ${x.status}${x.question ? ` (${x.question.text})` : ''}`,
        ),
      ].join('\n');
    }
    if (/\b(roster|rota|schedule)\b/i.test(q) && /\b(propose|build|make|draft|create)\b/i.test(q)) {
      const unit = await needUnit();
      if (typeof unit === 'string') return unit;
      const weeks = Number(q.match(/(\d+)[- ]weeks?/i)?.[1] ?? 2);
      const dow = new Date(`${today}T00:00:00Z`).getUTCDay();
      const startsOn = addDays(today, (8 - dow) % 7 || 7);
      const r = await tools.call<{ proposalId: string | null; status: string; objective: number }>(
        'propose_roster',
        { unitId: unit.unitId, startsOn, weeks },
      );
      if (!r.proposalId)
        return `No ${weeks}-week roster for ${unit.unitName} from ${startsOn} keeps every rule (${r.status}); nothing was stored.`;
      return `Proposed a ${weeks}-week roster for ${unit.unitName} from ${startsOn}: proposal ${r.proposalId}, objective ${r.objective} (penalty of broken requests and cover gaps). A manager publishes it with publish_roster.`;
    }
  } catch (err) {
    if (err instanceof ToolCallError) return `The staffing tools refused: ${err.message}`;
    throw err;
  }
  return HELP;
}
