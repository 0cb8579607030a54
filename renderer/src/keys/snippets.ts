/** Ready-to-paste client setup for a new key, with the real base URL, secret and model. */
export interface Snippet { id: string; label: string; language: string; code: string }

/** Setup snippets for the OpenAI SDK (JS, Python), LangChain, LiteLLM, curl and environment variables. */
export function buildSnippets(baseUrl: string, secret: string, model: string): Snippet[] {
  const q = JSON.stringify;
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
