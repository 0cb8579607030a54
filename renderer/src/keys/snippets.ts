/** Ready-to-paste client setup for a new key, with the real base URL, secret and model. */
export interface Snippet { id: string; label: string; language: string; code: string }

/**
 * Setup snippets for the OpenAI SDK (JS, Python), LangChain, LiteLLM, the agent tools (Claude Code, Codex, the AI
 * SDK), curl and environment variables. `baseUrl` is the OpenAI base (…/v1); Claude Code wants the root.
 */
export function buildSnippets(baseUrl: string, secret: string, model: string): Snippet[] {
  const q = JSON.stringify;
  const root = baseUrl.replace(/\/v1\/?$/, '');
  return [
    { id: 'openai-js', label: 'OpenAI SDK (JS)', language: 'javascript', code:
`import OpenAI from 'openai';

const client = new OpenAI({
  baseURL: ${q(baseUrl)},
  apiKey: ${q(secret)},
});

const reply = await client.chat.completions.create({
  model: ${q(model)},
  messages: [{ role: 'user', content: 'Hello!' }],
});
console.log(reply.choices[0].message.content);` },
    { id: 'openai-py', label: 'OpenAI SDK (Python)', language: 'python', code:
`from openai import OpenAI

client = OpenAI(
    base_url=${q(baseUrl)},
    api_key=${q(secret)},
)

reply = client.chat.completions.create(
    model=${q(model)},
    messages=[{"role": "user", "content": "Hello!"}],
)
print(reply.choices[0].message.content)` },
    { id: 'langchain', label: 'LangChain', language: 'python', code:
`from langchain_openai import ChatOpenAI

llm = ChatOpenAI(
    model=${q(model)},
    base_url=${q(baseUrl)},
    api_key=${q(secret)},
)
print(llm.invoke("Hello!").content)` },
    { id: 'litellm', label: 'LiteLLM', language: 'python', code:
`import litellm

reply = litellm.completion(
    model=${q('openai/' + model)},
    api_base=${q(baseUrl)},
    api_key=${q(secret)},
    messages=[{"role": "user", "content": "Hello!"}],
)
print(reply.choices[0].message.content)` },
    { id: 'claude-code', label: 'Claude Code', language: 'shell', code:
`# Claude Code speaks Anthropic Messages; the gateway translates and bills it like any request.
export ANTHROPIC_BASE_URL=${q(root)}
export ANTHROPIC_AUTH_TOKEN=${q(secret)}
export ANTHROPIC_MODEL=${q(model)}
export ANTHROPIC_DEFAULT_OPUS_MODEL=${q(model)}
export ANTHROPIC_DEFAULT_SONNET_MODEL=${q(model)}
export ANTHROPIC_DEFAULT_HAIKU_MODEL=${q(model)}
export CLAUDE_CODE_SUBAGENT_MODEL=${q(model)}
export CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1
unset ANTHROPIC_API_KEY
claude` },
    { id: 'codex', label: 'Codex', language: 'toml', code:
`# ~/.codex/config.toml — Codex speaks the Responses API (wire_api = "responses").
# Then run: export GOGOGO_API_KEY=${q(secret)} && codex
model = ${q(model)}
model_provider = "gogogo"

[model_providers.gogogo]
name = "gogogo"
base_url = ${q(baseUrl)}
env_key = "GOGOGO_API_KEY"
wire_api = "responses"` },
    { id: 'ai-sdk', label: 'AI SDK', language: 'javascript', code:
`import { createOpenAI } from '@ai-sdk/openai';
import { generateText } from 'ai';

// gogogo(id) calls /responses; gogogo.chat(id) calls /chat/completions. Both are billed the same way.
const gogogo = createOpenAI({
  baseURL: ${q(baseUrl)},
  apiKey: ${q(secret)},
});

const { text } = await generateText({ model: gogogo(${q(model)}), prompt: 'Hello!' });
console.log(text);` },
    { id: 'curl', label: 'curl', language: 'shell', code:
`curl ${baseUrl}/chat/completions \\
  -H "Authorization: Bearer ${secret}" \\
  -H "Content-Type: application/json" \\
  -d '${JSON.stringify({ model, messages: [{ role: 'user', content: 'Hello!' }] })}'` },
    { id: 'env', label: 'Environment', language: 'shell', code:
`export OPENAI_BASE_URL=${q(baseUrl)}
export OPENAI_API_KEY=${q(secret)}
export OPENAI_MODEL=${q(model)}` },
  ];
}
