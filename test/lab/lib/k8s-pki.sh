# shellcheck shell=bash
# The Kubernetes lab's certificates, made with openssl on the host in .state/pki (render only
# names the files: an operator provides them). One CA; the apiserver's serving certificate; a
# client certificate per kubelet (CN system:node:NAME, O system:nodes, as the Node authorizer
# wants); the service-account key; the operator's admin certificate (O system:masters) and the
# kubeconfig the tests and the demo use (.state/admin.kubeconfig). EC P-256 keys (fast to make),
# RSA for the service-account key. Valid 365 days: a healthy lab has no certificate near its
# expiry (kube.certs warns under 30 days). Sourced.

K8S_PKI="$STATE_DIR/pki"
K8S_ADMIN_KUBECONFIG="$STATE_DIR/admin.kubeconfig"
K8S_NODE_PKI=/etc/kubernetes/pki   # render's default cluster.kubernetes.pkiDir

# k8s_cert FILE SUBJECT EXTENSIONS: FILE.key and FILE.crt signed by the lab CA, unless both exist.
k8s_cert() {
  local f=$K8S_PKI/$1
  [[ -f $f.crt && -f $f.key ]] && return 0
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$f.key" -subj "$2" -out "$f.csr" 2>/dev/null
  openssl x509 -req -in "$f.csr" -CA "$K8S_PKI/ca.crt" -CAkey "$K8S_PKI/ca.key" -CAcreateserial -days 365 \
    -extfile <(printf '%s\n' "$3") -out "$f.crt" 2>/dev/null || die "openssl could not sign $f.crt"
  rm -f "$f.csr"
  chmod 0600 "$f.key"
}

k8s_client_ext='basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth'

# A kubelet's client certificate for Node NAME, in FILE.
k8s_kubelet_cert() { k8s_cert "$1" "/O=system:nodes/CN=system:node:$2" "$k8s_client_ext"; }

# Everything for N nodes (node 1 the master), and the admin kubeconfig.
k8s_pki_ensure() { # k8s_pki_ensure N
  local n=$1 i master
  master=$(node_addr 1)
  mkdir -p "$K8S_PKI"
  if [[ ! -f $K8S_PKI/ca.crt ]]; then
    openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365 \
      -subj /CN=clusterctl-lab-kubernetes-ca -keyout "$K8S_PKI/ca.key" -out "$K8S_PKI/ca.crt" 2>/dev/null || die "openssl could not make the lab CA"
    chmod 0600 "$K8S_PKI/ca.key"
  fi
  # The kubernetes service's first address, the node's, loopback (the node's own checks).
  k8s_cert apiserver /CN=kube-apiserver "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:$master,IP:127.0.0.1,IP:$K8S_SERVICE_IP,DNS:$(node_name 1),DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  if [[ ! -f $K8S_PKI/sa.key ]]; then
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$K8S_PKI/sa.key" 2>/dev/null || die "openssl could not make sa.key"
    chmod 0600 "$K8S_PKI/sa.key"
  fi
  for ((i = 1; i <= n; i++)); do k8s_kubelet_cert "kubelet-$i" "$(node_name "$i")"; done
  k8s_cert admin /O=system:masters/CN=clusterctl-lab-admin "$k8s_client_ext"
  cat >"$K8S_ADMIN_KUBECONFIG" <<KUBECONFIG
# written by test/lab/lab.sh (LAB_K8S=1): the operator's kubeconfig for the lab's apiserver
apiVersion: v1
kind: Config
clusters:
  - name: clusterctl-lab
    cluster:
      server: https://$master:6443
      certificate-authority: $K8S_PKI/ca.crt
users:
  - name: clusterctl-lab-admin
    user:
      client-certificate: $K8S_PKI/admin.crt
      client-key: $K8S_PKI/admin.key
contexts:
  - name: clusterctl-lab
    context:
      cluster: clusterctl-lab
      user: clusterctl-lab-admin
current-context: clusterctl-lab
KUBECONFIG
}

# Put node I's files where render's units look for them: the CA and its kubelet's certificate on
# every node; the apiserver's certificate and the service-account key on the master (node 1).
k8s_install_pki() { # k8s_install_pki I ROOT
  local i=$1 dir=$2$K8S_NODE_PKI
  install -d -m 0755 "$dir"
  install -m 0644 "$K8S_PKI/ca.crt" "$dir/ca.crt"
  install -m 0644 "$K8S_PKI/kubelet-$i.crt" "$dir/kubelet.crt"
  install -m 0600 "$K8S_PKI/kubelet-$i.key" "$dir/kubelet.key"
  if ((i == 1)); then
    install -m 0644 "$K8S_PKI/apiserver.crt" "$dir/apiserver.crt"
    install -m 0600 "$K8S_PKI/apiserver.key" "$dir/apiserver.key"
    install -m 0600 "$K8S_PKI/sa.key" "$dir/sa.key"
  fi
}
