// Types of build-info.mjs, for the tests that import it.
export interface BuildInfo {
  version: string;
  commit: string; // 12 hex digits, `-dirty` after them when tracked files differ; or `unknown`
}
export function buildInfo(dir?: string): BuildInfo;
export function buildDefine(dir?: string): { CLUSTERCTL_BUILD: string };
