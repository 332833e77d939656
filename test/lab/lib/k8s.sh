# shellcheck shell=bash
# The Kubernetes lab (LAB_NODES=systemd LAB_K8S=1 lab.sh up N): the systemd lab, plus on every
# node the kubelet and containerd and on node 1 (the master, also etcd) kube-apiserver on the
# lab's etcd-member, all configured only by `clusterctl render` from the inventory's
# cluster.kubernetes, with the lab's certificates (lib/k8s-pki.sh). Binaries are built from
# Debian's source (lib/k8s-build.sh) into a node layer (lib/k8s-layer.sh); the operator's kubectl
# is Debian's (`lab.sh kubectl …`, with .state/admin.kubeconfig). Sourced.

K8S_SERVICE_RANGE=198.19.96.0/24   # virtual: nothing routes it, no kube-proxy runs
K8S_SERVICE_IP=198.19.96.1         # the kubernetes service's address (in the apiserver's cert)
K8S_READY_TIMEOUT=${LAB_K8S_READY_TIMEOUT:-180}

sysd_k8s() { [[ -f $SYSD_CONF ]] && cut -d' ' -f3 "$SYSD_CONF" | grep -x 1 >/dev/null; }

# Before the nodes are provisioned: binaries, node layer, Debian's kubectl, certificates.
k8s_prepare() { # k8s_prepare N BASE
  local bin layer
  bin=$(ensure_k8s_binaries)
  layer=$(ensure_k8s_layer "$2" "$bin")
  ensure_debian_kubectl >"$STATE_DIR/kubectl"
  echo "$layer" >"$STATE_DIR/k8s-layer"
  k8s_pki_ensure "$1"
}

# The inventory's cluster.kubernetes (render's defaults for the rest: pki dir /etc/kubernetes/pki).
k8s_inventory_yaml() {
  printf '  kubernetes:\n    serviceClusterIpRange: %s\n' "$K8S_SERVICE_RANGE"
}

# Debian's kubectl as the lab's operator: lab.sh kubectl ARGS...
k8s_kubectl() {
  local kubectl
  kubectl=$(cat "$STATE_DIR/kubectl" 2>/dev/null) && [[ -x $kubectl ]] || die "no Kubernetes lab is up (LAB_NODES=systemd LAB_K8S=1 lab.sh up N)"
  "$kubectl" --kubeconfig "$K8S_ADMIN_KUBECONFIG" --request-timeout=5s "$@"
}

# "NAME READY INTERNAL-IP" for every Node the API knows.
k8s_nodes() {
  k8s_kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.status.conditions[?(@.type=="Ready")].status}{" "}{.status.addresses[?(@.type=="InternalIP")].address}{"\n"}{end}' 2>/dev/null
}

# Wait (bounded) until CONDITION (a shell snippet, run with k8s_nodes' output on stdin) holds.
k8s_wait_nodes() { # k8s_wait_nodes WHAT CONDITION
  local deadline=$((SECONDS + K8S_READY_TIMEOUT))
  until k8s_nodes | bash -c "$2"; do
    if ((SECONDS >= deadline)); then
      log "still not $1 after ${K8S_READY_TIMEOUT}s; the API's Nodes:"
      k8s_kubectl get nodes -o wide >&2 || true
      return 1
    fi
    sleep 1
  done
}

k8s_wait_apiserver() {
  local deadline=$((SECONDS + K8S_READY_TIMEOUT))
  until [[ $(k8s_kubectl get --raw /readyz 2>/dev/null) == ok ]]; do
    if ((SECONDS >= deadline)); then
      log "kube-apiserver on node 1 not ready after ${K8S_READY_TIMEOUT}s; last lines of its journal:"
      sysd_exec 1 journalctl -u kube-apiserver.service -n 12 --no-pager >&2 || true
      return 1
    fi
    sleep 1
  done
}

# Node I registered under its own name, Ready, with its lab address.
k8s_node_healthy_cond() { printf 'grep -qx "%s True %s"' "$(node_name "$1")" "$(node_addr "$1")"; }

# Node I's kubelet answers its healthz (asked on the node, as kubeadm does). The Node object alone
# does not say the kubelet runs: without kube-controller-manager a stopped kubelet's Node stays
# Ready as last reported.
k8s_wait_kubelet() { # k8s_wait_kubelet I
  local deadline=$((SECONDS + K8S_READY_TIMEOUT))
  until [[ $(sysd_exec "$1" curl -s --max-time 2 http://127.0.0.1:10248/healthz 2>/dev/null) == ok ]]; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

k8s_wait_ready() { # k8s_wait_ready I...
  local i
  k8s_wait_apiserver || die "kube-apiserver did not become ready"
  for i in "$@"; do
    k8s_wait_kubelet "$i" || die "node $i: the kubelet's healthz did not answer ok within ${K8S_READY_TIMEOUT}s"
    k8s_wait_nodes "Ready: $(node_name "$i")" "$(k8s_node_healthy_cond "$i")" || {
      sysd_exec "$i" journalctl -u kubelet.service -n 12 --no-pager >&2 || true
      die "node $i: its kubelet did not register a Ready Node"
    }
  done
}
