/** Types for scripts/start-plan.mjs (used by its unit test). */
export declare const DESKTOP_OUTPUTS: string[];
export declare const DESKTOP_SOURCES: string[];
export declare function hasElectronBinary(root: string): boolean;
export declare function displayProblem(platform: string, env: Record<string, string | undefined>): string | null;
export interface StartDecision { mode: 'headless' | 'fetch' | 'desktop'; reason: string | null }
export declare function decide(input: { headlessRequested: boolean; display: string | null; binary: boolean; fetchFailed: boolean }): StartDecision;
export declare function staleReason(root: string, outputs?: string[], sources?: string[]): string | null;
export declare function headlessMessage(reason: string): string;
