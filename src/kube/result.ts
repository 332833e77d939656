// A kube.* check's result: the same shape as checks/types.ts CheckResult (structurally one
// type), kept here so kube/ sits below checks/ in the layers.
export type KubeCheckStatus = 'pass' | 'fail' | 'skip' | 'error';

export interface KubeCheckResult {
  id: string;
  status: KubeCheckStatus;
  expected: string | null;
  actual: string | null;
  message: string;
}

export const kubeResult = (id: string, status: KubeCheckStatus, expected: string | null, actual: string | null, message: string): KubeCheckResult => ({
  id,
  status,
  expected,
  actual,
  message,
});

// The project's warning: a pass whose message starts with "warning:".
export const kubeWarning = (id: string, expected: string | null, actual: string | null, message: string): KubeCheckResult =>
  kubeResult(id, 'pass', expected, actual, `warning: ${message}`);
