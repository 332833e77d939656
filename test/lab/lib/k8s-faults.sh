# shellcheck shell=bash
# Faults of the Kubernetes lab (LAB_K8S=1), each the way it happens on a real node, with the
# effect the cluster itself shows. Recorded in nodes/I/faults like the systemd lab's; undone by
# `repair I` (and `up`). Sourced.
#
#   kubelet-stopped    kubelet.service stopped: its healthz (127.0.0.1:10248) refuses. The Node
#                      stays as it was last reported: the lab runs no kube-controller-manager,
#                      whose node lifecycle controller would mark it Unknown after 40 s
#   cni-missing        /etc/cni/net.d/10-flannel.conflist removed: the Node turns Ready=False,
#                      "runtime network not ready … cni plugin not initialized"
#   wrong-node-name    the kubelet registers as NAME.lab.test (with a certificate for that name,
#                      as when certificates were made for the FQDN); the Node NAME is deleted,
#                      as on an install where it never registered under its inventory name
#   wrong-node-ip      the node has a second address (198.18.201.10+I/32 on host0: the host has
#                      no dummy module) and the kubelet's --node-ip names it: InternalIP differs
#                      from the inventory
#   apiserver-stopped  kube-apiserver.service stopped (the master, node 1): /livez unreachable
#   impostor-kubelet   nobody (uid 65534, any local user) runs a copy of bash named kubelet with
#                      the flags it likes: --config=/tmp/impostor/kubelet.yaml (healthzPort 10999:
#                      read, it would move the healthz the checks ask) and --kubeconfig=/etc/shadow.
#                      The real kubelet is restarted until the impostor comes first in /proc's
#                      order (the glob's: "/proc/123" before "/proc/45"), where a probe that takes
#                      the first process named kubelet would take it

K8S_FAULT_KINDS=(kubelet-stopped cni-missing wrong-node-name wrong-node-ip apiserver-stopped impostor-kubelet)
K8S_CNI_FILE=/etc/cni/net.d/10-flannel.conflist
K8S_KUBELET_ENV=/etc/kubernetes/kubelet.env

k8s_wrong_name() { printf '%s.%s' "$(node_name "$1")" "$DNS_SEARCH"; }
k8s_wrong_ip() { printf '198.18.201.%d' $((10 + $1)); }
k8s_saved() { printf '%s/fault-saved-k8s' "$(node_dir "$1")"; }

