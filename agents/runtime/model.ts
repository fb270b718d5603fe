import { ChatOpenAI } from '@langchain/openai';

export interface ModelSettings {
  apiKey?: string | undefined;
  baseURL?: string | undefined;
  model: string;
}

export function modelSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ModelSettings | null {
  if (!env.OPENAI_API_KEY && !env.OPENAI_BASE_URL) return null;
  return {
    apiKey: env.OPENAI_API_KEY ?? 'unused',
    baseURL: env.OPENAI_BASE_URL,
    model: env.CAREBRIDGE_MODEL ?? 'gpt-4o-mini',
  };
}

/** Any OpenAI-compatible endpoint; none configured means the agents run in deterministic mode. */
export function createChatModel(settings: ModelSettings): ChatOpenAI {
  return new ChatOpenAI({
    model: settings.model,
    apiKey: settings.apiKey,
    temperature: 0,
    maxRetries: 1,
    timeout: 20_000,
    configuration: settings.baseURL ? { baseURL: settings.baseURL } : {},
  });
}
