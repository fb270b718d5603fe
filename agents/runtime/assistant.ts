import {
  type AIMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
  type BaseMessage,
} from '@langchain/core/messages';
import type { Database } from '../../db/client.ts';
import type { Actor } from '../../tools/core/actor.ts';
import type { Clock } from '../../tools/core/clock.ts';
import type { ServedModule } from '../../tools/registry.ts';
import { HmsTools, ToolCallError } from './mcp-client.ts';
import { createChatModel, type ModelSettings } from './model.ts';

/**
 * An agent answering a person's question through its module's MCP tools, as the person asking (their
 * key's scopes apply). Without a model, the agent's own parser maps the question to tools; with a model,
 * the model picks among the tools the agent allows and writes the answer, and anything it proposes that
 * breaks a rule is refused by the tool, whatever it says.
 */

export interface ToolCallRecord {
  tool: string;
  args: Record<string, unknown>;
  ok: boolean;
  error?: string;
}

export interface AssistantAnswer {
  answer: string;
  mode: 'deterministic' | 'model';
  toolCalls: ToolCallRecord[];
  /** The last successful tool result, for a client that renders it. */
  data: unknown;
}

export interface AssistantRuntime {
  database: Database;
  clock: Clock;
  actor: Actor;
  model?: ModelSettings | null | undefined;
}

export interface AssistantSpec {
  /** For messages: "staffing", "revenue". */
  name: string;
  modules: readonly ServedModule[];
  /** What a model may call. */
  tools: readonly string[];
  /** The system prompt; `{today}` is replaced with today's date. */
  systemPrompt: string;
  /** Deterministic mode: answers from the question through the recorder's tool calls. */
  deterministic(rt: AssistantRuntime, tools: Recorder, question: string): Promise<string>;
}

const MAX_MODEL_STEPS = 6;

/** The tool calls an answer made, in order, with the last result. */
export class Recorder {
  readonly calls: ToolCallRecord[] = [];
  data: unknown = null;
  readonly tools: HmsTools;
  constructor(tools: HmsTools) {
    this.tools = tools;
  }
  async call<T>(tool: string, args: Record<string, unknown>): Promise<T> {
    try {
      const out = await this.tools.call<T>(tool, args);
      this.calls.push({ tool, args, ok: true });
      this.data = out;
      return out;
    } catch (err) {
      this.calls.push({ tool, args, ok: false, error: err instanceof Error ? err.message : String(err) });
      throw err;
    }
  }
}

export async function askAssistant(
  spec: AssistantSpec,
  rt: AssistantRuntime,
  question: string,
): Promise<AssistantAnswer> {
  const tools = await HmsTools.connectInProcess(spec.modules, {
    database: rt.database,
    clock: rt.clock,
    actor: rt.actor,
  });
  const recorder = new Recorder(tools);
  try {
    if (rt.model) return await withModel(spec, rt, rt.model, tools, recorder, question);
    const answer = await spec.deterministic(rt, recorder, question);
    return { answer, mode: 'deterministic', toolCalls: recorder.calls, data: recorder.data };
  } finally {
    await tools.close();
  }
}

async function withModel(
  spec: AssistantSpec,
  rt: AssistantRuntime,
  settings: ModelSettings,
  tools: HmsTools,
  recorder: Recorder,
  question: string,
): Promise<AssistantAnswer> {
  const allowed = new Set<string>(spec.tools);
  const lcTools = (await tools.langChainTools()).filter((t) => allowed.has(t.name));
  const model = createChatModel(settings).bindTools(lcTools);
  const today = rt.clock.now().toISOString().slice(0, 10);
  const messages: BaseMessage[] = [
    new SystemMessage(spec.systemPrompt.replace('{today}', today)),
    new HumanMessage(question),
  ];
  for (let step = 0; step < MAX_MODEL_STEPS; step++) {
    const reply = (await model.invoke(messages)) as AIMessage;
    messages.push(reply);
    const calls = reply.tool_calls ?? [];
    if (calls.length === 0) {
      const text = typeof reply.content === 'string' ? reply.content : JSON.stringify(reply.content);
      return { answer: text, mode: 'model', toolCalls: recorder.calls, data: recorder.data };
    }
    for (const call of calls) {
      let content: string;
      if (!allowed.has(call.name)) {
        recorder.calls.push({
          tool: call.name,
          args: call.args,
          ok: false,
          error: 'not a tool of this assistant',
        });
        content = `Error: ${call.name} is not a tool of the ${spec.name} assistant`;
      } else {
        try {
          content = JSON.stringify(await recorder.call(call.name, call.args));
        } catch (err) {
          if (!(err instanceof ToolCallError)) throw err;
          content = `Error: ${err.message}`;
        }
      }
      messages.push(new ToolMessage({ content, tool_call_id: call.id ?? call.name }));
    }
  }
  return {
    answer: `No answer after ${MAX_MODEL_STEPS} tool rounds; the tool results so far are attached.`,
    mode: 'model',
    toolCalls: recorder.calls,
    data: recorder.data,
  };
}