# Keep node I's FILE for repair (once: a second fault keeps the first original).
k8s_save() { # k8s_save I FILE
  local saved
  saved=$(k8s_saved "$1")
  mkdir -p "$saved"
  [[ -f $saved/${2##*/} ]] || cp -p "$(sysd_root "$1")$2" "$saved/${2##*/}"
}

# Write DATA_FILE's content to FILE inside node I, in place (same inode where FILE exists, as an
# editor would; a file moved into place goes unnoticed by containerd for ~30 s).
k8s_write_in() { # k8s_write_in I FILE DATA_FILE
  sysd_exec "$1" sh -c 'cat >"$1"' sh "$2" <"$3"
}

k8s_restore() { # k8s_restore I FILE
  local saved
  saved=$(k8s_saved "$1")/${2##*/}
  if [[ -f $saved ]]; then k8s_write_in "$1" "$2" "$saved"; fi
}

# Append ARGS to the kubelet's KUBELET_EXTRA_ARGS (the last assignment in the file wins, and the
# last of a repeated flag wins in the kubelet's command line).
k8s_add_kubelet_args() { # k8s_add_kubelet_args I ARGS
  local env current
  env=$(sysd_root "$1")$K8S_KUBELET_ENV
  k8s_save "$1" "$K8S_KUBELET_ENV"
  current=$(. "$env" && printf '%s' "${KUBELET_EXTRA_ARGS:-}")
  printf '# fault (clusterctl lab)\nKUBELET_EXTRA_ARGS="%s %s"\n' "$current" "$2" >>"$env"
}

k8s_main_pid() { sysd_exec "$1" systemctl show -p MainPID --value "$2"; } # k8s_main_pid I UNIT

# Impostor N on node I: a transient unit as nobody that copies bash to /tmp/impostor/kubelet
# (once: a running binary cannot be written) and runs it as the kubelet would be run.
k8s_impostor_start() { # k8s_impostor_start I N
  # shellcheck disable=SC2016 # expanded by the node's sh
  sysd_exec "$1" systemd-run -q --unit="clusterctl-impostor-$2" --description="clusterctl lab: impostor $2" --uid=65534 --gid=65534 /bin/sh -c '
    d=/tmp/impostor; mkdir -p $d && [ -x $d/kubelet ] || cp /bin/bash $d/kubelet || exit
    printf "kind: KubeletConfiguration\napiVersion: kubelet.config.k8s.io/v1beta1\nhealthzPort: 10999\n" >$d/kubelet.yaml
    exec $d/kubelet -c "while :; do sleep 3600; done" x --config=$d/kubelet.yaml --kubeconfig=/etc/shadow'
  sysd_wait_in "$1" "[ \"\$(cat /proc/\$(systemctl show -p MainPID --value clusterctl-impostor-$2)/comm)\" = kubelet ]"
}

k8s_impostor() { # k8s_impostor I
  local n imp kub
  for n in 1 2 3 4; do
    k8s_impostor_start "$1" "$n"
    imp=$(k8s_main_pid "$1" "clusterctl-impostor-$n")
    sysd_exec "$1" systemctl restart kubelet.service
    kub=$(k8s_main_pid "$1" kubelet.service)
    if [[ $imp < $kub ]]; then
      k8s_wait_ready "$1"
      log "node $1: impostor kubelet PID $imp (nobody) before the kubelet's PID $kub in /proc"
      return 0
    fi
  done
  die "node $1: no impostor came before the kubelet (PID $kub) in /proc"
}

k8s_fault() { # k8s_fault KIND I
  local kind=$1 i=$2 name wrong alt
  sysd_k8s || die "fault $kind needs the Kubernetes lab (LAB_NODES=systemd LAB_K8S=1 lab.sh up N)"
  name=$(node_name "$i")
  case $kind in
    kubelet-stopped) sysd_exec "$i" systemctl stop kubelet.service ;;
    cni-missing)
      k8s_save "$i" "$K8S_CNI_FILE"
      sysd_exec "$i" rm -f "$K8S_CNI_FILE"
      k8s_wait_nodes "NotReady: $name" "grep -q '^$name False '" || die "node $i: the Node did not turn NotReady" ;;
    wrong-node-name)
      wrong=$(k8s_wrong_name "$i")
      k8s_kubelet_cert "kubelet-$i-wrong" "$wrong"
      sysd_exec "$i" systemctl stop kubelet.service
      k8s_save "$i" "$K8S_NODE_PKI/kubelet.crt"
      k8s_save "$i" "$K8S_NODE_PKI/kubelet.key"
      k8s_write_in "$i" "$K8S_NODE_PKI/kubelet.crt" "$K8S_PKI/kubelet-$i-wrong.crt"
      k8s_write_in "$i" "$K8S_NODE_PKI/kubelet.key" "$K8S_PKI/kubelet-$i-wrong.key"
      k8s_add_kubelet_args "$i" "--hostname-override=$wrong"
      k8s_kubectl delete node "$name" --ignore-not-found >/dev/null
      sysd_exec "$i" systemctl start kubelet.service
      k8s_wait_nodes "registered as $wrong" "grep -q '^$wrong True '" || die "node $i: no Ready Node $wrong" ;;
    wrong-node-ip)
      alt=$(k8s_wrong_ip "$i")
      sysd_exec "$i" ip addr replace "$alt/32" dev host0
      k8s_add_kubelet_args "$i" "--node-ip=$alt"
      sysd_exec "$i" systemctl restart kubelet.service
      k8s_wait_nodes "InternalIP $alt: $name" "grep -qx '$name True $alt'" || die "node $i: InternalIP did not become $alt" ;;
    apiserver-stopped)
      ((i == 1)) || die "kube-apiserver runs on the master, node 1, not on node $i"
      sysd_exec "$i" systemctl stop kube-apiserver.service ;;
    impostor-kubelet) k8s_impostor "$i" ;;
    *) die "unknown Kubernetes fault '$kind'; known: ${K8S_FAULT_KINDS[*]}" ;;
  esac
}

# Undo one fault on running node I; the caller then waits for the node to be healthy.
k8s_undo_fault() { # k8s_undo_fault KIND I
  local kind=$1 i=$2
  case $kind in
    kubelet-stopped) sysd_exec "$i" systemctl start kubelet.service ;;
    cni-missing) k8s_restore "$i" "$K8S_CNI_FILE" ;;
    wrong-node-name)
      sysd_exec "$i" systemctl stop kubelet.service
      k8s_restore "$i" "$K8S_NODE_PKI/kubelet.crt"
      k8s_restore "$i" "$K8S_NODE_PKI/kubelet.key"
      k8s_restore "$i" "$K8S_KUBELET_ENV"
      k8s_kubectl delete node "$(k8s_wrong_name "$i")" --ignore-not-found >/dev/null
      sysd_exec "$i" systemctl start kubelet.service ;;
    wrong-node-ip)
      k8s_restore "$i" "$K8S_KUBELET_ENV"
      sysd_exec "$i" ip addr del "$(k8s_wrong_ip "$i")/32" dev host0 2>/dev/null || true
      sysd_exec "$i" systemctl restart kubelet.service ;;
    apiserver-stopped) sysd_exec "$i" systemctl start kube-apiserver.service ;;
    impostor-kubelet)
      sysd_exec "$i" systemctl stop 'clusterctl-impostor-*'
      sysd_exec "$i" rm -rf /tmp/impostor ;;
  esac
}

# After every fault of node I is undone: the saved originals go, and the node is healthy again.
k8s_after_repair() {
  rm -rf "$(k8s_saved "$1")"
  k8s_wait_ready "$1"
}
