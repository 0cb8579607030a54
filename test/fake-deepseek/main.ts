/** Runs the fake DeepSeek as its own process (kept for the bench and e2e; see test/fake-upstream/main.ts). */
import '../fake-upstream/main.js';
