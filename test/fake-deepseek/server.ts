/** The fake DeepSeek moved to test/fake-upstream (one fake per provider); this path stays for existing callers. */
export { startFakeDeepSeek, type FakeDeepSeek, type FakeOptions, type RecordedRequest } from '../fake-upstream/server.js';
