/** A provider's stored key never follows a base URL to another host without being given again (issue 9). */
import { afterEach, describe, expect, it } from 'vitest';
import { adminSchemas } from '../admin/contract';
import { createAdminService } from '../admin/service';
import { tempCore } from '../admin/test-helpers';

let t: ReturnType<typeof tempCore> | null = null;
afterEach(() => { t?.cleanup(); t = null; });
const ctx = { gatewayUrl: () => 'http://127.0.0.1:1', lanUrls: () => [] };

describe('Providers.set', () => {
  it('another host needs the key again or keepKey; the same host on another path keeps it', () => {
    t = tempCore();
    const p = t.core.providers;
    p.set('deepseek', { baseUrl: 'https://api.deepseek.com', apiKey: 'sk-operator' });
    p.set('deepseek', { baseUrl: 'https://api.deepseek.com/v1/' });
    expect(p.resolve('deepseek')).toMatchObject({ baseUrl: 'https://api.deepseek.com', apiKey: 'sk-operator' });
    p.set('deepseek', { baseUrl: 'https://api.deepseek.com/beta' });
    expect(p.resolve('deepseek')).toMatchObject({ baseUrl: 'https://api.deepseek.com/beta', apiKey: 'sk-operator' });
    for (const typo of ['https://api.deepseek.co', 'https://api.deepseek.com:8443', 'http://api.deepseek.com', 'https://evil.example/deepseek.com']) {
      expect(() => p.set('deepseek', { baseUrl: typo }), typo).toThrow(/give its API key again.*--keep-key/);
    }
    expect(p.resolve('deepseek')).toMatchObject({ baseUrl: 'https://api.deepseek.com/beta', apiKey: 'sk-operator' });
    p.set('deepseek', { baseUrl: 'https://proxy.internal', keepKey: true });
    expect(p.resolve('deepseek')).toMatchObject({ baseUrl: 'https://proxy.internal', apiKey: 'sk-operator' });
    p.set('deepseek', { baseUrl: 'https://other.example', apiKey: 'sk-other' });
    expect(p.resolve('deepseek')).toMatchObject({ baseUrl: 'https://other.example', apiKey: 'sk-other' });
    process.env.GOGOGO_PROVIDERS_TEST_KEY = 'sk-env';
    p.set('deepseek', { baseUrl: 'https://third.example', apiKeyEnv: 'GOGOGO_PROVIDERS_TEST_KEY' });
    expect(() => p.set('deepseek', { baseUrl: 'https://fourth.example' })).toThrow(/give its API key again/);
    delete process.env.GOGOGO_PROVIDERS_TEST_KEY;
  });

  it('the Anthropic endpoint gets the same key: a new host for it needs the key again too', () => {
    t = tempCore();
    const p = t.core.providers;
    p.set('deepseek', { baseUrl: 'https://api.deepseek.com', apiKey: 'sk-operator' });
    p.set('deepseek', { baseUrl: 'https://api.deepseek.com', anthropicBaseUrl: 'https://api.deepseek.com/anthropic' });
    expect(() => p.set('deepseek', { baseUrl: 'https://api.deepseek.com', anthropicBaseUrl: 'https://anthropic.evil.example' })).toThrow(/Anthropic base URL.*give its API key again/);
    expect(p.get('deepseek')!.anthropicBaseUrl).toBe('https://api.deepseek.com/anthropic');
    p.set('deepseek', { baseUrl: 'https://api.deepseek.com', anthropicBaseUrl: 'https://anthropic.proxy.internal', keepKey: true });
    expect(p.get('deepseek')!.anthropicBaseUrl).toBe('https://anthropic.proxy.internal');
  });

  it('a provider without a stored key may move freely (there is nothing to leak)', () => {
    t = tempCore();
    t.core.sqlite.prepare('INSERT INTO providers (id, base_url, api_key_ref, updated_at) VALUES (?, ?, NULL, 0)').run('qwen', 'https://a.example');
    expect(t.core.providers.set('qwen', { baseUrl: 'https://b.example' }).baseUrl).toBe('https://b.example');
  });

  it('the admin API: the schema takes keepKey, the window must give the key or tick it', async () => {
    t = tempCore();
    const api = createAdminService(t.core, ctx, { log: () => {} });
    const call = (req: unknown) => api.setProvider(adminSchemas.setProvider.parse(req));
    expect(await call({ id: 'deepseek', baseUrl: 'https://api.deepseek.com', apiKey: 'sk-operator' })).toMatchObject({ ok: true });
    expect(await call({ id: 'deepseek', baseUrl: 'https://attacker.example' })).toMatchObject({ ok: false, code: 'invalid', message: expect.stringContaining('attacker.example') });
    expect(t.core.providers.get('deepseek')!.baseUrl).toBe('https://api.deepseek.com');
    expect(await call({ id: 'deepseek', baseUrl: 'https://attacker.example', keepKey: true })).toMatchObject({ ok: true, data: { baseUrl: 'https://attacker.example', hasKey: true } });
  });
});
