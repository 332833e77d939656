// Kubernetes versions and the kubelet–apiserver skew policy. Pure.

export interface KubeVersionParts {
  major: number;
  minor: number;
  patch: number;
}

// "v1.20.2", "v1.20.2+k3s1", "v1.21.0-rc.0", "1.20" → numbers; anything else → undefined.
export function parseKubeVersion(text: string): KubeVersionParts | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$/.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
}

// How many minor versions a kubelet may lag its apiserver: 2 until 1.27, 3 from 1.28
// (kubernetes.io/releases/version-skew-policy). It may never be newer.
export const allowedKubeletLag = (api: KubeVersionParts): number => (api.major === 1 && api.minor >= 28 ? 3 : 2);

// Why a kubelet version is outside the supported skew of the apiserver's, or undefined.
export function skewProblem(kubelet: string, apiserver: string): string | undefined {
  const k = parseKubeVersion(kubelet);
  const a = parseKubeVersion(apiserver);
  if (!k || !a) return undefined; // unreadable: nothing to say about skew
  if (k.major !== a.major) return `kubelet ${kubelet} and apiserver ${apiserver} differ in major version`;
  if (k.minor > a.minor) return `kubelet ${kubelet} is newer than the apiserver ${apiserver}: kubelets must not be newer than the apiserver; upgrade the masters first`;
  const lag = allowedKubeletLag(a);
  if (a.minor - k.minor > lag) return `kubelet ${kubelet} is ${a.minor - k.minor} minor versions older than the apiserver ${apiserver}: at most ${lag} are supported; upgrade the kubelet`;
  return undefined;
}

// The range a kubelet may be in, for a message's "expected": "v1.18 … v1.20.x".
export function supportedKubelets(apiserver: string): string {
  const a = parseKubeVersion(apiserver);
  if (!a) return `no newer than ${apiserver}`;
  return `v${a.major}.${Math.max(0, a.minor - allowedKubeletLag(a))} to v${a.major}.${a.minor}.x`;
}
