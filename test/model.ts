import { HttpResponse, http } from 'msw';
import type { SetupServer } from 'msw/node';
import type { ModelSettings } from '../agents/runtime/model.ts';

/** The model the assistants' tests configure: msw answers its OpenAI-compatible API. */
export const testModel: ModelSettings = {
  apiKey: 'test',
  baseURL: 'http://model.test/v1',
  model: 'test-model',
};
const COMPLETIONS = 'http://model.test/v1/chat/completions';

export interface ChatRequest {
  messages: { role: string; content: string | null; tool_call_id?: string }[];
  tools?: { function: { name: string } }[];
}

/** Scripted completions: the n-th request gets the n-th reply. Returns the requests as they arrive. */
export function scriptModel(mock: SetupServer, replies: Record<string, unknown>[]): ChatRequest[] {
  const received: ChatRequest[] = [];
  mock.use(
    http.post(COMPLETIONS, async ({ request }) => {
      const body = (await request.json()) as ChatRequest;
      received.push(body);
      const out = replies[received.length - 1] ?? { role: 'assistant', content: 'done' };
      return HttpResponse.json({
        id: `chatcmpl-${received.length}`,
        object: 'chat.completion',
        created: 1,
        model: 'test-model',
        choices: [
          { index: 0, message: out, logprobs: null, finish_reason: out.tool_calls ? 'tool_calls' : 'stop' },
        ],
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      });
    }),
  );
  return received;
}

/** One tool call in a scripted reply. */
export const toolCall = (id: string, name: string, args: Record<string, unknown>) => ({
  id,
  type: 'function',
  function: { name, arguments: JSON.stringify(args) },
});
