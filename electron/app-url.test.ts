import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentType, resolveAppFile } from './app-files';
import { APP_START_URL, externalHttpUrl, isAppUrl } from './app-url';

describe('app origin', () => {
  it('recognises only app://gogogo URLs', () => {
    expect(isAppUrl(APP_START_URL)).toBe(true);
    expect(isAppUrl('app://gogogo.evil/index.html')).toBe(false);
    expect(isAppUrl('app://user:pw@gogogo/')).toBe(false);
    expect(isAppUrl('http://gogogo/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
    expect(isAppUrl(null)).toBe(false);
  });

  it('sends only http(s) links to the browser', () => {
    expect(externalHttpUrl('https://platform.deepseek.com/usage')).toBe('https://platform.deepseek.com/usage');
    expect(externalHttpUrl('file:///etc/passwd')).toBeNull();
    expect(externalHttpUrl('javascript:alert(1)')).toBeNull();
    expect(externalHttpUrl('smb://host/share')).toBeNull();
  });
});

describe('app:// file mapping', () => {
  const root = path.resolve('/srv/renderer/dist');
  it('maps paths under the renderer build', () => {
    expect(resolveAppFile(root, 'app://gogogo/index.html#/keys')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://gogogo/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://gogogo/assets/index-abc.js?x=1')).toBe(path.join(root, 'assets', 'index-abc.js'));
  });

  it('refuses to escape the build folder', () => {
    expect(resolveAppFile(root, 'app://gogogo/..%2f..%2fetc/passwd')).toBeNull();
    // The URL parser folds dot segments first, so this one stays inside the root.
    expect(resolveAppFile(root, 'app://gogogo/%2e%2e/%2e%2e/secrets.json')).toBe(path.join(root, 'secrets.json'));
    expect(resolveAppFile(root, 'app://gogogo/a%00.js')).toBeNull();
    expect(resolveAppFile(root, 'app://gogogo/%E0%A4%A')).toBeNull();
  });

  it('gives module scripts a JavaScript MIME type', () => {
    expect(contentType('x/index-abc.js')).toMatch(/^text\/javascript/);
    expect(contentType('x/a.css')).toMatch(/^text\/css/);
    expect(contentType('x/unknown.bin')).toBe('application/octet-stream');
  });
});
