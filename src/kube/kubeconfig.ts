// Which kubeconfig file the API is read with: the inventory's, else what kubectl would read.
// Pure: the environment, home and file test are passed in.
import * as path from 'node:path';

export interface KubeconfigWhere {
  configured?: string | undefined; // cluster.kubernetes.kubeconfig, absolute
  env: { KUBECONFIG?: string | undefined };
  home: string;
  exists: (file: string) => boolean;
}

// path: the file to read; from: how it was chosen, for messages ("$KUBECONFIG", "cluster.kubernetes.kubeconfig").
export type KubeconfigChoice = { ok: true; path: string; from: string } | { ok: false; error: string };

// kubectl merges every existing file of $KUBECONFIG; clusterctl reads the first existing one, so
// a message can name the one file it read. An empty or all-missing $KUBECONFIG falls through to
// ~/.kube/config only when it is unset or empty, as kubectl does.
export function chooseKubeconfig(w: KubeconfigWhere): KubeconfigChoice {
  if (w.configured !== undefined) return { ok: true, path: w.configured, from: 'cluster.kubernetes.kubeconfig' };
  const list = (w.env.KUBECONFIG ?? '').split(path.delimiter).filter((f) => f !== '');
  if (list.length > 0) {
    const first = list.find((f) => w.exists(f));
    if (first !== undefined) return { ok: true, path: path.resolve(first), from: '$KUBECONFIG' };
    return {
      ok: false,
      error: `no kubeconfig: none of the files in $KUBECONFIG exists (${list.join(path.delimiter)}); point $KUBECONFIG or cluster.kubernetes.kubeconfig at the cluster's admin kubeconfig`,
    };
  }
  const home = path.join(w.home, '.kube', 'config');
  if (w.exists(home)) return { ok: true, path: home, from: '~/.kube/config' };
  return {
    ok: false,
    error: `no kubeconfig: ${home} does not exist and $KUBECONFIG is not set; set cluster.kubernetes.kubeconfig in the inventory (or $KUBECONFIG) to the cluster's admin kubeconfig`,
  };
}
